"""A workspace's own kind through the REST API and a Celery worker against the simulator,
in Spanish, Russian and English: written within its limits, an answer over a limit written
again, its fields in the CSV export; and a job submitted before an edit keeps the kind it
was submitted with."""

import csv
import io

import httpx
import pytest

from apps.accounts.services import api_key_create
from apps.brands.custom_kinds import custom_kind_version_create
from apps.generation.counting import count_characters
from apps.jobs.models import GenerationAttempt, Job, JobItem
from tests.conftest import BRAND_FIELDS, all_items, poll_until_finished, product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TAGS = ["es-ES", "ru-RU", "en-US"]
PUSH = "push_notification"


@pytest.fixture
def client(live_stack, workspace, simulator, push_kind):
    httpx.post(simulator.url + "/_sim/reset")
    client = live_stack.client(api_key_create(workspace=workspace).raw_key)
    assert client.post("/api/v1/brands/", json=BRAND_FIELDS).status_code == 201
    yield client
    httpx.post(simulator.url + "/_sim/reset")


def submit(client, locales=("es", "ru", "en")) -> str:
    response = client.post("/api/v1/jobs/", json={
        "kind": PUSH, "brand": "nordic-home", "locales": list(locales), "items": [product(1)]})
    assert response.status_code == 202, response.text
    return response.json()["id"]


def broken_limits(kind, content: dict) -> list[str]:
    broken = []
    for spec in kind.fields:
        entries = content[spec.name] if spec.is_list else [content[spec.name]]
        if spec.is_list and not spec.min_entries <= len(entries) <= spec.max_entries:
            broken.append(f"{spec.name}: {len(entries)} entries")
        for entry in entries:
            if entry and not spec.min_chars <= count_characters(entry) <= spec.max_chars:
                broken.append(f"{spec.name}: {entry!r}")
    return broken


def test_a_custom_kind_is_written_in_three_languages_within_its_limits(client):
    job_id = submit(client)

    job = poll_until_finished(client, job_id)
    items = all_items(client, job_id)
    kind = Job.objects.get(pk=job_id).kind_spec

    assert (job["status"], job["kind"], job["kind_label"]) == (
        "succeeded", PUSH, "Push notification"), [i["checks"] for i in items]
    assert sorted(item["locale"] for item in items) == sorted(TAGS)
    for item in items:
        assert list(item["content"]) == ["title", "message", "perks", "note"]
        assert broken_limits(kind, item["content"]) == []
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/api/v1/jobs/{job_id}/items/?format=csv").text.lstrip("\ufeff"))))
    assert sorted(row["locale"] for row in rows) == sorted(TAGS)
    for row in rows:
        assert 1 <= count_characters(row["title"]) <= 40
        assert 2 <= len(row["perks"].split("|")) <= 4


def test_an_answer_over_a_custom_limit_is_written_again_and_then_succeeds(client, simulator):
    httpx.post(simulator.url + "/_sim/script", json={
        "model": "*", "responses": [{"overrun": {"field": "perks", "entries": 5}}]})

    job_id = submit(client, locales=("ru",))
    job = poll_until_finished(client, job_id)

    item = JobItem.objects.get(job_id=job_id)
    attempts = list(GenerationAttempt.objects.filter(item=item).order_by("pk"))
    first_error = "field 'perks' must have 2 to 4 entries; it has 5"
    assert job["status"] == "succeeded"
    assert [a.outcome for a in attempts][1:] == ["ok"]
    assert first_error in attempts[0].error
    requests = httpx.get(simulator.url + "/_sim/requests").json()["requests"]
    assert first_error in requests[1]["body"]["messages"][1]["content"]
    assert 2 <= len(item.content["perks"]) <= 4


def test_a_job_keeps_the_kind_it_was_submitted_with_after_an_edit(client, push_kind):
    push_kind.kind_fields.filter(name="perks").update(min_entries=3, max_entries=3)
    custom_kind_version_create(kind=push_kind)
    edited = submit(client, locales=("en",))
    push_kind.kind_fields.filter(name="perks").update(min_entries=2, max_entries=2)
    custom_kind_version_create(kind=push_kind)

    poll_until_finished(client, edited)

    item = JobItem.objects.get(job_id=edited)
    assert item.status == JobItem.Status.SUCCEEDED, item.checks
    assert len(item.content["perks"]) == 3
