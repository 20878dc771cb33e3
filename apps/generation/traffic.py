"""The shared traffic controls of the model routes, configured from settings: one
Redis-backed rate limiter and one circuit breaker for every worker process.

Every call is paced, whatever is configured: a route with no RPM/TPM set still waits
out a back-off another worker's 429 started, and paces at a share of the limits its
provider states in `x-ratelimit-*` headers, which every answer refreshes. Capacity
booked and not used (a slot given up, output tokens not written) is given back.
"""

import logging
import threading
import time
from functools import lru_cache

import redis
from django.conf import settings

from apps.generation.breaker import BreakerPolicy, CircuitBreaker
from apps.generation.catalog import ModelSpec
from apps.generation.client import (
    AnswerRejected,
    LLMRequest,
    LLMResult,
    LLMUsage,
    RateLimitState,
    TransientLLMError,
    complete,
)
from apps.generation.ratelimit import RateLimiter, RouteLimits
from apps.generation.tokens import prompt_tokens

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


def route_limits(route: ModelSpec) -> RouteLimits:
    """What a call on the route is paced by: its configured RPM/TPM, and for a limit not
    configured, a share of the one its provider stated (if it did).

    Paced by learned limits alone, a route sends no burst: providers may enforce a
    per-minute limit over a few seconds (OpenAI says it does), where a burst on top of
    the steady share would overrun it."""
    configured = bool(route.rpm or route.tpm)
    return RouteLimits(rpm=route.rpm or None, tpm=route.tpm or None,
                       burst_s=1.0 if configured else 0.0,
                       learned_share=settings.RATE_LIMIT_LEARNED_SHARE)


def call_tokens(route: ModelSpec, messages: list[dict], max_output_tokens: int) -> int:
    """What a call books against the route's token limit: the prompt's text, each image
    at the route's price in tokens, and the whole max output (providers count it too)."""
    images = sum(1 for message in messages if not isinstance(message["content"], str)
                 for part in message["content"] if part["type"] == "image_url")
    return prompt_tokens(messages) + max_output_tokens + images * route.image_input_tokens


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


@_best_effort(default=None)
def route_give_back(route: str, limits: RouteLimits, *, tokens: int) -> None:
    limiter().give_back(route, limits, tokens=tokens)


# What this process last told Redis of each route's limits, and when: every answer
# restates them, and rewriting the same values on every call is a round trip for
# nothing. They are written again when they change, or after LEARNED_REWRITE_S (so a
# Redis that came back empty relearns them within seconds).
LEARNED_REWRITE_S = 10.0
_learned_written: dict[str, tuple[int | None, int | None, float]] = {}


def route_learned_forget() -> None:
    """Forget what this process wrote (tests; the next answer writes again)."""
    _learned_written.clear()


@_best_effort(default=None)
def route_learn(route: str, state: RateLimitState) -> None:
    now = time.monotonic()
    last = _learned_written.get(route)
    if last is not None and last[:2] == (state.limit_requests, state.limit_tokens) \
            and now - last[2] < LEARNED_REWRITE_S:
        return
    limiter().learn(route, rpm=state.limit_requests, tpm=state.limit_tokens,
                    ttl_s=settings.RATE_LIMIT_LEARNED_TTL_S)
    _learned_written[route] = (state.limit_requests, state.limit_tokens, now)


# --- What the pipeline calls: pace a call, make it, tell the controls how it went ---


def route_pace(route: ModelSpec, tokens: int, *, max_wait: float) -> None:
    """Wait for this call's slot under the route's shared limits (requests and tokens)
    and past any back-off; raises WaitTooLong when the slot is more than `max_wait`
    seconds away (the booking is given back)."""
    route_acquire(route.key, route_limits(route), tokens, max_wait=max_wait)


def route_call(request: LLMRequest) -> LLMResult:
    """One model call, with the route's breaker and limiter told how it went: what the
    provider said of its limits, and the capacity the call booked but did not use."""
    route = request.route
    try:
        result = complete(request)
    except TransientLLMError as exc:
        _limits_learn(route, exc.rate_limits)
        if exc.status == 429:
            # Rate limits are not outages: the whole route backs off instead.
            route_back_off(route.key, exc.retry_after_s or settings.GENERATION_RETRY_BACKOFF_S)
        else:
            route_failed(route.key)
        raise
    except AnswerRejected as exc:
        _limits_learn(route, exc.rate_limits)
        _unused_tokens_give_back(request, exc.usage, exc.rate_limits)
        route_succeeded(route.key)  # the route answered; the answer was bad
        raise
    _limits_learn(route, result.rate_limits)
    _unused_tokens_give_back(request, result.usage, result.rate_limits)
    route_succeeded(route.key)
    return result


def _limits_learn(route: ModelSpec, state: RateLimitState | None) -> None:
    if state is not None and (state.limit_requests or state.limit_tokens):
        route_learn(route.key, state)


def _unused_tokens_give_back(request: LLMRequest, usage: LLMUsage,
                             state: RateLimitState | None) -> None:
    """The call booked its whole max output; what it did not write goes back. Only
    the output is settled: the prompt's estimate stands, erring towards under-use."""
    route = request.route
    token_limited = route.tpm or (state is not None and state.limit_tokens)
    unused = request.max_output_tokens - usage.output_tokens
    if token_limited and unused > 0 and settings.RATE_LIMIT_GIVE_BACK_UNUSED_TOKENS:
        route_give_back(route.key, route_limits(route), tokens=unused)
