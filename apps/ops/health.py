"""What load balancers, docker compose and Prometheus ask the web process.

Readiness checks the services a request needs (database, Redis) and reports the
backlog (queue depths, the oldest pending item). The metrics collector reads the
database at scrape time, so one endpoint on any web process reflects every worker.
"""

import hmac
import ipaddress
import math
import os
import re
import time
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from redis.backoff import NoBackoff
from redis.retry import Retry

from apps.generation.catalog import catalog_model_keys
from apps.jobs import selectors
from apps.jobs.models import GenerationAttempt, Job, JobItem
from apps.ops.rollup import attempt_totals

# A probe that waits longer than its caller's timeout is worse than a failed one.
REDIS_TIMEOUT_S = 2.0
LATENCY_WINDOW = timedelta(minutes=15)
LATENCY_SAMPLE_SIZE = 5_000
ERROR_MAX_CHARS = 200


# --- Readiness -----------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    latency_ms: float
    error: str | None = None

    def as_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items()
                if key != "error" or value is not None}


@dataclass(frozen=True)
class QueueDepths:
    ok: bool
    depths: dict[str, int] = field(default_factory=dict)
    error: str | None = None


@dataclass(frozen=True)
class Readiness:
    database: CheckResult
    redis: CheckResult
    queues: QueueDepths
    oldest_pending_item_age_s: float | None

    @property
    def ok(self) -> bool:
        return self.database.ok and self.redis.ok and self.queues.ok

    def as_dict(self) -> dict:
        checks = {
            "database": self.database.as_dict(),
            "redis": self.redis.as_dict(),
            # Unknown depths are null, never a made-up 0.
            "queues": self.queues.depths if self.queues.ok else None,
            "oldest_pending_item_age_s": self.oldest_pending_item_age_s,
        }
        if not self.queues.ok:
            checks["queues_error"] = self.queues.error
        return {"ok": self.ok, "checks": checks}


def redact(text: str, *, secrets: tuple[str, ...] = ()) -> str:
    """An error message fit for an unauthenticated response: no credentials of a URL,
    none of the configured passwords, and short."""
    text = re.sub(r"(\w[\w+.-]*://)[^/@\s]*@", r"\1***@", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text[:ERROR_MAX_CHARS]


def _error(exc: Exception, *, url: str = "") -> str:
    secrets = (urlsplit(url).password or "", settings.DATABASES["default"].get("PASSWORD") or "")
    return redact(f"{type(exc).__name__}: {exc}", secrets=secrets)


def _elapsed_ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)


def database_check() -> CheckResult:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return CheckResult(ok=False, latency_ms=_elapsed_ms(started), error=_error(exc))
    return CheckResult(ok=True, latency_ms=_elapsed_ms(started))


def _redis_client(url: str) -> redis.Redis:
    # No retries: redis-py retries a refused connection by default, which would
    # multiply the timeout a probe promises.
    return redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_S,
                                socket_connect_timeout=REDIS_TIMEOUT_S,
                                retry=Retry(NoBackoff(), 0))


def redis_check() -> CheckResult:
    url = settings.REDIS_URL
    started = time.monotonic()
    client = _redis_client(url)
    try:
        client.ping()
    except redis.RedisError as exc:
        return CheckResult(ok=False, latency_ms=_elapsed_ms(started), error=_error(exc, url=url))
    finally:
        client.close()
    return CheckResult(ok=True, latency_ms=_elapsed_ms(started))


def queue_depths() -> QueueDepths:
    """Messages waiting in each Celery queue: with the Redis transport a queue is a list
    named after it (messages a worker has reserved are not counted)."""
    url = settings.CELERY_BROKER_URL
    names = [queue.name for queue in settings.CELERY_TASK_QUEUES]
    client = _redis_client(url)
    try:
        pipeline = client.pipeline(transaction=False)
        for name in names:
            pipeline.llen(name)
        depths = pipeline.execute()
    except redis.RedisError as exc:
        return QueueDepths(ok=False, error=_error(exc, url=url))
    finally:
        client.close()
    return QueueDepths(ok=True, depths=dict(zip(names, depths, strict=True)))


def oldest_pending_item_age_s() -> float | None:
    since = selectors.item_oldest_pending_since()
    if since is None:
        return None
    return round(max((timezone.now() - since).total_seconds(), 0.0), 1)


def readiness_check() -> Readiness:
    database = database_check()
    redis_result = redis_check()
    same_redis = settings.CELERY_BROKER_URL == settings.REDIS_URL
    if same_redis and not redis_result.ok:
        # Asking a Redis that just failed again would only double the wait.
        queues = QueueDepths(ok=False, error=redis_result.error)
    else:
        queues = queue_depths()
    age = oldest_pending_item_age_s() if database.ok else None
    return Readiness(database=database, redis=redis_result, queues=queues,
                     oldest_pending_item_age_s=age)


# --- Metrics access ------------------------------------------------------------


