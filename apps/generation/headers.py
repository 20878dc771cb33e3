"""What a model endpoint's answer headers say about its limits: `Retry-After` (and
OpenAI's `retry-after-ms`) and the `x-ratelimit-*` six. Plain parsing, no I/O: the
client reads the headers, the limiter learns from them."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimitState:
    """The route's rate limits as the provider stated them in an answer's
    `x-ratelimit-*` headers (OpenAI and most compatible providers send them on every
    answer, 429s included); None where a header was missing or unreadable."""

    limit_requests: int | None = None  # per minute
    remaining_requests: int | None = None
    reset_requests_s: float | None = None  # until the limit is back to its full value
    limit_tokens: int | None = None
    remaining_tokens: int | None = None
    reset_tokens_s: float | None = None



def retry_after_s(headers) -> float | None:
    if not headers:
        return None
    if milliseconds := headers.get("retry-after-ms"):
        try:
            return float(milliseconds) / 1000
        except ValueError:
            pass
    if seconds := headers.get("retry-after"):
        try:
            return float(seconds)
        except ValueError:
            return None  # an HTTP date: rare from LLM APIs; the caller backs off instead
    return None


# OpenAI writes resets as Go durations: "20ms", "1s", "6m0s", "1m30.5s"; others send seconds.
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_DURATION_UNIT_S = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0,
                    "h": 3600.0}


def duration_s(text: str | None) -> float | None:
    if not text:
        return None
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(number + unit for number, unit in parts) != text:
        return None
    return sum(float(number) * _DURATION_UNIT_S[unit] for number, unit in parts)


def _count(text: str | None) -> int | None:
    try:
        return int(float(text)) if text else None
    except ValueError:
        return None


def rate_limits_of(headers) -> RateLimitState | None:
    if not headers or ("x-ratelimit-limit-requests" not in headers
                       and "x-ratelimit-limit-tokens" not in headers):
        return None
    return RateLimitState(
        limit_requests=_count(headers.get("x-ratelimit-limit-requests")),
        remaining_requests=_count(headers.get("x-ratelimit-remaining-requests")),
        reset_requests_s=duration_s(headers.get("x-ratelimit-reset-requests")),
        limit_tokens=_count(headers.get("x-ratelimit-limit-tokens")),
        remaining_tokens=_count(headers.get("x-ratelimit-remaining-tokens")),
        reset_tokens_s=duration_s(headers.get("x-ratelimit-reset-tokens")),
    )
