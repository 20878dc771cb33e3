"""Limits learned from the provider's x-ratelimit-* headers, and capacity given back:
the traffic controls against the real Redis and the project's simulator."""

import math
import time

import httpx
import pytest
from django.conf import settings

from apps.generation.catalog import ModelSpec
from apps.generation.client import (
    LLMRequest,
    RateLimitState,
    TransientLLMError,
    complete,
)
from apps.generation.headers import duration_s
from apps.generation.ratelimit import LearnedLimits, RouteLimits, WaitTooLong
from apps.generation.schemas import output_schema
from apps.generation.traffic import (
    call_tokens,
    limiter,
    route_call,
    route_limits,
    route_pace,
)
from tests.conftest import sim_requests

HERMES = "nousresearch/hermes-3-llama-3.1-405b"
MESSAGES = [
    {"role": "system", "content": "You write product content as JSON."},
    {"role": "user", "content": "Content kind: product_description\nTarget locale: en-US\n"
                                '<product_data>\n{"sku": "SKU-001", "name": "Oak desk lamp"}\n'
                                "</product_data>"},
]


def hermes_on(sim, **overrides) -> ModelSpec:
    """The Hermes route of the settings' catalog, on the simulator, no limits configured."""
    entry = {**settings.MODEL_CATALOG["hermes-3-405b"], "base_url": sim.base_url,
             "api_key": "sk-test-not-a-real-key", "rpm": 0, "tpm": 0, **overrides}
    return ModelSpec(key="hermes-3-405b", **entry)


def request_for(route: ModelSpec, max_output_tokens: int = 400) -> LLMRequest:
    return LLMRequest(route=route, messages=MESSAGES, kind="product_description",
                      json_schema=output_schema("product_description").json_schema(
                          with_bounds=False),
                      max_output_tokens=max_output_tokens)


def paced_call(route: ModelSpec) -> int:
    """One call as the pipeline makes it: wait for the slot, call; the HTTP status."""
    request = request_for(route)
    route_pace(route, call_tokens(route, request.messages, request.max_output_tokens),
               max_wait=30)
    try:
        route_call(request)
    except TransientLLMError as exc:
        return exc.status
    return 200


def configure(sim, **behaviour):
    httpx.post(sim.url + "/_sim/config", json={"models": {HERMES: behaviour}})


# --- Reading the headers ----------------------------------------------------------


def test_an_answer_carries_the_providers_rate_limits(sim):
    configure(sim, rpm_limit=30, tpm_limit=60_000, window_s=60)

    result = complete(request_for(hermes_on(sim)))

    state = result.rate_limits
    assert (state.limit_requests, state.remaining_requests) == (30, 29)
    assert (state.limit_tokens, state.remaining_tokens) == (
        60_000, 60_000 - sim_requests(sim)[0]["body"]["max_tokens"] - prompt_tokens_seen(sim))
    assert 59.0 <= state.reset_requests_s <= 60.0
    assert 59.0 <= state.reset_tokens_s <= 60.0


def prompt_tokens_seen(sim) -> int:
    # The simulator counts a prompt at 4 characters a token.
    body = sim_requests(sim)[0]["body"]
    return math.ceil(sum(len(message["content"]) for message in body["messages"]) / 4)


def test_a_429_carries_them_too(sim):
    configure(sim, rpm_limit=1, window_s=60)
    complete(request_for(hermes_on(sim)))

    with pytest.raises(TransientLLMError) as caught:
        complete(request_for(hermes_on(sim)))

    assert caught.value.status == 429
    assert caught.value.rate_limits == RateLimitState(
        limit_requests=1, remaining_requests=0,
        reset_requests_s=caught.value.rate_limits.reset_requests_s)
    assert 59.0 <= caught.value.rate_limits.reset_requests_s <= 60.0


def test_an_endpoint_without_limits_states_none(sim):
    assert complete(request_for(hermes_on(sim))).rate_limits is None


