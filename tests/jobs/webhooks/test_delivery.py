"""Delivery of job events: one WebhookDelivery row per attempt, signed, retried with
backoff while the failure may pass, never following a redirect."""

import json
import re
import socket
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.jobs import tasks
from apps.jobs.models import Job, WebhookDelivery
from apps.jobs.webhooks import (
    NextAttempt,
    webhook_deliver,
    webhook_on_job_finished,
    webhook_retry_delay_s,
    webhook_signature_verify,
)

PRIVATE_TARGET_MESSAGE = ("A webhook URL must point to a public internet address; "
                          "this one reaches a private or reserved network.")


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
    assert (payload["event"], payload["job"]["id"], payload["job"]["status"]) == (
        "job.finished", str(job.pk), "succeeded")


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


# --- Delivery ----------------------------------------------------------------


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
