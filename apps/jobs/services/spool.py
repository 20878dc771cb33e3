"""A paid answer is never asked for twice.

Between the model's answer and the transaction that records it, the database may be
gone (a failover, a dropped connection). The task then runs again under the same
claim token; without the answer it would call the model again and pay twice. So the
answer is put here, in Redis under the claim token, before it is recorded, taken back
by the rerun, and removed once recorded. Best effort: with Redis down too, the rerun
calls the model as before.
"""

import json
import logging
from decimal import Decimal
from functools import lru_cache
from uuid import UUID

import redis
from django.conf import settings

from apps.generation.client import LLMResult, LLMUsage

logger = logging.getLogger(__name__)

# Longer than any outage a task retries through (30 retries, seconds apart).
SPOOL_TTL_S = 24 * 3600


@lru_cache(maxsize=4)
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)


def _key(claim_id: UUID) -> str:
    return f"cg:spool:{claim_id}"


def answer_spool(*, claim_id: UUID, result: LLMResult) -> None:
    usage = result.usage
    data = {"text": result.text, "model": result.model, "provider_model": result.provider_model,
            "input_tokens": usage.input_tokens, "output_tokens": usage.output_tokens,
            "provider_cost_usd": (None if usage.provider_cost_usd is None
                                  else str(usage.provider_cost_usd)),
            "latency_ms": result.latency_ms, "finish_reason": result.finish_reason,
            "request_id": result.request_id}
    try:
        _redis(settings.REDIS_URL).set(_key(claim_id), json.dumps(data), ex=SPOOL_TTL_S)
    except redis.RedisError as exc:
        logger.warning("answer spool unavailable: %s", exc)


def answer_unspool(*, claim_id: UUID) -> LLMResult | None:
    """The answer a previous run of this claim received but did not record, if any."""
    try:
        raw = _redis(settings.REDIS_URL).get(_key(claim_id))
    except redis.RedisError as exc:
        logger.warning("answer spool unavailable: %s", exc)
        return None
    if raw is None:
        return None
    data = json.loads(raw)
    cost = data["provider_cost_usd"]
    return LLMResult(
        text=data["text"], model=data["model"], provider_model=data["provider_model"],
        usage=LLMUsage(input_tokens=data["input_tokens"], output_tokens=data["output_tokens"],
                       provider_cost_usd=None if cost is None else Decimal(cost)),
        latency_ms=data["latency_ms"], finish_reason=data["finish_reason"],
        request_id=data["request_id"])


def answer_recorded(*, claim_id: UUID) -> None:
    try:
        _redis(settings.REDIS_URL).delete(_key(claim_id))
    except redis.RedisError as exc:
        logger.warning("answer spool unavailable: %s", exc)
