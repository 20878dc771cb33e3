"""Operations endpoints: liveness, readiness, Prometheus metrics, and the worker's
healthcheck command, against the real database and the real Redis."""

import datetime
import io
import socket
import subprocess
import sys
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from apps.jobs.models import GenerationAttempt
from apps.ops.health import redact
from contentgen.celery import app
from devtools import devstack
from tests.conftest import product, stack_env, submit

UNREACHABLE_REDIS = "redis://:s3cret@127.0.0.1:1/0"
PUBLIC_ADDRESS = "203.0.113.7"


@pytest.fixture
def empty_queues(redis_server):
    """The Celery queues on the test broker hold nothing before and after the test."""
    def purge():
        with app.connection_for_write() as conn:
            for queue in settings.CELERY_TASK_QUEUES:
                conn.default_channel.queue_purge(queue.name)

    purge()
    yield
    purge()


@pytest.fixture
def waiting_job(workspace, brand, django_capture_on_commit_callbacks, empty_queues):
    """A queued job whose start message waits on the default queue, and whose one item
    was last queued an hour ago (and created two hours ago)."""
    with django_capture_on_commit_callbacks(execute=True):
        job = submit(workspace, items=[product(1)])
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    job.items.update(queued_at=an_hour_ago, created_at=an_hour_ago - datetime.timedelta(hours=1))
    return job


def samples(text: str) -> dict[tuple, float]:
    """{(sample name, ((label, value), ...)): value} of a Prometheus text exposition."""
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


# --- /healthz ------------------------------------------------------------------


def test_healthz_answers_without_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert "no-store" in response["Cache-Control"]


# --- /readyz -------------------------------------------------------------------


def test_readyz_reports_checks_queue_depths_and_the_oldest_pending_item(client, waiting_job):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    checks = body["checks"]
    assert checks["database"]["ok"] is True and checks["database"]["latency_ms"] >= 0
    assert checks["redis"]["ok"] is True and checks["redis"]["latency_ms"] >= 0
    # The job's start message waits on the default queue; nothing else does.
    assert checks["queues"] == {"default": 1, "generate.hermes-3-405b": 0,
                                "generate.gpt-4o-mini": 0}
    # Measured from the last send (queued_at), as the recovery sweep measures it.
    assert 3600 <= checks["oldest_pending_item_age_s"] < 3600 + 60
    assert "no-store" in response["Cache-Control"]


def test_readyz_ages_a_never_queued_item_from_its_creation(client, waiting_job):
    waiting_job.items.update(queued_at=None)

    response = client.get("/readyz")

    assert 7200 <= response.json()["checks"]["oldest_pending_item_age_s"] < 7200 + 60


def test_readyz_has_no_oldest_pending_item_when_nothing_waits(client, db, empty_queues):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["oldest_pending_item_age_s"] is None


def test_readyz_ignores_pending_items_of_inactive_jobs(client, waiting_job):
    waiting_job.status = "paused"
    waiting_job.save(update_fields=["status"])

    response = client.get("/readyz")

    assert response.json()["checks"]["oldest_pending_item_age_s"] is None


def test_readyz_is_503_without_redis_and_never_shows_its_password(client, db, settings):
    settings.REDIS_URL = UNREACHABLE_REDIS
    settings.CELERY_BROKER_URL = UNREACHABLE_REDIS

    started = time.monotonic()
    response = client.get("/readyz")

    assert time.monotonic() - started < 5
    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"]["ok"] is False
    assert "ConnectionError" in body["checks"]["redis"]["error"]
    assert body["checks"]["queues"] is None
    assert body["checks"]["queues_error"]
    assert "s3cret" not in response.content.decode()


def test_redact_removes_url_credentials_and_known_secrets():
    text = "cannot reach redis://:s3cret@10.0.0.5:6379/0 nor postgres://app:hunter2@db/app (pw)"

    assert redact(text, secrets=("pw",)) == (
        "cannot reach redis://***@10.0.0.5:6379/0 nor postgres://***@db/app (***)")


# --- /metrics ------------------------------------------------------------------


@pytest.fixture
def attempts(waiting_job):
    """Three calls to Hermes on the job's item: two answered, one transient error."""
    item = waiting_job.items.get()
    rows = [("ok", 1000, 200, "0.00106", 100), ("ok", 500, 100, "0.00053", 300),
            ("transient_error", 0, 0, "0", 200)]
    for outcome, tokens_in, tokens_out, cost, latency in rows:
        GenerationAttempt.objects.create(item=item, model="hermes-3-405b", outcome=outcome,
                                         input_tokens=tokens_in, output_tokens=tokens_out,
                                         cost_usd=Decimal(cost), latency_ms=latency)
    return item


