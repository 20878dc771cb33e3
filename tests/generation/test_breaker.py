"""The shared circuit breaker, against the suite's real Redis (one key prefix per test)."""

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

from apps.generation.breaker import BreakerPolicy, CircuitBreaker

ROOT = Path(__file__).resolve().parents[2]
ROUTE = "hermes-3-405b"
# Long enough that a test never crosses it by accident.
STEADY = BreakerPolicy(failure_threshold=3, window_s=30.0, cooldown_s=30.0)
# Short cooldown for the tests that wait it out.
QUICK = BreakerPolicy(failure_threshold=1, window_s=30.0, cooldown_s=0.2)
PAST_COOLDOWN = 0.25


@pytest.fixture
def breaker(redis_client, prefix):
    return CircuitBreaker(redis_client, prefix=prefix)


def fail(breaker, times, policy, route=ROUTE):
    for _ in range(times):
        breaker.record_failure(route, policy)


def open_and_wait_out(breaker, policy=QUICK):
    fail(breaker, policy.failure_threshold, policy)
    time.sleep(PAST_COOLDOWN)


# --- Closed → open ------------------------------------------------------------


def test_new_route_is_closed_and_allowed(breaker):
    assert breaker.state(ROUTE, STEADY) == "closed"
    assert breaker.allow(ROUTE, STEADY) is True


def test_failures_below_threshold_keep_it_closed(breaker):
    fail(breaker, 2, STEADY)

    assert breaker.state(ROUTE, STEADY) == "closed"
    assert breaker.allow(ROUTE, STEADY) is True


def test_threshold_failures_within_window_open_it(breaker):
    fail(breaker, 3, STEADY)

    assert breaker.state(ROUTE, STEADY) == "open"
    assert breaker.allow(ROUTE, STEADY) is False


def test_failures_spread_beyond_the_window_do_not_open_it(breaker):
    policy = BreakerPolicy(failure_threshold=3, window_s=0.2, cooldown_s=30.0)

    fail(breaker, 2, policy)
    time.sleep(0.25)
    fail(breaker, 1, policy)

    assert breaker.state(ROUTE, policy) == "closed"
    # The window slides: the latest failure plus two more are three within 0.2 s.
    fail(breaker, 2, policy)
    assert breaker.state(ROUTE, policy) == "open"


def test_success_clears_the_failures(breaker):
    fail(breaker, 2, STEADY)
    breaker.record_success(ROUTE)
    fail(breaker, 2, STEADY)

    assert breaker.state(ROUTE, STEADY) == "closed"


def test_routes_are_independent(breaker):
    fail(breaker, 3, STEADY)

    assert breaker.allow("gpt-4o-mini", STEADY) is True
    assert breaker.state("gpt-4o-mini", STEADY) == "closed"


def test_failures_reported_while_open_do_not_extend_the_cooldown(breaker):
    policy = BreakerPolicy(failure_threshold=1, window_s=30.0, cooldown_s=0.3)
    fail(breaker, 1, policy)

    time.sleep(0.15)
    fail(breaker, 1, policy)  # a call that started before the circuit opened
    time.sleep(0.2)

    assert breaker.state(ROUTE, policy) == "half_open"


# --- Half-open probe ------------------------------------------------------------


def test_after_cooldown_one_probe_is_allowed_and_the_rest_refused(breaker):
    fail(breaker, 1, QUICK)
    assert breaker.allow(ROUTE, QUICK) is False
    time.sleep(PAST_COOLDOWN)

    assert breaker.state(ROUTE, QUICK) == "half_open"
    assert breaker.allow(ROUTE, QUICK) is True
    assert breaker.allow(ROUTE, QUICK) is False
    assert breaker.state(ROUTE, QUICK) == "half_open"


def test_probe_success_closes_it(breaker, redis_client, prefix):
    open_and_wait_out(breaker)
    assert breaker.allow(ROUTE, QUICK) is True

    breaker.record_success(ROUTE)

    assert breaker.state(ROUTE, QUICK) == "closed"
    assert [breaker.allow(ROUTE, QUICK) for _ in range(3)] == [True, True, True]
    assert redis_client.keys(f"{prefix}:*") == []  # a closed route leaves nothing behind


def test_probe_failure_reopens_it_for_another_cooldown(breaker):
    open_and_wait_out(breaker)
    assert breaker.allow(ROUTE, QUICK) is True

    breaker.record_failure(ROUTE, QUICK)

    assert breaker.state(ROUTE, QUICK) == "open"
    assert breaker.allow(ROUTE, QUICK) is False
    time.sleep(PAST_COOLDOWN)
    assert breaker.allow(ROUTE, QUICK) is True


def test_probe_that_never_reports_is_replaced_after_a_cooldown(breaker):
    open_and_wait_out(breaker)
    assert breaker.allow(ROUTE, QUICK) is True  # its worker is killed: no report

    assert breaker.allow(ROUTE, QUICK) is False
    time.sleep(PAST_COOLDOWN)
    assert breaker.allow(ROUTE, QUICK) is True


def test_exactly_one_of_many_concurrent_callers_gets_the_probe(breaker, prefix):
    open_and_wait_out(breaker)
    clients = [redis.Redis.from_url(settings.REDIS_URL) for _ in range(16)]
    breakers = [CircuitBreaker(c, prefix=prefix) for c in clients]
    for b in breakers:
        b.client.ping()  # connect first, so the calls below really race
    barrier = threading.Barrier(len(breakers))
    answers = []

    def ask(b):
        barrier.wait()
        answers.append(b.allow(ROUTE, QUICK))

    threads = [threading.Thread(target=ask, args=(b,)) for b in breakers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert sorted(answers) == [False] * 15 + [True]
    for c in clients:
        c.close()


# --- Shared across connections and processes -----------------------------------


def test_state_is_shared_across_connections(breaker, prefix):
    other = CircuitBreaker(redis.Redis.from_url(settings.REDIS_URL), prefix=prefix)

    fail(breaker, 3, STEADY)

    assert other.allow(ROUTE, STEADY) is False
    other.record_success(ROUTE)
    assert breaker.state(ROUTE, STEADY) == "closed"
    other.client.close()


def test_a_failure_recorded_in_another_process_opens_it_here(breaker, prefix):
    script = (
        "import sys, redis\n"
        "from apps.generation.breaker import BreakerPolicy, CircuitBreaker\n"
        "b = CircuitBreaker(redis.Redis.from_url(sys.argv[1]), prefix=sys.argv[2])\n"
        "b.record_failure(sys.argv[3], BreakerPolicy(failure_threshold=3))\n"
    )
    fail(breaker, 2, STEADY)

    done = subprocess.run([sys.executable, "-c", script, settings.REDIS_URL, prefix, ROUTE],
                          cwd=ROOT, capture_output=True, text=True, timeout=30)

    assert done.returncode == 0, done.stderr
    assert breaker.state(ROUTE, STEADY) == "open"
    assert breaker.allow(ROUTE, STEADY) is False


def test_policy_must_be_sane():
    with pytest.raises(ValueError):
        BreakerPolicy(failure_threshold=0)
    with pytest.raises(ValueError):
        BreakerPolicy(cooldown_s=0)
