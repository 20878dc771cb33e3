"""The shared traffic controls of the model routes, configured from settings: one
Redis-backed rate limiter and one circuit breaker for every worker process."""

import logging
import threading
from functools import lru_cache

import redis
from django.conf import settings

from apps.generation.breaker import BreakerPolicy, CircuitBreaker
from apps.generation.catalog import ModelSpec
from apps.generation.client import (
    AnswerRejected,
    LLMRequest,
    LLMResult,
    TransientLLMError,
    complete,
)
from apps.generation.ratelimit import RateLimiter, RouteLimits

_lock = threading.Lock()
logger = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _redis(url: str) -> redis.Redis:
    # redis-py clients are thread-safe; one connection pool per process and URL.
    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)


def limiter() -> RateLimiter:
    with _lock:
        return _limiter(settings.REDIS_URL)


def breaker() -> CircuitBreaker:
    with _lock:
        return _breaker(settings.REDIS_URL)


@lru_cache(maxsize=4)
def _limiter(url: str) -> RateLimiter:
    return RateLimiter(_redis(url))


@lru_cache(maxsize=4)
def _breaker(url: str) -> CircuitBreaker:
    return CircuitBreaker(_redis(url))


def route_limits(route: ModelSpec) -> RouteLimits | None:
    """The route's configured limits, or None when it has none (nothing to book)."""
    if not route.rpm and not route.tpm:
        return None
    return RouteLimits(rpm=route.rpm or None, tpm=route.tpm or None)


def breaker_policy() -> BreakerPolicy:
    return BreakerPolicy(failure_threshold=settings.BREAKER_FAILURE_THRESHOLD,
                         window_s=settings.BREAKER_WINDOW_S, cooldown_s=settings.BREAKER_COOLDOWN_S)


# Traffic controls are advice, not gates: when Redis cannot be reached, a call goes
# out unpaced rather than the item failing or an answer already paid for being lost.
# (The design's rule: Redis is the broker, never the source of truth.)

def _best_effort(default):
    def wrap(fn):
        def call(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except redis.RedisError as exc:
                logger.warning("traffic control unavailable (%s): %s", fn.__name__, exc)
                return default
        return call
    return wrap


@_best_effort(default=True)
def route_allowed(route: str) -> bool:
    return breaker().allow(route, breaker_policy())


@_best_effort(default=None)
def route_succeeded(route: str) -> None:
    breaker().record_success(route)


@_best_effort(default=None)
def route_failed(route: str) -> None:
    breaker().record_failure(route, breaker_policy())


@_best_effort(default=0.0)
def route_acquire(route: str, limits: RouteLimits, tokens: int, *, max_wait: float) -> float:
    """Wait for the call's slot; raises WaitTooLong past `max_wait` seconds."""
    return limiter().acquire(route, limits, tokens, max_wait=max_wait)


@_best_effort(default=None)
def route_back_off(route: str, seconds: float) -> None:
    limiter().back_off(route, seconds)


# --- What the pipeline calls: pace a call, make it, tell the controls how it went ---


def route_pace(route: ModelSpec, tokens: int, *, max_wait: float) -> None:
    """Wait for this call's slot under the route's shared limits (requests and tokens);
    raises WaitTooLong when the slot is more than `max_wait` seconds away."""
    limits = route_limits(route)
    if limits is None:
        return
    route_acquire(route.key, limits, tokens, max_wait=max_wait)


def route_call(request: LLMRequest) -> LLMResult:
    """One model call, with the route's breaker and limiter told how it went."""
    route = request.route
    try:
        result = complete(request)
    except TransientLLMError as exc:
        if exc.status == 429:
            # Rate limits are not outages: the whole route backs off instead.
            route_back_off(route.key, exc.retry_after_s or settings.GENERATION_RETRY_BACKOFF_S)
        else:
            route_failed(route.key)
        raise
    except AnswerRejected:
        route_succeeded(route.key)  # the route answered; the answer was bad
        raise
    route_succeeded(route.key)
    return result