def test_metrics_reports_jobs_items_calls_latency_and_backlog(client, attempts):
    response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    for name in ("contentgen_jobs", "contentgen_items", "contentgen_tokens_total",
                 "contentgen_cost_usd_total", "contentgen_provider_calls_total",
                 "contentgen_provider_latency_seconds", "contentgen_queue_depth",
                 "contentgen_oldest_pending_item_age_seconds"):
        assert f"\n{name}{{" in text or f"\n{name} " in text, name
    values = samples(text)
    hermes = ("model", "hermes-3-405b")
    assert values[("contentgen_jobs", (("status", "queued"),))] == 1
    assert values[("contentgen_jobs", (("status", "succeeded"),))] == 0
    assert values[("contentgen_items", (("status", "pending"),))] == 1
    assert values[("contentgen_tokens_total", (("direction", "input"), hermes))] == 1500
    assert values[("contentgen_tokens_total", (("direction", "output"), hermes))] == 300
    assert values[("contentgen_cost_usd_total", (hermes,))] == pytest.approx(0.00159)
    assert values[("contentgen_provider_calls_total", (hermes, ("outcome", "ok")))] == 2
    assert values[("contentgen_provider_calls_total",
                   (hermes, ("outcome", "transient_error")))] == 1
    # A model without calls is reported at zero, not left out.
    assert values[("contentgen_provider_calls_total",
                   (("model", "gpt-4o-mini"), ("outcome", "ok")))] == 0
    # Latencies 100, 300 and 200 ms: the mean, and the nearest-rank 95th percentile.
    assert values[("contentgen_provider_latency_seconds", (hermes, ("stat", "avg")))] == (
        pytest.approx(0.2))
    assert values[("contentgen_provider_latency_seconds", (hermes, ("stat", "p95")))] == 0.3
    assert values[("contentgen_queue_depth", (("queue", "default"),))] == 1
    assert values[("contentgen_queue_depth", (("queue", "generate.hermes-3-405b"),))] == 0
    assert 3600 <= values[("contentgen_oldest_pending_item_age_seconds", ())] < 3660


def test_metrics_latency_covers_only_the_last_15_minutes(client, attempts):
    GenerationAttempt.objects.filter(latency_ms=300).update(
        created_at=timezone.now() - datetime.timedelta(minutes=16))

    values = samples(client.get("/metrics").content.decode())

    hermes = ("model", "hermes-3-405b")
    assert values[("contentgen_provider_latency_seconds", (hermes, ("stat", "avg")))] == (
        pytest.approx(0.15))
    assert values[("contentgen_provider_latency_seconds", (hermes, ("stat", "p95")))] == 0.2
    # Counters still count every call ever made.
    assert values[("contentgen_provider_calls_total", (hermes, ("outcome", "ok")))] == 2


def test_metrics_reads_aggregates_not_rows(client, attempts, django_assert_max_num_queries):
    # More calls do not mean more queries: one GROUP BY per metric, one sample per model.
    item = attempts
    GenerationAttempt.objects.bulk_create(
        GenerationAttempt(item=item, model="gpt-4o-mini", outcome="ok", latency_ms=n)
        for n in range(50))

    with django_assert_max_num_queries(8):
        response = client.get("/metrics")

    assert response.status_code == 200


def test_metrics_refuses_a_public_address_without_the_token(client, db, settings,
                                                            django_assert_num_queries):
    settings.METRICS_TOKEN = "tok-123"

    with django_assert_num_queries(0):
        response = client.get("/metrics", REMOTE_ADDR=PUBLIC_ADDRESS)
        wrong = client.get("/metrics", REMOTE_ADDR=PUBLIC_ADDRESS,
                           HTTP_AUTHORIZATION="Bearer tok-999")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert wrong.status_code == 403


def test_metrics_admits_a_public_address_with_the_token(client, db, settings):
    settings.METRICS_TOKEN = "tok-123"

    response = client.get("/metrics", REMOTE_ADDR=PUBLIC_ADDRESS,
                          HTTP_AUTHORIZATION="Bearer tok-123")

    assert response.status_code == 200
    assert "contentgen_jobs" in response.content.decode()


def test_metrics_refuses_every_public_address_when_no_token_is_configured(client, db,
                                                                          settings):
    settings.METRICS_TOKEN = ""

    response = client.get("/metrics", REMOTE_ADDR=PUBLIC_ADDRESS, HTTP_AUTHORIZATION="Bearer ")

    assert response.status_code == 403


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.9", "::1",
                                     "::ffff:172.16.0.4"])
def test_metrics_admits_loopback_and_private_addresses_without_a_token(client, db, settings,
                                                                       address):
    settings.METRICS_TOKEN = "tok-123"

    response = client.get("/metrics", REMOTE_ADDR=address)

    assert response.status_code == 200


def test_metrics_needs_the_token_for_a_request_relayed_by_a_proxy(client, db, settings):
    # Behind a proxy every caller arrives from the proxy's private address.
    settings.METRICS_TOKEN = "tok-123"

    response = client.get("/metrics", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=PUBLIC_ADDRESS)

    assert response.status_code == 403


# --- worker_health -------------------------------------------------------------


def test_worker_health_fails_when_no_worker_answers(redis_server):
    started = time.monotonic()
    with pytest.raises(CommandError, match="No worker answered ping within 1 s") as failure:
        call_command("worker_health", "--timeout", "1",
                     "--destination", "celery@no-such-host.invalid")

    assert failure.value.returncode == 1
    assert time.monotonic() - started <= 3


def test_worker_health_exits_1_and_hides_the_password_when_the_broker_is_down(tmp_path):
    env = stack_env(extra={"REDIS_URL": UNREACHABLE_REDIS, "CONTENTGEN_DATA_DIR": str(tmp_path)})

    result = subprocess.run([sys.executable, "manage.py", "worker_health", "--timeout", "2"],
                            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
                            timeout=60)

    assert result.returncode == 1
    assert "The broker is unreachable" in result.stderr
    assert "s3cret" not in result.stderr + result.stdout


@pytest.mark.e2e
def test_worker_health_passes_when_the_worker_answers(db, tmp_path, empty_queues):
    node = f"healthcheck@{socket.gethostname()}"
    worker = devstack.start_worker(env=stack_env(), log_dir=tmp_path, concurrency=1,
                                   name="healthcheck")
    out = io.StringIO()
    try:
        call_command("worker_health", "--timeout", "5", "--destination", node, stdout=out)
    finally:
        worker.stop()

    assert out.getvalue() == f"Answered: {node}\n"
