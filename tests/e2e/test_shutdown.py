"""A worker told to stop (TERM) finishes its in-flight items and hands the rest back:
nothing is lost, nothing runs twice."""

import collections
import json
import signal
import time

import httpx
import pytest

from apps.accounts.services import api_key_create
from apps.jobs.models import GenerationAttempt, JobItem
from devtools import devstack
from tests.conftest import BRAND_FIELDS, poll_until_finished, product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def skus_called(simulator) -> collections.Counter:
    calls = collections.Counter()
    for request in httpx.get(simulator.url + "/_sim/requests").json()["requests"]:
        user = request["body"]["messages"][1]["content"]
        data = json.loads(user.split("<product_data>\n")[1].split("\n</product_data>")[0])
        calls[data["sku"]] += 1
    return calls


def test_a_terminated_worker_finishes_in_flight_items_and_loses_none(live_stack, workspace,
                                                                     simulator):
    httpx.post(simulator.url + "/_sim/reset")
    httpx.post(simulator.url + "/_sim/config", json={"default": {"latency_ms": 700}})
    client = live_stack.client(api_key_create(workspace=workspace).raw_key)
    client.post("/api/v1/brands/", json=BRAND_FIELDS)
    job_id = client.post("/api/v1/jobs/", json={
        "kind": "marketing_copy", "brand": "nordic-home", "locales": ["en"],
        "items": [product(n) for n in range(1, 41)]}).json()["id"]
    deadline = time.monotonic() + 30
    while JobItem.objects.filter(job_id=job_id, status="succeeded").count() < 5:
        assert time.monotonic() < deadline, "the job did not start"
        time.sleep(0.1)

    worker = live_stack.workers.pop()
    worker.popen.send_signal(signal.SIGTERM)  # Celery's warm shutdown
    worker.popen.wait(timeout=60)
    stranded = JobItem.objects.filter(job_id=job_id, status="running").count()
    live_stack.workers.append(devstack.start_worker(env=live_stack.env,
                                                    log_dir=live_stack.log_dir, name="worker2"))
    job = poll_until_finished(client, job_id, timeout=120)

    assert worker.popen.returncode == 0
    assert stranded == 0  # in-flight items were finished, not abandoned
    assert job["status"] == "succeeded"
    assert job["progress"]["succeeded"] == 40
    ok = collections.Counter(GenerationAttempt.objects.filter(
        item__job_id=job_id, outcome="ok").values_list("item__sku", flat=True))
    assert set(ok.values()) == {1}
    assert max(skus_called(simulator).values()) == 1