# Loopback and the private ranges (RFC 1918, IPv6 unique local), spelled out: Python's
# `is_private` also admits documentation, benchmarking and reserved ranges.
INTERNAL_NETWORKS = tuple(ipaddress.ip_network(net) for net in (
    "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7"))


def _address_is_internal(remote_addr: str) -> bool:
    try:
        address = ipaddress.ip_address(remote_addr.split("%")[0])
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in INTERNAL_NETWORKS)


def metrics_token() -> str:
    # Read per request: settings first (tests override them), then the environment.
    return getattr(settings, "METRICS_TOKEN", "") or os.environ.get("METRICS_TOKEN", "")


def metrics_request_allowed(request) -> bool:
    """Loopback and private callers scrape freely; anyone else needs the bearer token.

    A request relayed by a proxy arrives from the proxy's private address, so the
    address says nothing about the caller: such a request needs the token too."""
    token = metrics_token()
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        if hmac.compare_digest(header.removeprefix("Bearer ").strip().encode(), token.encode()):
            return True
    relayed = "X-Forwarded-For" in request.headers or "Forwarded" in request.headers
    return not relayed and _address_is_internal(request.META.get("REMOTE_ADDR", ""))


# --- Metrics -------------------------------------------------------------------


def percentile(values: list[int], fraction: float) -> float:
    """Nearest-rank percentile: a latency that was really observed."""
    ordered = sorted(values)
    return float(ordered[max(math.ceil(fraction * len(ordered)) - 1, 0)])


class ContentGenCollector:
    """Reads the database (and the broker's queue lengths) at scrape time."""

    def collect(self):
        yield from self._jobs_and_items()
        yield from self._provider_calls()
        yield from self._latency()
        yield from self._backlog()

    def _jobs_and_items(self):
        jobs = GaugeMetricFamily("contentgen_jobs", "Jobs by status.", labels=["status"])
        counts = selectors.job_counts_by_status()
        # Every status is present, at 0 when empty, so a dashboard's series never vanish.
        for status in Job.Status.values:
            jobs.add_metric([status], counts.get(status, 0))
        yield jobs
        items = GaugeMetricFamily("contentgen_items", "Job items by status.", labels=["status"])
        counts = selectors.item_counts_by_status()
        for status in JobItem.Status.values:
            items.add_metric([status], counts.get(status, 0))
        yield items

    def _provider_calls(self):
        calls = attempt_totals()
        models = sorted(set(catalog_model_keys()) | {model for model, _outcome in calls})
        tokens = CounterMetricFamily("contentgen_tokens", "Tokens of every model call.",
                                     labels=["model", "direction"])
        cost = CounterMetricFamily("contentgen_cost_usd", "Cost of every model call, in USD.",
                                   labels=["model"])
        outcomes = CounterMetricFamily("contentgen_provider_calls", "Model calls by outcome.",
                                       labels=["model", "outcome"])
        for model in models:
            rows = [totals for (name, _outcome), totals in calls.items() if name == model]
            tokens.add_metric([model, "input"], sum(row.input_tokens for row in rows))
            tokens.add_metric([model, "output"], sum(row.output_tokens for row in rows))
            cost.add_metric([model], float(sum((row.cost_usd for row in rows), Decimal(0))))
            for outcome in GenerationAttempt.Outcome.values:
                row = calls.get((model, outcome))
                outcomes.add_metric([model, outcome], row.calls if row else 0)
        yield from (tokens, cost, outcomes)

    def _latency(self):
        latency = GaugeMetricFamily(
            "contentgen_provider_latency_seconds",
            "Model call latency over the last 15 minutes: stat=avg (all calls) and "
            "stat=p95 (of the newest 5,000 calls).", labels=["model", "stat"])
        since = timezone.now() - LATENCY_WINDOW
        for row in selectors.attempt_latency_by_model(since=since,
                                                      sample_size=LATENCY_SAMPLE_SIZE):
            latency.add_metric([row.model, "avg"], row.avg_ms / 1000)
            if row.recent_ms:
                latency.add_metric([row.model, "p95"], percentile(row.recent_ms, 0.95) / 1000)
        yield latency

    def _backlog(self):
        queues = queue_depths()
        if queues.ok:
            # Without the broker there is no depth to report; absent beats a false 0.
            depth = GaugeMetricFamily("contentgen_queue_depth", "Messages waiting per queue.",
                                      labels=["queue"])
            for name, n in queues.depths.items():
                depth.add_metric([name], n)
            yield depth
        age = oldest_pending_item_age_s()
        yield GaugeMetricFamily(
            "contentgen_oldest_pending_item_age_seconds",
            "Seconds since the longest-waiting pending item of an active job was queued "
            "(0 when none is waiting).", value=age or 0.0)


def metrics_render(*, accept: str) -> tuple[bytes, str]:
    """The exposition body and its content type, in the format the scraper asked for."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(ContentGenCollector())
    encoder, content_type = choose_encoder(accept)
    return encoder(registry), content_type
