"""Job actions under races, on real processes (issue 16, observations 3 and 4): twenty
cancels and retries fired together at a running job, round after round, leave counters
equal to the items' statuses, no pending item in a finished job, one ``job.finished``
event, and a 409 for every action that lost."""

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.services import api_key_create
from apps.jobs.domain import ACTIVE_JOB_STATUSES
from apps.jobs.models import Job, JobItem, WebhookDelivery
from devtools.webhook_receiver import Receiver
from tests.conftest import BRAND_FIELDS, product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROUNDS = 3
FINAL_ITEM_COUNTERS = {JobItem.Status.SUCCEEDED: "items_succeeded",
                       JobItem.Status.NEEDS_REVIEW: "items_needs_review",
                       JobItem.Status.FAILED: "items_failed",
                       JobItem.Status.CANCELLED: "items_cancelled"}


def a_job_with_3_failed_and_40_open_items(client, webhook_url: str) -> str:
    job_id = client.post("/api/v1/jobs/", json={
        "kind": "marketing_copy", "brand": "nordic-home", "locales": ["en"],
        "webhook_url": webhook_url, "items": [product(n) for n in range(1, 44)]}).json()["id"]
    # Three items fail as the ledger would close them (the simulator is slow, so the
    # last positions are still pending when this runs).
    with transaction.atomic():
        last = list(JobItem.objects.filter(job_id=job_id).order_by("-position")
                    .values_list("pk", flat=True)[:3])
        failed = JobItem.objects.filter(pk__in=last, status=JobItem.Status.PENDING).update(
            status=JobItem.Status.FAILED, error="given up", finished_at=timezone.now())
        Job.objects.filter(pk=job_id).update(items_failed=F("items_failed") + failed)
    assert failed == 3
    return job_id


def fire_together(client, job_id: str) -> list[tuple[str, int]]:
    actions = ["cancel"] * 10 + ["retry"] * 10
    random.shuffle(actions)
    start = threading.Barrier(len(actions))

    def act(action):
        start.wait()
        return action, client.post(f"/api/v1/jobs/{job_id}/{action}/").status_code

    with ThreadPoolExecutor(len(actions)) as pool:
        return list(pool.map(act, actions))


def settled(job_id: str, timeout: float = 90) -> Job:
    """The job once it is final and no item of it is still running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        running = JobItem.objects.filter(job_id=job_id, status=JobItem.Status.RUNNING).exists()
        if job.status not in ACTIVE_JOB_STATUSES and not running:
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not settle: {job.status}")


def test_concurrent_cancels_and_retries_leave_a_consistent_job(live_stack, workspace,
                                                               simulator, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True  # the submit is validated here too
    httpx.post(simulator.url + "/_sim/reset")
    httpx.post(simulator.url + "/_sim/config", json={"default": {"latency_ms": 1500}})
    client = live_stack.client(api_key_create(workspace=workspace).raw_key)
    client.post("/api/v1/brands/", json=BRAND_FIELDS)
    receiver = Receiver()
    try:
        for _round in range(ROUNDS):
            job_id = a_job_with_3_failed_and_40_open_items(client, receiver.url(f"/{_round}"))

            answers = fire_together(client, job_id)

            job = settled(job_id)
            statuses = Counter(JobItem.objects.filter(job_id=job_id)
                               .values_list("status", flat=True))
            by_action = Counter(answers)
            assert set(code for _action, code in answers) <= {200, 409}, answers
            assert by_action[("cancel", 200)] == 1, answers
            assert job.status == Job.Status.CANCELLED
            assert set(statuses) <= set(FINAL_ITEM_COUNTERS), statuses  # nothing pending
            assert {counter: getattr(job, counter) for counter in FINAL_ITEM_COUNTERS.values()} \
                == {counter: statuses[status] for status, counter in FINAL_ITEM_COUNTERS.items()}
            assert job.items_total == 43 and job.items_pending == 0
            deadline = time.monotonic() + 10
            while (not WebhookDelivery.objects.filter(job_id=job_id).exists()
                   or not any(r["path"] == f"/{_round}" for r in receiver.requests)) \
                    and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(1.0)  # a second event, if one were coming, would be here by now
            events = set(WebhookDelivery.objects.filter(job_id=job_id)
                         .values_list("event_id", flat=True))
            received = {r["headers"]["ContentGen-Delivery"] for r in receiver.requests
                        if r["path"] == f"/{_round}"}
            assert len(events) == 1
            assert received == {str(event) for event in events}
    finally:
        receiver.stop()
        httpx.post(simulator.url + "/_sim/reset")
