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

Learned limits: a limit that is not configured may come from the provider's own
`x-ratelimit-limit-*` headers, stored per route by `learn` (shared by every
worker, refreshed by every answer, forgotten `ttl_s` after the last one). A
booking paces at `learned_share` of them, so the clocks' drift and the calls
already in flight when they were learned stay under the provider's figure.
A configured limit always wins over a learned one.

Giving back: capacity booked and not used comes back, where that is safe.
- A slot the caller gives up as too far off (the item goes back to the queue) is
  returned whole if no booking was placed after it, which is the usual case: it was
  booked a moment before. If one was, the slot is lost: pulling the TAT back under
  a later booking would put the next caller on that booking's instant, a burst a
  provider enforcing its limit over a few seconds would refuse.
- Tokens booked and not spent (max output booked, less written) are returned by
  pulling the token TAT back, never below now (a bucket is never more than empty).
  The next bookings may then land up to that many tokens early, but within a
  minute, the provider's window, the route sends no more than it booked.
- A slot abandoned to a back-off is not returned: the back-off restarts the
  schedule at its end anyway.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

import redis

MICROS = 1_000_000

# How a booking's costs are worked out, shared by reserve and give-back so that
# what is returned is priced as it was booked.
# KEYS[2] learned-limits hash (lr = requests/min, lt = tokens/min, from the provider).
# ARGV[1] configured rpm, ARGV[2] configured tpm (0 = none), ARGV[3] share of a learned
# limit to pace at (0 = ignore learned), ARGV[4] requests, ARGV[5] tokens.
# Costs are in µs of the route's capacity; 0 = that limit is unknown.
_COSTS = """
local function costs()
  local rpm = tonumber(ARGV[1])
  local tpm = tonumber(ARGV[2])
  local share = tonumber(ARGV[3])
  if share > 0 and (rpm == 0 or tpm == 0) then
    local learned = redis.call('HMGET', KEYS[2], 'lr', 'lt')
    if rpm == 0 then rpm = (tonumber(learned[1]) or 0) * share end
    if tpm == 0 then tpm = (tonumber(learned[2]) or 0) * share end
  end
  local req_cost, tok_cost = 0, 0
  if rpm > 0 then req_cost = tonumber(ARGV[4]) * 60000000 / rpm end
  if tpm > 0 then tok_cost = tonumber(ARGV[5]) * 60000000 / tpm end
  return req_cost, tok_cost
end
"""

# KEYS[1] route hash (r = request TAT, t = token TAT, p = back-off end; all in µs).
# ARGV as _COSTS, then ARGV[6] burst µs. Returns {wait, request TAT, token TAT} in µs
# (a TAT is -1 when that limit booked nothing).
_RESERVE = _COSTS + """
redis.replicate_commands()
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local req_cost, tok_cost = costs()
local burst = tonumber(ARGV[6])
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
local booked_r, booked_t = '-1', '-1'
if req_tat then
  req_tat = math.max(req_tat, start) + req_cost
  booked_r = string.format('%.0f', math.ceil(req_tat))
  redis.call('HSET', KEYS[1], 'r', booked_r)
  horizon = math.max(horizon, req_tat)
end
if tok_tat then
  tok_tat = math.max(tok_tat, start) + tok_cost
  booked_t = string.format('%.0f', math.ceil(tok_tat))
  redis.call('HSET', KEYS[1], 't', booked_t)
  horizon = math.max(horizon, tok_tat)
end
-- The state matters only until the last booking's capacity has drained.
if horizon > now then
  redis.call('PEXPIRE', KEYS[1], math.ceil((horizon - now) / 1000))
end
return {string.format('%.0f', start - now), booked_r, booked_t}
"""

