"""A circuit breaker per model route, shared by every worker process through Redis.

When a route keeps failing (5xx, timeouts, connection errors: the caller decides
what counts), every worker should stop calling it at once, not each after its own
run of failures. The breaker opens after `failure_threshold` failures within
`window_s`, refuses calls for `cooldown_s`, then lets exactly one caller through
as a probe (half-open). The probe's success closes the circuit; its failure opens
it for another cooldown. A probe that never reports (its worker was killed) counts
as failed once a cooldown has passed, and the next caller becomes the probe.

Any success closes the circuit and clears the failures, so failures have to come
close together ("consecutive-ish") to open it. Each operation is one Lua script
(atomic across processes) using Redis `TIME` as the clock.
"""

from dataclasses import dataclass

import redis

MICROS = 1_000_000

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half_open"
_STATES = {0: CLOSED, 1: OPEN, 2: HALF_OPEN}

# Shared by the scripts below. KEYS[1] is the route's hash: o = opened at, q = probe
# granted at (µs). KEYS[2] is the list of recent failure times (µs), newest first.
# ARGV[1] cooldown µs. state() returns 0 closed, 1 open, 2 half-open.
_PREAMBLE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local cooldown = tonumber(ARGV[1])
local opened = tonumber(redis.call('HGET', KEYS[1], 'o'))
local probe = tonumber(redis.call('HGET', KEYS[1], 'q'))
local function state()
  if not opened then return 0 end
  if now < opened + cooldown then return 1 end
  return 2
end
local function open()
  redis.call('DEL', KEYS[2])
  redis.call('HDEL', KEYS[1], 'q')
  redis.call('HSET', KEYS[1], 'o', string.format('%.0f', now))
  -- Forgotten only after two silent cooldowns: nobody has asked about the route.
  redis.call('PEXPIRE', KEYS[1], math.ceil(2 * cooldown / 1000))
end
"""

_STATE = _PREAMBLE + """
return state()
"""

_ALLOW = "redis.replicate_commands()\n" + _PREAMBLE + """
local current = state()
if current == 0 then return 1 end
if current == 1 then return 0 end
if probe and now < probe + cooldown then return 0 end
redis.call('HSET', KEYS[1], 'q', string.format('%.0f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(2 * cooldown / 1000))
return 1
"""

# ARGV[2] failure threshold, ARGV[3] window µs.
_RECORD_FAILURE = "redis.replicate_commands()\n" + _PREAMBLE + """
local threshold = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local current = state()
if current == 2 and probe then
  open()
  return 1
end
-- Calls that started before the circuit opened may still report; they change nothing.
if current ~= 0 then return 0 end
redis.call('LPUSH', KEYS[2], string.format('%.0f', now))
redis.call('LTRIM', KEYS[2], 0, threshold - 1)
redis.call('PEXPIRE', KEYS[2], math.ceil(window / 1000))
local oldest = tonumber(redis.call('LINDEX', KEYS[2], threshold - 1))
if oldest and now - oldest <= window then
  open()
  return 1
end
return 0
"""


@dataclass(frozen=True)
class BreakerPolicy:
    failure_threshold: int = 5  # failures within window_s that open the circuit
    window_s: float = 30.0
    cooldown_s: float = 30.0  # how long it stays open before a probe is allowed

    def __post_init__(self):
        if self.failure_threshold < 1:
            raise ValueError(f"failure_threshold must be >= 1, not {self.failure_threshold!r}")
        if self.window_s <= 0 or self.cooldown_s <= 0:
            raise ValueError("window_s and cooldown_s must be positive")


class CircuitBreaker:
    """Ask `allow` before a call; report `record_success` or `record_failure` after."""

    def __init__(self, client: redis.Redis, *, prefix: str = "cg:cb"):
        self.client = client
        self.prefix = prefix
        self._state = client.register_script(_STATE)
        self._allow = client.register_script(_ALLOW)
        self._record_failure = client.register_script(_RECORD_FAILURE)

    def allow(self, route: str, policy: BreakerPolicy) -> bool:
        """Closed: True. Open: False. After the cooldown: True for one caller (the
        probe), False for the rest until the probe reports."""
        return self._allow(keys=self._keys(route), args=[repr(policy.cooldown_s * MICROS)]) == 1

    def record_success(self, route: str) -> None:
        """Closes the circuit and clears the failures."""
        self.client.delete(*self._keys(route))

    def record_failure(self, route: str, policy: BreakerPolicy) -> None:
        """Counts a failure; opens the circuit at the threshold. A failed probe reopens
        it for another cooldown."""
        self._record_failure(keys=self._keys(route),
                             args=[repr(policy.cooldown_s * MICROS), policy.failure_threshold,
                                   repr(policy.window_s * MICROS)])

    def state(self, route: str, policy: BreakerPolicy) -> str:
        """One of "closed", "open", "half_open"."""
        return _STATES[int(self._state(keys=self._keys(route),
                                       args=[repr(policy.cooldown_s * MICROS)]))]

    def _keys(self, route: str) -> list[str]:
        # One hash tag, so both keys share a slot and the scripts also run on a Redis Cluster.
        return [f"{self.prefix}:{{{route}}}", f"{self.prefix}:{{{route}}}:failures"]
