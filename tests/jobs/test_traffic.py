"""Shared traffic controls in the pipeline: whole-route back-off on 429, the circuit
breaker, fallback to the other model, and the per-route rate limiter."""

import itertools
import time

import httpx
import pytest
from django.core.cache.backends.redis import RedisCache

from apps.accounts.throttling import ApiKeyRateThrottle
from apps.generation.catalog import catalog_get
from apps.generation.traffic import breaker, breaker_policy, limiter
from apps.jobs.domain import RetryLater
from apps.jobs.models import JobItem
from apps.jobs.services import item_generate
from tests.conftest import product, script, sim_requests, submit

pytestmark = pytest.mark.usefixtures("catalog_on_simulator")
HERMES = "nousresearch/hermes-3-llama-3.1-405b"


@pytest.fixture
def quick_breaker(settings):
    settings.BREAKER_FAILURE_THRESHOLD = 2
    settings.BREAKER_COOLDOWN_S = 30
    settings.GENERATION_MAX_ATTEMPTS = 10


def hermes_down(sim):
    httpx.post(sim.url + "/_sim/config",
               json={"models": {HERMES: {"error_rate": 1.0, "error_status": 503}}})


def test_a_429_backs_off_the_whole_route(workspace, brand, sim):
    script(sim, {"status": 429, "retry_after": 3})
    job = submit(workspace, items=[product(1)])

    with pytest.raises(RetryLater) as caught:
        item_generate(item_id=job.items.get().pk)

    assert caught.value.countdown == 3
    assert 2.5 < limiter().paused_for("hermes-3-405b") <= 3.0
    assert limiter().paused_for("gpt-4o-mini") == 0
    assert breaker().state("hermes-3-405b", breaker_policy()) == "closed"


def test_a_failing_route_trips_the_breaker_and_text_items_move_to_the_other_model(
        workspace, brand, sim, quick_breaker):
    hermes_down(sim)
    job = submit(workspace, items=[product(n) for n in range(1, 4)])
    first, second, third = job.items.order_by("position")
    for item in (first, second):
        with pytest.raises(RetryLater):
            item_generate(item_id=item.pk)
    assert breaker().state("hermes-3-405b", breaker_policy()) == "open"

    item_generate(item_id=third.pk)

    third.refresh_from_db()
    assert (third.status, third.model, third.model_used) == (
        JobItem.Status.SUCCEEDED, "hermes-3-405b", "gpt-4o-mini")
    assert third.cost_usd == catalog_get()["gpt-4o-mini"].cost_usd(third.input_tokens,
                                                                   third.output_tokens)
    assert [r["model"] for r in sim_requests(sim)] == [HERMES, HERMES, "gpt-4o-mini"]
    item_generate(item_id=first.pk)  # its retry falls back too
    first.refresh_from_db()
    assert first.model_used == "gpt-4o-mini"
    assert list(first.generation_attempts.values_list("model", "outcome")) == [
        ("hermes-3-405b", "transient_error"), ("gpt-4o-mini", "ok")]


def test_without_fallback_items_wait_for_the_route_and_nothing_is_called(
        workspace, brand, sim, quick_breaker, api):
    hermes_down(sim)
    job_id = api.post("/api/v1/jobs/", {
        "kind": "product_description", "brand": "nordic-home", "locales": ["en"],
        "fallback": False, "items": [product(n) for n in range(1, 4)]}, format="json").json()["id"]
    items = list(JobItem.objects.filter(job_id=job_id).order_by("position"))
    for item in items[:2]:
        with pytest.raises(RetryLater):
            item_generate(item_id=item.pk)
    calls = len(sim_requests(sim))

    with pytest.raises(RetryLater) as caught:
        item_generate(item_id=items[2].pk)

    assert caught.value.countdown == 30
    assert "circuit open" in caught.value.reason
    assert len(sim_requests(sim)) == calls
    items[2].refresh_from_db()
    assert (items[2].status, items[2].attempts) == (JobItem.Status.PENDING, 0)


def test_image_items_never_fall_back_to_a_text_only_model(workspace, brand, sim, quick_breaker):
    httpx.post(sim.url + "/_sim/config",
               json={"models": {"gpt-4o-mini": {"error_rate": 1.0, "error_status": 503}}})
    job = submit(workspace, items=[product(n, image_urls=["https://img.example/a.jpg"])
                                   for n in range(1, 4)])
    items = list(job.items.order_by("position"))
    for item in items[:2]:
        with pytest.raises(RetryLater):
            item_generate(item_id=item.pk)

    with pytest.raises(RetryLater):
        item_generate(item_id=items[2].pk)

    assert HERMES not in {r["model"] for r in sim_requests(sim)}


