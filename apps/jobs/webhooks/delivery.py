"""Delivery of job events: one WebhookDelivery row per attempt, sent by a Celery task.

A finished job (or a reviewed item) records attempt 1 inside the transaction that made
the change and enqueues it once committed. Each run of `webhook_deliver` makes one
pending attempt and records its outcome on its row; a failure that may pass (a non-2xx
answer, a redirect, a timeout, DNS) creates the next pending row after an exponential
backoff, up to WEBHOOK_MAX_ATTEMPTS, and hands it back for the task to schedule. A refused target
fails at once. Rows are claimed with a conditional update, so a repeated message
records nothing twice; a message that was lost is sent again by `webhook_recover_lost`.

This module imports the task at module level and the task imports `webhook_deliver`
inside its body (the Celery pattern in apps.jobs.tasks), so the two form no cycle.
"""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core.urlguard import (
    WebhookTargetRefused,
    WebhookTargetUnresolved,
    webhook_target_post,
    webhook_target_resolve,
)
from apps.jobs.domain import FINAL_JOB_STATUSES
from apps.jobs.models import Job, JobItem, WebhookDelivery
from apps.jobs.tasks import webhook_deliver_task
from apps.jobs.webhooks.payload import (
    EVENT_ITEM_REVIEWED,
    EVENT_JOB_FINISHED,
    webhook_payload_json,
)
from apps.jobs.webhooks.signing import webhook_signature

logger = logging.getLogger(__name__)

USER_AGENT = "ContentGen-Webhooks/1"
RESPONSE_BODY_MAX_CHARS = 2000
RETRY_MAX_DELAY_S = 3600.0  # at most the broker's visibility timeout, or Redis redelivers


@dataclass(frozen=True)
class NextAttempt:
    """The attempt a failed delivery scheduled: the task enqueues it after `countdown_s`."""

    delivery_id: int
    countdown_s: float


@dataclass(frozen=True)
class _Outcome:
    succeeded: bool
    retryable: bool
    response_status: int | None = None
    response_body: str = ""
    error: str = ""


def webhook_delivery_list_for_job(*, job: Job) -> QuerySet[WebhookDelivery]:
    """The delivery log of a job, newest attempt first (a selector, kept beside its model's
    services)."""
    return WebhookDelivery.objects.filter(job=job).order_by("-created_at", "-pk")


def webhook_retry_delay_s(attempt: int) -> float:
    """The wait after failed attempt `attempt` (1-based): base x 2^(attempt-1), capped."""
    return min(settings.WEBHOOK_RETRY_BASE_S * 2 ** min(attempt - 1, 32), RETRY_MAX_DELAY_S)


def webhook_on_job_finished(*, job_id) -> WebhookDelivery | None:
    """Record attempt 1 of the job's ``job.finished`` webhook and send it once committed;
    None when the job has no webhook URL (or is not finished)."""
    job = Job.objects.select_related("brand_version__brand").filter(pk=job_id).first()
    if job is None or not job.webhook_url or job.status not in FINAL_JOB_STATUSES:
        return None
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(
            job=job, event=EVENT_JOB_FINISHED, url=job.webhook_url,
            payload=webhook_payload_json(event=EVENT_JOB_FINISHED, job=job))
        transaction.on_commit(lambda: webhook_deliver_task.delay(delivery.pk))
    return delivery


def webhook_on_item_reviewed(*, item_id) -> WebhookDelivery | None:
    """Record attempt 1 of an ``item.reviewed`` event (a person approved or rejected the
    item) and send it once committed; None when the item's job has no webhook URL."""
    item = (JobItem.objects.select_related("job__brand_version__brand")
            .filter(pk=item_id).first())
    if item is None or not item.job.webhook_url:
        return None
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(
            job=item.job, event=EVENT_ITEM_REVIEWED, url=item.job.webhook_url,
            payload=webhook_payload_json(event=EVENT_ITEM_REVIEWED, job=item.job, item=item))
        transaction.on_commit(lambda: webhook_deliver_task.delay(delivery.pk))
    return delivery


