"""The per-route rate limiter shared by every worker process, kept in Redis.

The provider's limits (requests per minute, tokens per minute) are global, so
every thread of every worker books its call here before sending. Booking is
GCRA (the generic cell rate algorithm) in virtual-scheduling form: each route
keeps a theoretical arrival time (TAT) for requests and one for tokens, a
booking is placed at the earliest instant both allow, and the caller sleeps
until then. Bookings are made in the future, so a crowd of callers is spread
out at exactly the limit instead of retrying in a loop.

Each operation is one Lua script (one round trip, atomic across processes) that
reads Redis `TIME`, so every worker shares one clock whatever its own says.

Burst: `burst_s` seconds of capacity may go out at once, counting the request
being booked. A booking of cost `c` seconds (60/rpm for the request, 60/tpm per
token) starts once the bucket's backlog (TAT - now) plus `c` fits in `burst_s`,
i.e. at TAT - max(0, burst_s - c). So over any window of L seconds a route
sends at most (L + burst_s) seconds' worth of capacity, and a request bigger
than the whole burst goes alone, once the backlog has drained, rather than
never. The stricter of the two limits decides each booking.

Cancelling a booking is deliberately not offered: in GCRA only the most recent
booking could be given back safely (later bookings already sit behind it, and
pulling the TAT back would let the next caller collide with them). An unused
booking costs one slot of capacity; erring towards under-use is the safe side.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

import redis

MICROS = 1_000_000

# KEYS[1] route hash (r = request TAT, t = token TAT, p = back-off end; all in µs).
# ARGV: request interval µs (0 = unlimited), token cost µs (0 = unlimited), burst µs.
# Returns the wait in µs.
_RESERVE = """
redis.replicate_commands()
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local req_cost = tonumber(ARGV[1])
local tok_cost = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'r', 't', 'p')
local pause = tonumber(state[3]) or 0

local start = math.max(now, pause)
local function earliest(tat, cost)
  local tolerance = math.max(0, burst - cost)
  -- Right after a back-off the bucket counts as full: the route resumes at its
  -- steady rate instead of releasing a burst into a provider that just said no.
  tat = math.max(tat, pause + tolerance)
  return tat, tat - tolerance
end

local req_tat, tok_tat
if req_cost > 0 then
  local at
  req_tat, at = earliest(tonumber(state[1]) or 0, req_cost)
  start = math.max(start, at)
end
if tok_cost > 0 then
  local at
  tok_tat, at = earliest(tonumber(state[2]) or 0, tok_cost)
  start = math.max(start, at)
end

local horizon = pause + burst
if req_tat then
  req_tat = math.max(req_tat, start) + req_cost
  redis.call('HSET', KEYS[1], 'r', string.format('%.0f', math.ceil(req_tat)))
  horizon = math.max(horizon, req_tat)
end
if tok_tat then
  tok_tat = math.max(tok_tat, start) + tok_cost
  redis.call('HSET', KEYS[1], 't', string.format('%.0f', math.ceil(tok_tat)))
  horizon = math.max(horizon, tok_tat)
end
-- The state matters only until the last booking's capacity has drained.
if horizon > now then
  redis.call('PEXPIRE', KEYS[1], math.ceil((horizon - now) / 1000))
end
return start - now
"""

# KEYS[1] route hash. ARGV[1] back-off µs. Returns the back-off still to run, in µs.
_BACK_OFF = """
redis.replicate_commands()
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local pause = math.max(tonumber(redis.call('HGET', KEYS[1], 'p')) or 0, now + tonumber(ARGV[1]))
redis.call('HSET', KEYS[1], 'p', string.format('%.0f', math.ceil(pause)))
local ttl_ms = math.ceil((pause - now) / 1000)
if redis.call('PTTL', KEYS[1]) < ttl_ms then
  redis.call('PEXPIRE', KEYS[1], ttl_ms)
end
return pause - now
"""

# KEYS[1] route hash. Returns the back-off still to run, in µs (0 if none).
_PAUSED_FOR = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local pause = tonumber(redis.call('HGET', KEYS[1], 'p')) or 0
return math.max(0, pause - now)
"""


class WaitTooLong(Exception):
    """The route's next free slot is further off than the caller will wait."""

    def __init__(self, wait_s: float):
        self.wait_s = wait_s
        super().__init__(f"next slot in {wait_s:.1f}s")


@dataclass(frozen=True)
class RouteLimits:
    rpm: int | None = None  # None = unlimited
    tpm: int | None = None  # a request's tokens = its input tokens + its max output tokens
    burst_s: float = 1.0  # how many seconds' worth of capacity may go out at once

    def __post_init__(self):
        for name in ("rpm", "tpm"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be positive or None, not {value!r}")
        if self.burst_s < 0:
            raise ValueError(f"burst_s must not be negative, not {self.burst_s!r}")


class RateLimiter:
    """Books calls to a route so that all workers together stay within its limits.

    A worker's call looks like: `time.sleep(limiter.reserve(route, limits, tokens))`,
    then send; on a 429, `limiter.back_off(route, retry_after)`. `acquire` does the
    sleeping and also notices a back-off that began while the caller slept.
    """

    def __init__(self, client: redis.Redis, *, prefix: str = "cg:rl"):
        self.client = client
        self.prefix = prefix
        self._reserve = client.register_script(_RESERVE)
        self._back_off = client.register_script(_BACK_OFF)
        self._paused_for = client.register_script(_PAUSED_FOR)

    def reserve(self, route: str, limits: RouteLimits, tokens: int) -> float:
        """Atomically book one request of `tokens` tokens; return how many seconds the
        caller must wait before sending (0.0 = now)."""
        if tokens < 0:
            raise ValueError(f"tokens must not be negative, not {tokens!r}")
        request_us = 60 * MICROS / limits.rpm if limits.rpm else 0
        # A zero-token request still books a sliver, so a TPM limit is never skipped.
        tokens_us = max(tokens, 1) * 60 * MICROS / limits.tpm if limits.tpm else 0
        wait_us = self._reserve(keys=[self._key(route)],
                                args=[repr(request_us), repr(tokens_us),
                                      repr(limits.burst_s * MICROS)])
        return int(wait_us) / MICROS

    def acquire(self, route: str, limits: RouteLimits, tokens: int, *,
                max_wait: float | None = None,
                sleep: Callable[[float], None] = time.sleep) -> float:
        """Book, sleep until the booking, and book again if another worker began a
        back-off meanwhile (its 429 says our slot is no good). Returns seconds waited.

        A booking further off than `max_wait` raises WaitTooLong instead of sleeping:
        the caller should rather give its thread back and come again later.
        """
        waited = 0.0
        while True:
            wait = self.reserve(route, limits, tokens)
            if max_wait is not None and wait > max_wait:
                raise WaitTooLong(wait)
            if wait <= 0:
                return waited
            sleep(wait)
            waited += wait
            if self.paused_for(route) <= 0:
                return waited

    def back_off(self, route: str, seconds: float) -> None:
        """After a 429 with Retry-After: nothing for this route is scheduled before
        now + seconds, in any process. A shorter back-off never shortens a longer one."""
        self._back_off(keys=[self._key(route)], args=[repr(max(seconds, 0.0) * MICROS)])

    def paused_for(self, route: str) -> float:
        """Seconds until the route's back-off ends (0.0 if none)."""
        return int(self._paused_for(keys=[self._key(route)])) / MICROS

    def _key(self, route: str) -> str:
        return f"{self.prefix}:{route}"