# KEYS and ARGV[1..5] as _COSTS, then ARGV[6], ARGV[7]: the request and token TATs
# the booking left (-1 = any). Pulls each TAT back by the returned cost, never below
# now, and only while it is still the one given (no booking was placed after it); a
# bucket that has drained (no field, or expired) has nothing to return to.
_GIVE_BACK = _COSTS + """
redis.replicate_commands()
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local req_cost, tok_cost = costs()
local state = redis.call('HMGET', KEYS[1], 'r', 't')
local function give(field, tat, cost, booked)
  if tat and cost > 0 and tat > now and (booked < 0 or tat == booked) then
    redis.call('HSET', KEYS[1], field, string.format('%.0f', math.max(now, tat - cost)))
  end
end
give('r', tonumber(state[1]), req_cost, tonumber(ARGV[6]))
give('t', tonumber(state[2]), tok_cost, tonumber(ARGV[7]))
return 0
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
    rpm: int | None = None  # None = unlimited (or learned, see learned_share)
    tpm: int | None = None  # a request's tokens = its input tokens + its max output tokens
    burst_s: float = 1.0  # how many seconds' worth of capacity may go out at once
    # For a limit left None: pace at this share of the limit learned from the provider's
    # headers. 0 = ignore learned limits.
    learned_share: float = 0.0

    def __post_init__(self):
        for name in ("rpm", "tpm"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be positive or None, not {value!r}")
        if self.burst_s < 0:
            raise ValueError(f"burst_s must not be negative, not {self.burst_s!r}")
        if not 0 <= self.learned_share <= 1:
            raise ValueError(f"learned_share must be within 0..1, not {self.learned_share!r}")


@dataclass(frozen=True)
class LearnedLimits:
    """A route's limits as its provider last stated them, per minute."""

    rpm: int | None
    tpm: int | None


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
        self._give_back = client.register_script(_GIVE_BACK)
        self._back_off = client.register_script(_BACK_OFF)
        self._paused_for = client.register_script(_PAUSED_FOR)

    def reserve(self, route: str, limits: RouteLimits, tokens: int) -> float:
        """Atomically book one request of `tokens` tokens; return how many seconds the
        caller must wait before sending (0.0 = now)."""
        return self._book(route, limits, tokens)[0] / MICROS

    def _book(self, route: str, limits: RouteLimits, tokens: int) -> tuple[int, str, str]:
        """Book; the wait in µs and the request and token TATs the booking left."""
        if tokens < 0:
            raise ValueError(f"tokens must not be negative, not {tokens!r}")
        # A zero-token request still books a sliver, so a TPM limit is never skipped.
        wait_us, request_tat, token_tat = self._reserve(
            keys=self._keys(route),
            args=[*self._cost_args(limits, 1, max(tokens, 1)), repr(limits.burst_s * MICROS)])
        return int(wait_us), _text(request_tat), _text(token_tat)

    def give_back(self, route: str, limits: RouteLimits, *, tokens: int) -> None:
        """Return `tokens` booked under `limits` and not spent."""
        if tokens < 0:
            raise ValueError(f"tokens must not be negative, not {tokens!r}")
        if tokens:
            self._give_back(keys=self._keys(route),
                            args=[*self._cost_args(limits, 0, tokens), "-1", "-1"])

    def acquire(self, route: str, limits: RouteLimits, tokens: int, *,
                max_wait: float | None = None,
                sleep: Callable[[float], None] = time.sleep) -> float:
        """Book, sleep until the booking, and book again if another worker began a
        back-off meanwhile (its 429 says our slot is no good). Returns seconds waited.

        A booking further off than `max_wait` raises WaitTooLong instead of sleeping,
        and is given back (if still the last): the caller should rather give its
        thread back and come again later.
        """
        waited = 0.0
        while True:
            wait_us, request_tat, token_tat = self._book(route, limits, tokens)
            wait = wait_us / MICROS
            if max_wait is not None and wait > max_wait:
                self._give_back(keys=self._keys(route), args=[
                    *self._cost_args(limits, 1, max(tokens, 1)), request_tat, token_tat])
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

    def learn(self, route: str, *, rpm: int | None, tpm: int | None, ttl_s: float) -> None:
        """Store the limits the provider stated for the route (a None is left as it was)."""
        fields = {name: value for name, value in (("lr", rpm), ("lt", tpm))
                  if value is not None and value > 0}
        if not fields:
            return
        key = self._learned_key(route)
        with self.client.pipeline() as pipe:
            pipe.hset(key, mapping=fields)
            pipe.pexpire(key, max(int(ttl_s * 1000), 1))
            pipe.execute()

    def learned(self, route: str) -> LearnedLimits | None:
        """The limits last learned for the route, or None."""
        rpm, tpm = self.client.hmget(self._learned_key(route), "lr", "lt")
        if rpm is None and tpm is None:
            return None
        return LearnedLimits(rpm=int(rpm) if rpm else None, tpm=int(tpm) if tpm else None)

    @staticmethod
    def _cost_args(limits: RouteLimits, requests: int, tokens: int) -> list[str]:
        return [str(limits.rpm or 0), str(limits.tpm or 0), repr(limits.learned_share),
                str(requests), str(tokens)]

    def _keys(self, route: str) -> list[str]:
        return [self._key(route), self._learned_key(route)]

    def _key(self, route: str) -> str:
        return f"{self.prefix}:{route}"

    def _learned_key(self, route: str) -> str:
        return f"{self.prefix}:learned:{route}"


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
