"""Load: 50 clients poll a job's status while a 600-item job runs on the same stack.

The test asserts what the load must not cost: not one poll failed (no 5xx, no
connection error, no timeout), the job still finished with every item done, and polls
stayed answered within P99_BOUND_S at the 99th percentile. The bound is for 2 cores
shared by 50 polling threads, 2 web processes, the worker, Redis and the database;
the figures are printed for the lead to quote.
"""

import collections
import statistics
import threading
import time

import httpx
import pytest

from apps.accounts.services import api_key_create
from tests.conftest import product
from tests.faults.conftest import items_with_status, job_submit_over_http, sim_configure

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CLIENTS = 50
ITEMS = 600
POLL_FOR_AT_MOST_S = 240
P99_BOUND_S = 3.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def test_load_50_clients_polling(fault_stack, simulator, workspace):
    # Given a stack of 2 web processes x 16 threads and 1 worker x 32 threads, models
    # answering in 200 ms with no rate limit, and 50 clients, each with its own key
    sim_configure(simulator, {"default": {"latency_ms": 200}})
    stack = fault_stack(concurrency=32, beat=False, web_workers=2, web_threads=16)
    keys = [api_key_create(workspace=workspace).raw_key for _ in range(CLIENTS)]
    with stack.client() as client:
        submit_started = time.monotonic()
        job_id = job_submit_over_http(client, [product(n) for n in range(1, ITEMS + 1)])
        submit_s = time.monotonic() - submit_started

    # When the 50 clients poll the job as fast as they can until it ends (or 120 s)
    samples: list[tuple[float, int | str]] = []  # (latency s, status or exception name)
    finished = threading.Event()
    deadline = time.monotonic() + POLL_FOR_AT_MOST_S
    lock = threading.Lock()

    def poll(raw_key: str) -> None:
        mine = []
        with stack.client(raw_key) as http:
            while not finished.is_set() and time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    response = http.get(f"/api/v1/jobs/{job_id}/")
                    outcome = response.status_code
                    if outcome == 200 and response.json()["status"] not in {"queued", "running"}:
                        finished.set()
                except httpx.HTTPError as exc:
                    outcome = type(exc).__name__
                mine.append((time.perf_counter() - started, outcome))
        with lock:
            samples.extend(mine)

    polling_started = time.monotonic()
    threads = [threading.Thread(target=poll, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=POLL_FOR_AT_MOST_S + 60)
    polled_s = time.monotonic() - polling_started
    done = items_with_status(job_id, "succeeded")

    # Then not one request failed
    outcomes = collections.Counter(outcome for _latency, outcome in samples)
    latencies = [latency for latency, _outcome in samples]
    p50, p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
    print(f"\n[load] {len(samples)} polls by {CLIENTS} clients in {polled_s:.1f}s "
          f"({len(samples) / polled_s:.0f}/s): p50 {p50 * 1000:.0f} ms, "
          f"p99 {p99 * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms, "
          f"mean {statistics.fmean(latencies) * 1000:.0f} ms; outcomes {dict(outcomes)}; "
          f"job {'finished' if finished.is_set() else 'still running'} with {done}/{ITEMS} "
          f"items done (submit took {submit_s:.1f}s)")
    assert not any(thread.is_alive() for thread in threads)
    assert outcomes == {200: len(samples)}, stack.logs()
    assert len(samples) >= CLIENTS
    # and the work went on under the load: the job finished, every item done
    assert finished.is_set(), f"job still running after {POLL_FOR_AT_MOST_S}s: {done}/{ITEMS}"
    assert done == ITEMS
    assert p99 <= P99_BOUND_S, p99
