"""The jobs admin: a sample job from a brand, and a job's progress page."""

import json

import pytest

from apps.jobs.models import Job

pytestmark = pytest.mark.django_db


def test_generate_sample_starts_a_real_job_in_every_locale(admin_client, brand,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post("/admin/jobs/job/sample/", {
            "brand": brand.pk, "kind": "product_description",
            "product": json.dumps({"name": "Oak desk lamp", "price": "49.90", "currency": "EUR"})})

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/jobs/job/{job.pk}/change/"
    assert sorted(job.items.values_list("locale", flat=True)) == [
        "en-GB", "en-US", "es-ES", "es-MX", "ru-RU"]
    assert len(callbacks) == 1


def test_job_admin_shows_progress(admin_client, api, brand):
    job_id = api.post("/api/v1/jobs/", {
        "kind": "product_description", "brand": "nordic-home", "locales": ["en", "es"],
        "items": [{"sku": "A", "name": "Lamp"}]}, format="json").json()["id"]

    html = admin_client.get(f"/admin/jobs/job/{job_id}/change/").content.decode()

    assert "0 of 2 done: 0 succeeded, 0 to review, 0 failed" in html


def test_a_sample_of_a_social_post_keeps_the_previewed_channel(admin_client, brand):
    admin_client.post("/admin/jobs/job/sample/", {
        "brand": brand.pk, "kind": "social_post:linkedin",
        "product": json.dumps({"name": "Oak desk lamp"})})

    job = Job.objects.get()
    assert (job.kind, job.channel) == ("social_post", "linkedin")
