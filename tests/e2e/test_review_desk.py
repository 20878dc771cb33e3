"""The review desk on real processes: gunicorn, a Celery worker, Redis, the database and
the simulator. A rejected item is written again by the worker, once, with the reviewer's
note in the prompt and billed; reviewers racing on one item leave one decision and a
consistent job; racing editors each get a revision, chained in order."""

import json
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import httpx
import pytest

from apps.accounts.services import api_key_create
from apps.jobs.models import GenerationAttempt, ItemRevision, Job, JobItem
from tests.conftest import BRAND_FIELDS, poll_until_finished, product, sim_requests

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHEAP = {"title": "A cheap oak lamp", "short_description": "A lamp made of oak wood.",
         "description": "This lamp has a solid oak base and a warm, dimmable light for "
                        "reading in the evening at your desk.",
         "bullets": ["Solid oak base", "Dimmable light", "Warm colour"],
         "meta_description": "Oak desk lamp with a dimmable light."}
NOTE = "Mention that the shade is linen and drop the word cheap."


@pytest.fixture
def client(live_stack, workspace, simulator):
    httpx.post(simulator.url + "/_sim/reset")
    client = live_stack.client(api_key_create(workspace=workspace).raw_key)
    assert client.post("/api/v1/brands/", json=BRAND_FIELDS).status_code == 201
    yield client
    httpx.post(simulator.url + "/_sim/reset")


def finished_item(client, simulator, *responses) -> dict:
    """A one-item job run to its end by the worker, the simulator answering `responses`
    first; the item as the API shows it."""
    if responses:
        httpx.post(simulator.url + "/_sim/script",
                   json={"model": "*", "responses": list(responses)})
    job_id = client.post("/api/v1/jobs/", json={
        "kind": "product_description", "brand": "nordic-home", "locales": ["en"],
        "items": [product(1)]}).json()["id"]
    poll_until_finished(client, job_id)
    return client.get(f"/api/v1/jobs/{job_id}/items/").json()["results"][0]


def item_url(item: dict, action: str = "") -> str:
    job_id = JobItem.objects.get(pk=item["id"]).job_id
    return f"/api/v1/jobs/{job_id}/items/{item['id']}/" + (f"{action}/" if action else "")


def fire_together(client, requests: list[tuple[str, str, dict]]) -> list[tuple[str, int]]:
    """Every (method, url, body) at once, released by one barrier; (url, status) back."""
    start = threading.Barrier(len(requests))

    def send(request):
        method, url, body = request
        start.wait()
        return url, client.request(method, url, json=body).status_code

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(send, requests))


def settled(job_id, timeout: float = 60) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.status not in (Job.Status.QUEUED, Job.Status.RUNNING):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still {job.status}")


def test_a_rejected_item_is_written_again_by_the_worker_once_with_the_note_and_billed(
        client, simulator):
    item = finished_item(client, simulator, *[{"content": json.dumps(CHEAP)}] * 3)
    assert (item["status"], item["review"]) == ("needs_review", "pending")
    httpx.post(simulator.url + "/_sim/reset")  # forget the first three requests
    httpx.post(simulator.url + "/_sim/script", json={"model": "*", "responses": [
        {"usage": {"prompt_tokens": 1000, "completion_tokens": 400}}]})
    job_id = str(JobItem.objects.get(pk=item["id"]).job_id)
    billed_before = Decimal(client.get(f"/api/v1/jobs/{job_id}/").json()["cost"]["actual_usd"])

    rejected = client.post(item_url(item, "reject"), json={"note": NOTE})
    job = poll_until_finished(client, job_id)
    time.sleep(1.0)  # a second rewrite, if one were coming, would have been asked by now

    assert rejected.status_code == 200, rejected.text
    requests = sim_requests(simulator)
    assert len(requests) == 1
    assert f"A reviewer rejected it with this note: “{NOTE}”" in \
        requests[0]["body"]["messages"][1]["content"]
    after = client.get(item_url(item)).json()
    assert (after["status"], after["review"], after["review_note"]) == (
        "succeeded", "pending", NOTE)
    assert "cheap" not in json.dumps(after["content"]).lower()
    attempts = list(GenerationAttempt.objects.filter(item_id=item["id"]).order_by("pk"))
    assert [a.outcome for a in attempts] == ["check_failed"] * 3 + ["ok"]
    # Hermes 3 at $1.00 in and $0.30 out per million tokens: 1000 in, 400 out.
    assert attempts[-1].cost_usd == Decimal("0.00112000")
    assert Decimal(job["cost"]["actual_usd"]) == billed_before + Decimal("0.00112000")
    assert (job["status"], job["progress"]["succeeded"], job["progress"]["needs_review"]) == (
        "succeeded", 1, 0)


@pytest.mark.parametrize("round_", range(3))
def test_racing_approvals_and_rejections_leave_one_decision(client, simulator, workspace,
                                                            round_):
    workspace.auto_approve = False
    workspace.save()
    item = finished_item(client, simulator)
    assert item["review"] == "pending"
    url = item_url(item)
    calls = len(sim_requests(simulator))
    # A rewrite slower than the race: content it brings back would be a new decision.
    httpx.post(simulator.url + "/_sim/config", json={"default": {"latency_ms": 3000}})

    answers = fire_together(client, [("POST", url + "approve/", {})] * 8
                            + [("POST", url + "reject/", {"note": NOTE})] * 8)

    codes = Counter(code for _url, code in answers)
    winners = [url.rsplit("/", 2)[1] for url, code in answers if code == 200]
    assert set(codes) == {200, 409} and codes[200] == 1, winners
    job = settled(JobItem.objects.get(pk=item["id"]).job_id)
    stored = JobItem.objects.get(pk=item["id"])
    attempts = GenerationAttempt.objects.filter(item=stored).count()
    if winners == ["approve"]:
        assert (stored.review, stored.status, attempts) == ("approved", "succeeded", 1)
        assert len(sim_requests(simulator)) == calls
    else:
        assert (stored.review, stored.status, attempts) == ("pending", "succeeded", 2)
        assert len(sim_requests(simulator)) == calls + 1
    assert (job.status, job.items_succeeded, job.items_needs_review, job.items_pending) == (
        "succeeded", 1, 0, 0)


def test_racing_edits_each_get_a_revision_chained_in_order(client, simulator):
    item = finished_item(client, simulator)
    original = JobItem.objects.get(pk=item["id"]).content
    titles = [f"Oak desk lamp 1, edit {n}" for n in range(10)]

    answers = fire_together(client, [("PATCH", item_url(item), {"content": {"title": title}})
                                     for title in titles])

    assert [code for _url, code in answers] == [200] * 10
    revisions = list(ItemRevision.objects.filter(item_id=item["id"]).order_by("number"))
    assert [r.number for r in revisions] == list(range(1, 11))
    assert sorted(r.new_content["title"] for r in revisions) == sorted(titles)
    assert revisions[0].previous_content == original
    for before, after in zip(revisions, revisions[1:], strict=False):
        assert after.previous_content == before.new_content
    stored = JobItem.objects.get(pk=item["id"])
    assert (stored.revision, stored.edited) == (10, True)
    assert stored.content == revisions[-1].new_content
