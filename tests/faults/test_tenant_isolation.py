"""Tenant isolation: with its own valid key, workspace B calls every endpoint on
workspace A's objects and learns nothing, changes nothing."""

from decimal import Decimal

import pytest

from apps.brands.models import BrandTemplate
from apps.jobs.models import GenerationAttempt, Job, JobItem
from tests.conftest import product

pytestmark = pytest.mark.django_db

SECRET_SKUS = ["ACME-SECRET-7731", "ACME-SECRET-7732", "ACME-SECRET-7733"]


def job_body() -> dict:
    return {"kind": "product_description", "brand": "nordic-home", "locales": ["en", "es"],
            "items": [product(n, sku=sku) for n, sku in enumerate(SECRET_SKUS, start=1)]}


def test_tenant_isolation_sweep(api, other_api, brand):
    # Given workspace A has a brand and a job of 3 items x 2 locales, one of which was
    # already generated and billed (so A has usage B must not see)
    submitted = api.post("/api/v1/jobs/", job_body(), format="json")
    assert submitted.status_code == 202, submitted.json()
    job_id = submitted.json()["id"]
    GenerationAttempt.objects.create(
        item=JobItem.objects.filter(job_id=job_id).first(), model="hermes-3-405b",
        outcome="ok", input_tokens=1200, output_tokens=400, cost_usd=Decimal("0.00132"))
    assert len(api.get("/api/v1/usage/").json()["by_model"]) == 1
    brand_before = api.get("/api/v1/brands/nordic-home/").json()
    job_before = api.get(f"/api/v1/jobs/{job_id}/").json()

    # When workspace B calls every endpoint on A's objects
    jobs = f"/api/v1/jobs/{job_id}"
    answers = {
        "GET brand": other_api.get("/api/v1/brands/nordic-home/"),
        "PATCH brand": other_api.patch("/api/v1/brands/nordic-home/",
                                       {"voice": "Shout in capitals."}, format="json"),
        "GET job": other_api.get(f"{jobs}/"),
        "GET items": other_api.get(f"{jobs}/items/"),
        "GET items csv": other_api.get(f"{jobs}/items/?format=csv"),
        "POST cancel": other_api.post(f"{jobs}/cancel/"),
        "POST retry": other_api.post(f"{jobs}/retry/"),
        "POST resume": other_api.post(f"{jobs}/resume/"),
        "GET webhooks": other_api.get(f"{jobs}/webhooks/"),
        "POST estimate": other_api.post("/api/v1/estimate/", job_body(), format="json"),
        "POST job": other_api.post("/api/v1/jobs/", job_body(), format="json"),
    }
    lists = {
        "jobs": other_api.get("/api/v1/jobs/"),
        "brands": other_api.get("/api/v1/brands/"),
        "usage": other_api.get("/api/v1/usage/"),
    }

    # Then every object call is a 404, and a submission naming A's brand is a 400 on
    # `brand`, as if the brand did not exist
    statuses = {name: response.status_code for name, response in answers.items()}
    assert statuses == {**{name: 404 for name in answers}, "POST estimate": 400,
                        "POST job": 400}
    for name in ("POST estimate", "POST job"):
        error = answers[name].json()["error"]
        assert (error["code"], list(error["fields"])) == ("unknown_brand", ["brand"])
    for name, response in answers.items():
        if response.status_code == 404:
            assert response.json() == {"error": {"code": "not_found", "message": "Not found.",
                                                  "fields": {}}}, name
    # and no answer carries anything of A's: job id, brand name or voice, skus, counts
    for name, response in {**answers, **lists}.items():
        body = response.content.decode()
        for secret in [job_id, brand.name, brand_before["voice"], *SECRET_SKUS,
                       '"items_total"', '"progress"']:
            assert secret not in body, (name, secret)
    # and B's own lists are empty
    assert lists["jobs"].json()["results"] == []
    assert lists["brands"].json()["results"] == []
    usage = lists["usage"].json()
    assert (usage["by_model"], usage["by_brand"], usage["by_day"]) == ([], [], [])
    # and nothing of A's changed: the brand has no new version, the job is still queued
    # with all its items, and B made no job
    assert api.get("/api/v1/brands/nordic-home/").json() == brand_before
    assert BrandTemplate.objects.get(pk=brand.pk).versions.count() == 1
    assert api.get(f"/api/v1/jobs/{job_id}/").json() == job_before
    assert job_before["status"] == "queued" and job_before["items_total"] == 6
    assert Job.objects.count() == 1
