"""The shared rate limiter, against the suite's real Redis (one key prefix per test)."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

from apps.generation.ratelimit import RateLimiter, RouteLimits, WaitTooLong

ROOT = Path(__file__).resolve().parents[2]
ROUTE = "hermes-3-405b"
# Back-to-back calls take well under a millisecond each; this absorbs a slow machine.
TOLERANCE = 0.05


@pytest.fixture
def limiter(redis_client, prefix):
    return RateLimiter(redis_client, prefix=prefix)


def book(limiter, limits, count, tokens=1, route=ROUTE):
    return [limiter.reserve(route, limits, tokens) for _ in range(count)]


# --- Requests per minute ------------------------------------------------------


def test_rpm_with_one_second_burst_sends_one_request_then_one_per_second(limiter):
    waits = book(limiter, RouteLimits(rpm=60, burst_s=1.0), 4)

    assert waits == pytest.approx([0.0, 1.0, 2.0, 3.0], abs=TOLERANCE)


def test_rpm_with_two_second_burst_sends_two_at_once(limiter):
    waits = book(limiter, RouteLimits(rpm=60, burst_s=2.0), 4)

    assert waits == pytest.approx([0.0, 0.0, 1.0, 2.0], abs=TOLERANCE)


def test_burst_is_a_second_of_capacity_then_the_steady_rate(limiter):
    # 600 rpm = 10/s: ten go at once, then one every 100 ms.
    waits = book(limiter, RouteLimits(rpm=600, burst_s=1.0), 13)

    assert waits == pytest.approx([0.0] * 10 + [0.1, 0.2, 0.3], abs=TOLERANCE)


# --- Tokens per minute --------------------------------------------------------


def test_tpm_alone_paces_by_tokens(limiter):
    # 6,000 tpm = 100 tokens/s; a 1 s burst holds 100 tokens, so two 50-token
    # requests at once, then one every half second.
    waits = book(limiter, RouteLimits(tpm=6000, burst_s=1.0), 5, tokens=50)

    assert waits == pytest.approx([0.0, 0.0, 0.5, 1.0, 1.5], abs=TOLERANCE)


def test_request_bigger_than_a_minute_of_tokens_goes_alone_instead_of_never(limiter):
    limits = RouteLimits(tpm=600, burst_s=1.0)  # 10 tokens/s

    first = limiter.reserve(ROUTE, limits, tokens=1000)  # 100 s of tokens
    second = limiter.reserve(ROUTE, limits, tokens=10)

    assert first == pytest.approx(0.0, abs=TOLERANCE)
    assert second == pytest.approx(100.0, abs=TOLERANCE)


def test_stricter_limit_wins_tokens_over_requests(limiter):
    # Requests allow 10/s; 50-token requests at 100 tokens/s allow only 2/s.
    waits = book(limiter, RouteLimits(rpm=600, tpm=6000, burst_s=1.0), 4, tokens=50)

    assert waits == pytest.approx([0.0, 0.0, 0.5, 1.0], abs=TOLERANCE)


def test_stricter_limit_wins_requests_over_tokens(limiter):
    # 1-token requests would allow 100/s by tokens; requests allow 10/s.
    waits = book(limiter, RouteLimits(rpm=600, tpm=6000, burst_s=1.0), 12, tokens=1)

    assert waits == pytest.approx([0.0] * 10 + [0.1, 0.2], abs=TOLERANCE)


def test_routes_are_limited_independently(limiter):
    limits = RouteLimits(rpm=60, burst_s=1.0)

    limiter.reserve("hermes-3-405b", limits, 1)

    assert limiter.reserve("gpt-4o-mini", limits, 1) == 0.0


def test_no_limits_means_no_wait_and_nothing_stored(limiter, redis_client, prefix):
    waits = book(limiter, RouteLimits(), 5, tokens=10_000)

    assert waits == [0.0] * 5
    assert redis_client.keys(f"{prefix}:*") == []


def test_limits_must_be_positive():
    with pytest.raises(ValueError):
        RouteLimits(rpm=0)
    with pytest.raises(ValueError):
        RouteLimits(tpm=-1)
    with pytest.raises(ValueError):
        RouteLimits(burst_s=-0.5)


# --- Back-off after a 429 -----------------------------------------------------


def test_back_off_delays_every_next_booking_and_resumes_without_a_burst(limiter):
    limits = RouteLimits(rpm=600, burst_s=1.0)

    limiter.back_off(ROUTE, 2.0)

    assert limiter.paused_for(ROUTE) == pytest.approx(2.0, abs=TOLERANCE)
    # Right after a back-off the route resumes at its steady rate (10/s), not in a burst.
    assert book(limiter, limits, 3) == pytest.approx([2.0, 2.1, 2.2], abs=TOLERANCE)


def test_back_off_applies_to_unlimited_routes_too(limiter):
    limiter.back_off(ROUTE, 1.5)

    assert limiter.reserve(ROUTE, RouteLimits(), 1) == pytest.approx(1.5, abs=TOLERANCE)


def test_shorter_back_off_never_shortens_a_longer_one(limiter):
    limiter.back_off(ROUTE, 2.0)
    limiter.back_off(ROUTE, 0.5)

    assert limiter.paused_for(ROUTE) == pytest.approx(2.0, abs=TOLERANCE)


def test_paused_for_is_zero_without_a_back_off(limiter):
    limiter.back_off("gpt-4o-mini", 5.0)

    assert limiter.paused_for(ROUTE) == 0.0


def test_back_off_is_seen_by_another_connection(limiter, prefix):
    other = RateLimiter(redis.Redis.from_url(settings.REDIS_URL), prefix=prefix)

    limiter.back_off(ROUTE, 1.0)

    assert other.paused_for(ROUTE) == pytest.approx(1.0, abs=TOLERANCE)
    other.client.close()


def test_acquire_books_again_when_a_back_off_began_while_it_slept(limiter):
    limits = RouteLimits(rpm=600, burst_s=0.0)  # strictly one per 100 ms
    limiter.reserve(ROUTE, limits, 1)
    slept = []

    def sleep(seconds):
        if not slept:
            limiter.back_off(ROUTE, 0.3)  # another worker got a 429 meanwhile
        slept.append(seconds)
        time.sleep(seconds)

    waited = limiter.acquire(ROUTE, limits, 1, sleep=sleep)

    # Slot at +0.1 s abandoned; rebooked at the back-off's end, +0.3 s.
    assert slept == pytest.approx([0.1, 0.2], abs=TOLERANCE)
    assert waited == pytest.approx(0.3, abs=TOLERANCE)
    assert limiter.paused_for(ROUTE) == 0.0


# --- Nothing left behind ------------------------------------------------------


def test_keys_expire_once_the_bookings_have_drained(limiter, redis_client, prefix):
    limiter.reserve(ROUTE, RouteLimits(rpm=600, burst_s=0.05), 1)

    [key] = redis_client.keys(f"{prefix}:*")
    assert 0 < redis_client.pttl(key) <= 100  # one 100 ms request interval
    time.sleep(0.15)
    assert redis_client.keys(f"{prefix}:*") == []


def test_back_off_keys_expire_when_the_back_off_ends(limiter, redis_client, prefix):
    limiter.back_off(ROUTE, 0.1)

    [key] = redis_client.keys(f"{prefix}:*")
    assert 0 < redis_client.pttl(key) <= 100
    time.sleep(0.15)
    assert redis_client.keys(f"{prefix}:*") == []


# --- Across worker processes ----------------------------------------------------


def test_limiter_holds_across_two_worker_processes(prefix):
    # Given two processes of 8 threads each, booking 60 requests apiece against
    # 1,200 rpm (20/s) with a 1 s burst (20 requests)
    rate, burst, per_process = 20, 20, 60
    start_at = time.time() + 1.0
    command = [sys.executable, "-m", "tests.generation.ratelimit_worker", settings.REDIS_URL,
               prefix, ROUTE, str(rate * 60), "1.0", str(per_process), "8", repr(start_at)]
    workers = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
               for _ in range(2)]

    # When they have all sent
    sends = []
    for worker in workers:
        out, _ = worker.communicate(timeout=30)
        assert worker.returncode == 0
        sends.extend(json.loads(out))
    sends.sort()

    # Then no 1-second window ever held more than one second's rate plus the burst
    assert len(sends) == 2 * per_process
    busiest = max(sum(1 for t in sends if start <= t <= start + 1.0) for start in sends)
    assert busiest <= rate + burst
    # and after the opening burst the two processes together ran at the limit, ±10%.
    steady_rate = (len(sends) - burst) / (sends[-1] - sends[0])
    assert rate * 0.9 <= steady_rate <= rate * 1.1


def test_acquire_refuses_a_wait_longer_than_the_caller_allows(limiter):
    limits = RouteLimits(rpm=60, burst_s=1)
    limiter.acquire(ROUTE, limits, 1, max_wait=5)  # the burst slot: no wait
    slept = []

    with pytest.raises(WaitTooLong) as caught:
        limiter.acquire(ROUTE, limits, 1, max_wait=0.5, sleep=slept.append)

    assert 0.9 < caught.value.wait_s <= 1.0
    assert slept == []  # it gave up at once, without sleeping


# --- Learned limits -------------------------------------------------------------


def test_a_route_with_nothing_configured_paces_at_a_share_of_its_learned_limit(limiter):
    # The provider said 600/min; at 90% that is one request every 111 ms.
    limiter.learn(ROUTE, rpm=600, tpm=None, ttl_s=60)

    waits = book(limiter, RouteLimits(burst_s=0.0, learned_share=0.9), 3)

    assert waits == pytest.approx([0.0, 0.111, 0.222], abs=TOLERANCE)


def test_learned_limits_are_ignored_without_a_share(limiter):
    limiter.learn(ROUTE, rpm=60, tpm=None, ttl_s=60)

    assert book(limiter, RouteLimits(burst_s=0.0), 3) == [0.0] * 3


def test_a_configured_limit_wins_and_a_learned_one_fills_the_other(limiter):
    # Configured 60 rpm beats the learned 6,000; the learned 6,000 tpm (at 50%: 50
    # tokens/s) still paces the tokens that nothing configured.
    limiter.learn(ROUTE, rpm=6000, tpm=6000, ttl_s=60)
    limits = RouteLimits(rpm=60, burst_s=0.0, learned_share=0.5)

    waits = book(limiter, limits, 3, tokens=100)

    assert waits == pytest.approx([0.0, 2.0, 4.0], abs=TOLERANCE)


def test_learned_limits_are_forgotten_after_their_ttl(limiter):
    limiter.learn(ROUTE, rpm=60, tpm=None, ttl_s=0.1)
    assert limiter.learned(ROUTE) is not None

    time.sleep(0.15)

    assert limiter.learned(ROUTE) is None
    assert book(limiter, RouteLimits(burst_s=0.0, learned_share=0.9), 2) == [0.0, 0.0]


# --- Giving back ------------------------------------------------------------------


def test_a_slot_given_up_as_too_far_goes_to_the_next_caller(limiter):
    limits = RouteLimits(rpm=60, burst_s=1.0)
    book(limiter, limits, 3)  # slots at 0, 1 and 2 s

    with pytest.raises(WaitTooLong):
        limiter.acquire(ROUTE, limits, 1, max_wait=0.5)  # the 3 s slot, given up

    assert limiter.reserve(ROUTE, limits, 1) == pytest.approx(3.0, abs=TOLERANCE)


def test_a_slot_given_up_is_lost_when_another_booking_came_after_it(limiter, monkeypatch):
    limits = RouteLimits(rpm=60, burst_s=1.0)
    book(limiter, limits, 3)  # slots at 0, 1 and 2 s
    book_one = limiter._book

    def book_then_another_worker_books(*args):
        booked = book_one(*args)  # our slot at 3 s...
        book_one(ROUTE, limits, 1)  # ...and another worker's at 4 s
        return booked

    monkeypatch.setattr(limiter, "_book", book_then_another_worker_books)
    with pytest.raises(WaitTooLong):
        limiter.acquire(ROUTE, limits, 1, max_wait=0.5)
    monkeypatch.undo()

    # Pulling the TAT back would put the next caller on the 4 s booking's instant.
    assert limiter.reserve(ROUTE, limits, 1) == pytest.approx(5.0, abs=TOLERANCE)


def test_returned_tokens_bring_the_next_slot_closer(limiter):
    limits = RouteLimits(tpm=6000, burst_s=0.0)  # 100 tokens/s
    limiter.reserve(ROUTE, limits, 100)  # 1 s of tokens booked...

    limiter.give_back(ROUTE, limits, tokens=70)  # ...30 used

    assert limiter.reserve(ROUTE, limits, 100) == pytest.approx(0.3, abs=TOLERANCE)


def test_giving_back_never_makes_a_bucket_more_than_empty(limiter):
    limits = RouteLimits(tpm=6000, burst_s=0.0)
    limiter.reserve(ROUTE, limits, 100)

    limiter.give_back(ROUTE, limits, tokens=500)

    assert book(limiter, limits, 2, tokens=100) == pytest.approx([0.0, 1.0], abs=TOLERANCE)


def test_giving_back_to_a_drained_route_stores_nothing(limiter, redis_client, prefix):
    limiter.give_back(ROUTE, RouteLimits(tpm=6000), tokens=100)

    assert redis_client.keys(f"{prefix}:*") == []


def test_a_slot_abandoned_to_a_back_off_is_not_given_back(limiter):
    limits = RouteLimits(rpm=120, burst_s=0.0)  # one per 500 ms
    limiter.reserve(ROUTE, limits, 1)  # now; our slot will be at +0.5 s
    slept = []

    def sleep(seconds):
        if not slept:
            limiter.back_off(ROUTE, 0.75)  # another worker's 429, while we wait
        slept.append(seconds)
        time.sleep(seconds)

    waited = limiter.acquire(ROUTE, limits, 1, sleep=sleep)

    # Returning the +0.5 s slot would put us at +0.5 s on top of whoever booked after
    # it; the rebooking goes after the abandoned slot's interval instead.
    assert waited == pytest.approx(1.0, abs=TOLERANCE)