def test_a_probe_after_the_cooldown_closes_the_circuit_again(workspace, brand, sim, settings,
                                                            quick_breaker):
    settings.BREAKER_COOLDOWN_S = 0.5
    hermes_down(sim)
    job = submit(workspace, items=[product(n) for n in range(1, 4)], locales=["en"])
    items = list(job.items.order_by("position"))
    for item in items[:2]:
        with pytest.raises(RetryLater):
            item_generate(item_id=item.pk)
    httpx.post(sim.url + "/_sim/reset")  # the route recovers
    time.sleep(0.6)

    item_generate(item_id=items[2].pk)

    items[2].refresh_from_db()
    assert items[2].model_used == "hermes-3-405b"
    assert breaker().state("hermes-3-405b", breaker_policy()) == "closed"


def test_calls_are_paced_by_the_routes_limit(workspace, brand, sim, settings):
    catalog = dict(settings.MODEL_CATALOG)
    catalog["hermes-3-405b"] = {**catalog["hermes-3-405b"], "rpm": 120}  # one call every 0.5 s
    settings.MODEL_CATALOG = catalog
    job = submit(workspace, items=[product(n) for n in range(1, 6)])

    started = time.monotonic()
    for item in job.items.order_by("position"):
        item_generate(item_id=item.pk)
    elapsed = time.monotonic() - started

    times = [r["time"] for r in sim_requests(sim)]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # The 1 s burst lets two calls go at once; then one every 0.5 s.
    assert len(times) == 5
    assert elapsed >= 1.4
    assert min(gaps[2:]) >= 0.45


def test_an_unreachable_traffic_store_never_loses_a_paid_answer(workspace, brand, sim, settings):
    # Redis gone: the breaker and the limiter cannot be asked or told anything.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    catalog = dict(settings.MODEL_CATALOG)
    catalog["hermes-3-405b"] = {**catalog["hermes-3-405b"], "rpm": 60}
    settings.MODEL_CATALOG = catalog
    job = submit(workspace, items=[product(1)])
    item = job.items.get()

    item_generate(item_id=item.pk)

    item.refresh_from_db()
    assert item.status == JobItem.Status.SUCCEEDED
    assert len(sim_requests(sim)) == 1
    assert item.generation_attempts.get().outcome == "ok"


def test_the_api_answers_when_the_throttle_counters_are_unreachable(api, brand, monkeypatch):
    monkeypatch.setattr(ApiKeyRateThrottle, "cache", RedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.5}}))

    response = api.get("/api/v1/jobs/")

    assert response.status_code == 200


# --- Whole-route back-off on a route with no configured limits -------------------


def test_during_a_back_off_without_retry_after_no_item_reaches_the_provider(
        workspace, brand, sim, settings):
    # Given the default catalog (no RPM/TPM configured), a 429 without Retry-After,
    # a 1 s default back-off, and items that re-queue rather than wait 0.2 s inline
    settings.GENERATION_RETRY_BACKOFF_S = 1.0
    settings.RATE_LIMIT_MAX_INLINE_WAIT_S = 0.2
    script(sim, {"status": 429})
    job = submit(workspace, items=[product(1), product(2)])
    first, second = job.items.order_by("position")
    with pytest.raises(RetryLater):
        item_generate(item_id=first.pk)
    refused_at = sim_requests(sim)[0]["time"]

    # When the second item, and then the first item's retry, run during the back-off
    with pytest.raises(RetryLater) as second_caught:
        item_generate(item_id=second.pk)
    with pytest.raises(RetryLater):
        item_generate(item_id=first.pk)

    # Then neither reached the provider: the item went back to the queue untouched
    assert len(sim_requests(sim)) == 1
    assert "rate limited" in second_caught.value.reason
    assert 0 < second_caught.value.countdown <= 1.0
    second.refresh_from_db()
    assert (second.status, second.attempts) == (JobItem.Status.PENDING, 0)
    # and once the back-off is over, both go through, after it.
    time.sleep(limiter().paused_for("hermes-3-405b"))
    item_generate(item_id=first.pk)
    item_generate(item_id=second.pk)
    calls = sim_requests(sim)
    assert calls[0]["status"] == 429
    assert {call["status"] for call in calls[1:]} == {200}
    assert min(call["time"] for call in calls[1:]) >= refused_at + 1.0


def test_a_retry_after_a_429_waits_out_the_back_off_before_calling_again(
        workspace, brand, sim):
    # Given the default catalog and a 429 with Retry-After: 1
    script(sim, {"status": 429, "retry_after": 1})
    job = submit(workspace, items=[product(1)])
    item = job.items.get()
    with pytest.raises(RetryLater):
        item_generate(item_id=item.pk)

    # When its retry comes at once (a worker with a short countdown, or a redelivery)
    item_generate(item_id=item.pk)

    # Then the second call left only after the back-off (the wait fits inline)
    refused, answered, *_regenerations = sim_requests(sim)
    assert (refused["status"], answered["status"]) == (429, 200)
    assert answered["time"] - refused["time"] >= 1.0