@pytest.mark.parametrize(("text", "seconds"), [
    ("20ms", 0.02), ("1s", 1.0), ("6m0s", 360.0), ("1m30.5s", 90.5), ("1h2m3s", 3723.0),
    ("0.5", 0.5), ("250us", 0.00025), ("soon", None), ("", None), ("1s garbage", None),
])
def test_reset_durations_read_as_go_writes_them(text, seconds):
    assert duration_s(text) == (pytest.approx(seconds) if seconds is not None else None)


# --- Learning them ----------------------------------------------------------------


def test_a_call_stores_the_stated_limits_for_every_worker(sim):
    configure(sim, rpm_limit=500, tpm_limit=90_000, window_s=60)

    paced_call(hermes_on(sim))

    assert limiter().learned("hermes-3-405b") == LearnedLimits(rpm=500, tpm=90_000)
    assert 0 < limiter().client.pttl("cg:rl:learned:hermes-3-405b") <= (
        settings.RATE_LIMIT_LEARNED_TTL_S * 1000)


def test_with_no_limits_configured_calls_are_paced_at_a_share_of_the_learned_ones(sim):
    # Given a route with no limits configured, and a provider allowing 30 calls in any
    # 5 s (360 a minute, as its headers say), which 40 calls in a row would overrun
    configure(sim, rpm_limit=30, window_s=5)
    route = hermes_on(sim)

    # When 40 calls are made one after another
    started = time.monotonic()
    statuses = [paced_call(route) for _ in range(40)]
    elapsed = time.monotonic() - started

    # Then from the second call on they were paced at 90% of 360/min (one per 185 ms),
    # and the provider refused none of them.
    assert statuses.count(429) == 0
    assert len(sim_requests(sim)) == 40
    assert elapsed >= 38 * 60 / (0.9 * 360) - 0.1
    assert limiter().learned("hermes-3-405b") == LearnedLimits(rpm=360, tpm=None)


def test_configured_limits_win_over_learned_ones(sim, settings):
    # Given a route configured at 60/min whose provider states 6,000/min
    configure(sim, rpm_limit=6000, window_s=60)
    route = hermes_on(sim, rpm=60)
    paced_call(route)

    # When it books two more calls
    waits = [limiter().reserve(route.key, route_limits(route), 10) for _ in range(2)]

    # Then they are a second apart, not 11 ms.
    assert waits[1] - waits[0] == pytest.approx(1.0, abs=0.05)


# --- Giving back what was not used -------------------------------------------------


def test_unused_output_tokens_are_given_back_after_the_call(sim, redis_client):
    # Given a route limited to 60,000 tokens a minute (1 token = 1 ms), and one call
    # booked with 4,000 max output tokens that writes a few hundred
    route = hermes_on(sim, tpm=60_000)
    request = request_for(route, max_output_tokens=4000)
    booked = call_tokens(route, request.messages, request.max_output_tokens)
    route_pace(route, booked, max_wait=30)
    booked_until = int(redis_client.hget("cg:rl:hermes-3-405b", "t"))

    # When the call returns
    result = route_call(request)

    # Then the token bucket is pulled back by the unwritten output, in µs
    unused = 4000 - result.usage.output_tokens
    returned_until = int(redis_client.hget("cg:rl:hermes-3-405b", "t"))
    assert booked_until - returned_until == pytest.approx(unused * 1000, abs=1)


def test_a_slot_given_up_as_too_far_is_given_back(sim):
    # Given a route at 60/min whose next slot is a second away
    route = hermes_on(sim, rpm=60)
    limits = route_limits(route)
    limiter().reserve(route.key, limits, 1)
    limiter().reserve(route.key, limits, 1)

    # When an item will not wait that long
    with pytest.raises(WaitTooLong):
        route_pace(route, 1, max_wait=0.5)

    # Then its booking was returned: the next caller gets that same slot, not the one after.
    assert limiter().reserve(route.key, limits, 1) == pytest.approx(2.0, abs=0.05)


def test_route_limits_pace_learned_limits_without_a_burst(sim):
    assert route_limits(hermes_on(sim)) == RouteLimits(
        burst_s=0.0, learned_share=settings.RATE_LIMIT_LEARNED_SHARE)
    assert route_limits(hermes_on(sim, rpm=60)) == RouteLimits(
        rpm=60, burst_s=1.0, learned_share=settings.RATE_LIMIT_LEARNED_SHARE)
