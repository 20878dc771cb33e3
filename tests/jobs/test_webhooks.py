"""Signed webhooks: the URL guard, the signature, one row per delivery attempt."""

import hashlib
import hmac
import importlib
import json
import re
import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from apps.accounts.models import Workspace
from apps.generation.prompts import ItemInput
from apps.jobs import tasks
from apps.jobs.models import Job, WebhookDelivery
from apps.jobs.serializers import JobSerializer
from apps.jobs.domain import JobSubmission
from apps.jobs.services import job_submit
from apps.jobs.webhooks import (
    NextAttempt,
    webhook_deliver,
    webhook_on_job_finished,
    webhook_retry_delay_s,
    webhook_signature,
    webhook_signature_verify,
    webhook_url_validate,
)
from apps.core.errors import InvalidInput
from tests.conftest import product

PRIVATE_TARGET_MESSAGE = ("A webhook URL must point to a public internet address; "
                          "this one reaches a private or reserved network.")
SCHEME_MESSAGE = "A webhook URL must start with http:// or https://."

# --- A real receiver on 127.0.0.1 --------------------------------------------


class Receiver:
    """An HTTP server that records every request and answers from a script per path
    (200 once the script is used up)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: dict[str, list[tuple[int, dict]]] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                          "body": self.rfile.read(length)})
                script = receiver.answers.get(self.path) or []
                status, headers = script.pop(0) if script else (200, {})
                body = b"ok" if status < 300 else b"nope"
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def answer(self, path: str, *answers: tuple[int, dict]) -> None:
        self.answers[path] = list(answers)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True  # the receiver lives on 127.0.0.1
    server = Receiver()
    yield server
    server.stop()


@pytest.fixture
def finished_job(workspace, brand):
    """A job that has finished, with the given webhook URL."""

    def make(webhook_url: str, status: str = Job.Status.SUCCEEDED) -> Job:
        job = job_submit(workspace=workspace, submission=JobSubmission(
            kind="product_description", brand=brand.slug, locales=["en"], model="auto",
            items=[ItemInput.from_product(product(1))], webhook_url=webhook_url))
        Job.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now())
        job.refresh_from_db()
        return job

    return make


@pytest.fixture
def delivery(receiver, finished_job):
    """Attempt 1 of a finished job's webhook to the receiver's /hook."""
    return webhook_on_job_finished(job_id=finished_job(receiver.url()).pk)


def attempts(job_id) -> list[tuple]:
    return list(WebhookDelivery.objects.filter(job_id=job_id).order_by("attempt").values_list(
        "attempt", "status", "response_status", "error"))


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- The event ---------------------------------------------------------------


def test_a_finished_job_records_attempt_one_and_sends_it_once_committed(
        receiver, finished_job, monkeypatch, django_capture_on_commit_callbacks):
    job = finished_job(receiver.url())
    sent = []
    monkeypatch.setattr(tasks.webhook_deliver_task, "delay", sent.append)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        delivery = webhook_on_job_finished(job_id=job.pk)

    assert len(callbacks) == 1
    assert sent == [delivery.pk]
    assert (delivery.job_id, delivery.attempt, delivery.status, delivery.event, delivery.url,
            delivery.next_attempt_at) == (job.pk, 1, "pending", "job.finished", receiver.url(),
                                          None)
    payload = json.loads(delivery.payload)
    assert list(payload) == ["event", "created", "job"]
    assert payload["event"] == "job.finished"
    assert payload["job"] == json.loads(json.dumps(JobSerializer(job).data, cls=JSONEncoder))
    assert payload["job"]["id"] == str(job.pk)
    assert payload["job"]["status"] == "succeeded"


@pytest.mark.parametrize("webhook_url, status", [
    ("", Job.Status.SUCCEEDED),
    ("https://93.184.216.34/hook", Job.Status.RUNNING),
])
def test_no_webhook_without_a_url_or_before_the_job_ends(
        finished_job, webhook_url, status, django_capture_on_commit_callbacks):
    job = finished_job(webhook_url, status=status)

    with django_capture_on_commit_callbacks() as callbacks:
        delivery = webhook_on_job_finished(job_id=job.pk)

    assert delivery is None
    assert callbacks == []
    assert not WebhookDelivery.objects.exists()


# --- Delivery and signature --------------------------------------------------


def test_the_delivery_is_signed_with_the_workspace_secret_over_the_exact_body(
        receiver, delivery, workspace, other_workspace):
    following = webhook_deliver(delivery_id=delivery.pk)

    assert following is None
    [request] = receiver.requests
    body, headers = request["body"], request["headers"]
    assert request["path"] == "/hook"
    assert body == delivery.payload.encode()
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"] == "ContentGen-Webhooks/1"
    assert headers["ContentGen-Event"] == "job.finished"
    assert headers["ContentGen-Delivery"] == str(delivery.event_id)
    assert headers["ContentGen-Attempt"] == "1"
    signature = headers["ContentGen-Signature"]
    assert re.fullmatch(r"t=\d+,v1=[0-9a-f]{64}", signature)
    assert abs(int(signature[2:12]) - time.time()) < 5
    assert webhook_signature_verify(workspace.webhook_secret, body, signature) is True
    assert webhook_signature_verify(workspace.webhook_secret, body + b" ", signature) is False
    assert webhook_signature_verify(workspace.webhook_secret, body.replace(b"succeeded", b"failed"),
                                    signature) is False
    assert webhook_signature_verify(other_workspace.webhook_secret, body, signature) is False
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_status, delivery.response_body,
            delivery.error) == ("succeeded", 200, "ok", "")
    assert delivery.duration_ms is not None
    assert WebhookDelivery.objects.count() == 1


def test_the_signature_is_stripe_style_and_expires_after_five_minutes():
    secret, body, t = "s3cret", b'{"event":"job.finished"}', 1_700_000_000
    expected = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()

    header = webhook_signature(secret, body, t)

    assert header == f"t=1700000000,v1={expected}"
    assert webhook_signature_verify(secret, body, header, now=t + 300) is True
    assert webhook_signature_verify(secret, body, header, now=t - 300) is True
    assert webhook_signature_verify(secret, body, header, now=t + 301) is False  # a replay
    assert webhook_signature_verify(secret, body, header, now=t - 301) is False
    # A receiver may list several v1 signatures (secret rotation): one match is enough.
    assert webhook_signature_verify(secret, body, f"t={t},v1={'0' * 64},v1={expected}",
                                    now=t) is True
    for malformed in ("", f"v1={expected}", f"t={t}", f"t=soon,v1={expected}"):
        assert webhook_signature_verify(secret, body, malformed, now=t) is False


def test_a_500_fails_the_attempt_and_the_next_attempt_succeeds(receiver, delivery):
    receiver.answer("/hook", (500, {}))
    before = timezone.now()

    following = webhook_deliver(delivery_id=delivery.pk)

    after = timezone.now()
    second = WebhookDelivery.objects.get(job=delivery.job, attempt=2)
    assert following == NextAttempt(delivery_id=second.pk, countdown_s=10.0)
    assert attempts(delivery.job_id) == [(1, "failed", 500, "HTTP 500"), (2, "pending", None, "")]
    assert (before + timedelta(seconds=10) <= second.next_attempt_at
            <= after + timedelta(seconds=10))
    assert (second.event_id, second.payload, second.url) == (delivery.event_id, delivery.payload,
                                                              delivery.url)

    assert webhook_deliver(delivery_id=second.pk) is None

    assert attempts(delivery.job_id) == [(1, "failed", 500, "HTTP 500"),
                                         (2, "succeeded", 200, "")]
    first, again = receiver.requests
    assert again["body"] == first["body"] == delivery.payload.encode()
    assert again["headers"]["ContentGen-Delivery"] == first["headers"]["ContentGen-Delivery"]
    assert [first["headers"]["ContentGen-Attempt"], again["headers"]["ContentGen-Attempt"]] == [
        "1", "2"]


def test_a_repeated_message_for_a_finished_attempt_does_nothing(receiver, delivery):
    webhook_deliver(delivery_id=delivery.pk)

    assert webhook_deliver(delivery_id=delivery.pk) is None

    assert len(receiver.requests) == 1
    assert attempts(delivery.job_id) == [(1, "succeeded", 200, "")]


@pytest.mark.parametrize("attempt, seconds", [(1, 10), (2, 20), (3, 40), (5, 160), (9, 2560),
                                              (10, 3600), (60, 3600)])
def test_retries_back_off_exponentially_up_to_an_hour(attempt, seconds):
    assert webhook_retry_delay_s(attempt) == seconds


def test_the_last_attempt_fails_for_good(receiver, delivery, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.answer("/hook", (503, {}))

    assert webhook_deliver(delivery_id=delivery.pk) is None

    assert attempts(delivery.job_id) == [(1, "failed", 503, "HTTP 503")]


def test_a_redirect_is_a_failure_and_is_not_followed(receiver, delivery):
    receiver.answer("/hook", (302, {"Location": receiver.url("/target")}))

    following = webhook_deliver(delivery_id=delivery.pk)

    assert [request["path"] for request in receiver.requests] == ["/hook"]
    assert attempts(delivery.job_id) == [(1, "failed", 302, "HTTP 302: redirects are not followed"),
                                         (2, "pending", None, "")]
    assert following.countdown_s == 10.0


def test_an_unreachable_receiver_is_a_failed_attempt_that_is_retried(receiver, finished_job):
    delivery = webhook_on_job_finished(
        job_id=finished_job(f"http://127.0.0.1:{closed_port()}/hook").pk)

    following = webhook_deliver(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_status) == ("failed", None)
    assert delivery.error.startswith("ConnectError")
    assert following.countdown_s == 10.0
    assert WebhookDelivery.objects.get(pk=following.delivery_id).attempt == 2


def test_a_target_no_longer_allowed_at_send_time_is_refused_without_retry(
        receiver, delivery, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False  # as if its DNS now pointed inside

    assert webhook_deliver(delivery_id=delivery.pk) is None

    assert receiver.requests == []
    assert attempts(delivery.job_id) == [(1, "failed", None, PRIVATE_TARGET_MESSAGE)]


def test_the_task_schedules_the_next_attempt_after_the_backoff(receiver, delivery, monkeypatch):
    scheduled = []
    monkeypatch.setattr(tasks.webhook_deliver_task, "apply_async",
                        lambda **kwargs: scheduled.append(kwargs))
    receiver.answer("/hook", (500, {}))

    tasks.webhook_deliver_task(delivery.pk)

    second = WebhookDelivery.objects.get(job=delivery.job, attempt=2)
    assert scheduled == [{"args": [second.pk], "countdown": 10.0}]

    tasks.webhook_deliver_task(second.pk)

    assert scheduled == [{"args": [second.pk], "countdown": 10.0}]  # succeeded: nothing more
    assert attempts(delivery.job_id) == [(1, "failed", 500, "HTTP 500"),
                                         (2, "succeeded", 200, "")]


# --- The URL guard -----------------------------------------------------------


@pytest.mark.parametrize("url, message", [
    ("file:///etc/passwd", SCHEME_MESSAGE),
    ("ftp://example.com/hook", SCHEME_MESSAGE),
    ("http://127.0.0.1/hook", PRIVATE_TARGET_MESSAGE),
    ("http://127.1/hook", PRIVATE_TARGET_MESSAGE),
    ("http://2130706433/hook", PRIVATE_TARGET_MESSAGE),
    ("http://0x7f000001/hook", PRIVATE_TARGET_MESSAGE),
    ("http://[::1]/hook", PRIVATE_TARGET_MESSAGE),
    ("http://[::ffff:127.0.0.1]/hook", PRIVATE_TARGET_MESSAGE),
    ("http://0.0.0.0/hook", PRIVATE_TARGET_MESSAGE),
    ("http://10.0.0.1/hook", PRIVATE_TARGET_MESSAGE),
    ("http://192.168.1.10:8080/hook", PRIVATE_TARGET_MESSAGE),
    ("http://100.64.0.1/hook", PRIVATE_TARGET_MESSAGE),
    ("http://224.0.0.1/hook", PRIVATE_TARGET_MESSAGE),
    ("http://169.254.169.254/latest/meta-data/", PRIVATE_TARGET_MESSAGE),
    ("http://[fd00:ec2::254]/latest/meta-data/", PRIVATE_TARGET_MESSAGE),
    ("http://localhost:8000/hook", PRIVATE_TARGET_MESSAGE),
])
def test_webhook_urls_that_reach_inside_are_refused(url, message):
    with pytest.raises(InvalidInput) as refused:
        webhook_url_validate(url)

    assert refused.value.code == "invalid"
    assert str(refused.value.message) == message
    assert refused.value.fields == {"webhook_url": [message]}


@pytest.mark.parametrize("url", [
    "http://93.184.216.34/hook",
    "https://93.184.216.34:8443/hooks/contentgen?token=abc",
    "https://[2606:2800:220:1:248:1893:25c8:1946]/hook",
])
def test_webhook_urls_on_public_addresses_are_accepted(url):
    assert webhook_url_validate(url) == url


def test_private_targets_may_be_allowed_but_never_the_metadata_service(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True

    assert webhook_url_validate("http://127.0.0.1:9000/hook") == "http://127.0.0.1:9000/hook"
    assert webhook_url_validate("http://localhost/hook") == "http://localhost/hook"
    for url in ("http://169.254.169.254/", "http://[::ffff:169.254.169.254]/"):
        with pytest.raises(InvalidInput):
            webhook_url_validate(url)


def test_a_job_with_a_private_webhook_url_is_refused_by_the_api(api, brand):
    body = {"kind": "product_description", "brand": brand.slug, "locales": ["en"],
            "items": [product(1)], "webhook_url": "http://10.0.0.1/hook"}

    response = api.post("/api/v1/jobs/", body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"webhook_url": [PRIVATE_TARGET_MESSAGE]}
    assert not Job.objects.exists()


# --- The delivery log API ----------------------------------------------------


def test_the_delivery_log_lists_each_attempt_newest_first_to_its_owner(
        api, other_api, receiver, delivery):
    receiver.answer("/hook", (500, {}))
    webhook_deliver(delivery_id=delivery.pk)
    second = WebhookDelivery.objects.get(attempt=2)

    response = api.get(f"/api/v1/jobs/{delivery.job_id}/webhooks/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [(row["attempt"], row["status"], row["response_status"], row["error"])
            for row in body["results"]] == [(2, "pending", None, ""), (1, "failed", 500, "HTTP 500")]
    assert list(body["results"][0]) == [
        "event_id", "attempt", "event", "url", "status", "status_label", "response_status",
        "error", "duration_ms", "created_at", "next_attempt_at"]
    assert body["results"][1]["event_id"] == str(delivery.event_id)
    assert body["results"][1]["url"] == receiver.url()
    assert body["results"][0]["next_attempt_at"] is not None
    assert second.payload not in response.content.decode()  # the log does not repeat the body

    assert other_api.get(f"/api/v1/jobs/{delivery.job_id}/webhooks/").status_code == 404


def test_the_delivery_log_of_an_unknown_job_is_404(api):
    response = api.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000/webhooks/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# --- The secret --------------------------------------------------------------


def test_each_workspace_gets_its_own_secret_and_the_migration_fills_existing_ones(
        workspace, other_workspace):
    assert re.fullmatch(r"[0-9a-f]{64}", workspace.webhook_secret)
    assert workspace.webhook_secret != other_workspace.webhook_secret
    Workspace.objects.update(webhook_secret="same-for-all")  # what AddField leaves behind
    migration = importlib.import_module("apps.accounts.migrations.0003_workspace_webhook_secret")

    migration.fill_webhook_secrets(django_apps, None)

    secrets = list(Workspace.objects.values_list("webhook_secret", flat=True))
    assert len(set(secrets)) == 2
    assert all(re.fullmatch(r"[0-9a-f]{64}", secret) for secret in secrets)


def test_a_workspace_can_rotate_its_webhook_secret_and_sees_it_once(api, workspace):
    old = workspace.webhook_secret

    response = api.post("/api/v1/webhook-secret/")

    workspace.refresh_from_db()
    assert response.status_code == 200
    assert response.json() == {"webhook_secret": workspace.webhook_secret}
    assert workspace.webhook_secret != old and len(workspace.webhook_secret) == 64