def _post(delivery: WebhookDelivery, *, body: bytes, headers: dict[str, str]) -> _Outcome:
    timeout = httpx.Timeout(settings.WEBHOOK_READ_TIMEOUT_S,
                            connect=settings.WEBHOOK_CONNECT_TIMEOUT_S)
    # Checked again at send time: what the host resolves to may have changed since
    # submission, and the request goes to the very addresses checked now.
    target = webhook_target_resolve(delivery.url)
    response = webhook_target_post(target, body=body, headers=headers, timeout=timeout,
                                   max_chars=RESPONSE_BODY_MAX_CHARS)
    status = response.status
    if 200 <= status < 300:
        return _Outcome(succeeded=True, retryable=False, response_status=status,
                        response_body=response.text)
    error = (f"HTTP {status}: redirects are not followed" if 300 <= status < 400
             else f"HTTP {status}")
    return _Outcome(succeeded=False, retryable=True, response_status=status,
                    response_body=response.text, error=error)


def webhook_deliver(*, delivery_id: int) -> NextAttempt | None:
    """Make one pending attempt and record its outcome on its row. A failure that may pass
    (a non-2xx answer, a timeout, DNS) creates the next pending attempt, while attempts
    remain, and returns it for the task to schedule; a refused target is not retried."""
    delivery = (WebhookDelivery.objects.select_related("job__workspace")
                .filter(pk=delivery_id).first())
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return None  # a repeated message, or the job is gone
    body = delivery.payload.encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "ContentGen-Event": delivery.event,
        "ContentGen-Delivery": str(delivery.event_id),
        "ContentGen-Attempt": str(delivery.attempt),
        "ContentGen-Signature": webhook_signature(delivery.job.workspace.webhook_secret, body,
                                                  int(time.time())),
    }
    started = time.monotonic()
    try:
        outcome = _post(delivery, body=body, headers=headers)
    except WebhookTargetRefused as exc:
        outcome = _Outcome(succeeded=False, retryable=False, error=str(exc.message))
    except WebhookTargetUnresolved as exc:
        outcome = _Outcome(succeeded=False, retryable=True, error=str(exc.message))
    except httpx.HTTPError as exc:  # timeouts, refused connections, TLS and protocol errors
        outcome = _Outcome(succeeded=False, retryable=True,
                           error=f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
    duration_ms = round((time.monotonic() - started) * 1000)
    return _delivery_record(delivery, outcome=outcome, duration_ms=duration_ms)


def _delivery_record(delivery: WebhookDelivery, *, outcome: _Outcome,
                     duration_ms: int) -> NextAttempt | None:
    status = (WebhookDelivery.Status.SUCCEEDED if outcome.succeeded
              else WebhookDelivery.Status.FAILED)
    with transaction.atomic():
        recorded = WebhookDelivery.objects.filter(
            pk=delivery.pk, status=WebhookDelivery.Status.PENDING,
        ).update(status=status, response_status=outcome.response_status,
                 response_body=outcome.response_body, error=outcome.error[:2000],
                 duration_ms=duration_ms)
        if not recorded:
            return None  # a concurrent run of the same message recorded this attempt
        following = None
        if (not outcome.succeeded and outcome.retryable
                and delivery.attempt < settings.WEBHOOK_MAX_ATTEMPTS):
            countdown = webhook_retry_delay_s(delivery.attempt)
            following = WebhookDelivery.objects.create(
                job_id=delivery.job_id, event_id=delivery.event_id, event=delivery.event,
                url=delivery.url, payload=delivery.payload, attempt=delivery.attempt + 1,
                next_attempt_at=timezone.now() + timedelta(seconds=countdown))
    # The URL and the secret stay out of the log: either may carry credentials.
    logger.info("webhook %s %s attempt %s for job %s: %s %s", delivery.event, delivery.event_id,
                delivery.attempt, delivery.job_id, status,
                outcome.response_status or outcome.error)
    if following is None:
        return None
    return NextAttempt(delivery_id=following.pk, countdown_s=countdown)


def webhook_recover_lost(*, stale) -> int:
    """Re-send pending attempts whose message was lost (due before `stale`); returns how
    many. A receiver deduplicates on ContentGen-Delivery should both arrive."""
    lost = list(WebhookDelivery.objects.annotate(due=Coalesce("next_attempt_at", "created_at"))
                .filter(status=WebhookDelivery.Status.PENDING, due__lt=stale)
                .values_list("pk", flat=True)[:10_000])
    for delivery_id in lost:
        webhook_deliver_task.delay(delivery_id)
    return len(lost)
