"""Signed webhooks: the URL guard, the signature, and the delivery of job events.

Receiving a ContentGen webhook
------------------------------
Each event is a POST with a JSON body and these headers:

    Content-Type: application/json
    User-Agent: ContentGen-Webhooks/1
    ContentGen-Event: job.finished
    ContentGen-Delivery: <uuid: the same on every attempt of one event>
    ContentGen-Attempt: <1, 2, ...>
    ContentGen-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>

To trust a request, with the workspace's webhook secret:

1. take the raw body, the bytes as received, before any JSON parsing;
2. split the signature header on "," into its ``t=`` and ``v1=`` parts;
3. compute HMAC-SHA256 with the secret as key over ``f"{t}."`` + body, in hex;
4. compare it with each ``v1`` in constant time (``hmac.compare_digest``);
5. refuse the request when ``t`` is more than five minutes from your clock: ``t`` is
   inside the signed string, so a replayed request cannot be given a fresh one.

Then answer 2xx within ten seconds and do the work afterwards. Deduplicate on
ContentGen-Delivery: delivery is at least once. Any other answer, a redirect
included (redirects are never followed), is retried with exponential backoff up to
WEBHOOK_MAX_ATTEMPTS attempts, each recorded as its own WebhookDelivery row.
`webhook_signature_verify` is that check, for receivers written in Python.

Targets are guarded against SSRF: only http(s), and every address the host resolves
to must be public. The check runs when the URL is submitted and again before each
attempt, and the request goes to the address that was checked (the Host header and
TLS name stay the URL's), so DNS that changes in between cannot redirect it inside.
"""

import hashlib
import hmac
import ipaddress
import json
import logging
import socket
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.utils.encoders import JSONEncoder

from apps.jobs.models import Job, WebhookDelivery
from apps.jobs.serializers import JobSerializer
from apps.core.errors import InvalidInput
from apps.core.netguard import Address, address_is_metadata, address_is_public

logger = logging.getLogger(__name__)

EVENT_JOB_FINISHED = "job.finished"
USER_AGENT = "ContentGen-Webhooks/1"
SIGNATURE_TOLERANCE_S = 300
RESPONSE_BODY_MAX_CHARS = 2000
RETRY_MAX_DELAY_S = 3600.0  # at most the broker's visibility timeout, or Redis redelivers
JOB_FINAL_STATUSES = (Job.Status.SUCCEEDED, Job.Status.PARTIALLY_SUCCEEDED, Job.Status.FAILED,
                      Job.Status.CANCELLED)


class WebhookTargetRefused(InvalidInput):
    """A URL that may not be called (scheme, host, a non-public address): never retried."""


class WebhookTargetUnresolved(InvalidInput):
    """A host that did not resolve: DNS failures may pass, so a delivery retries them."""


@dataclass(frozen=True)
class NextAttempt:
    """The attempt a failed delivery scheduled: the task enqueues it after `countdown_s`."""

    delivery_id: int
    countdown_s: float


# --- The URL guard -----------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    url: httpx.URL
    addresses: list[Address]  # every one checked; the request goes to one of these


def _refused(message) -> WebhookTargetRefused:
    return WebhookTargetRefused(message, fields={"webhook_url": [message]})


def _target_resolve(url: str) -> _Target:
    """Parse the URL as the HTTP client will, resolve its host, check every address."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise _refused(_("Enter a valid webhook URL.")) from exc
    if parsed.scheme not in ("http", "https"):
        raise _refused(_("A webhook URL must start with http:// or https://."))
    host = parsed.raw_host.decode("ascii")
    if not host:
        raise _refused(_("A webhook URL needs a host name."))
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        # Literal forms such as 2130706433, 0x7f000001 or 127.1 resolve here too.
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
    except (OSError, ValueError) as exc:  # socket.gaierror is an OSError
        message = _("The webhook host “%(host)s” could not be resolved.") % {"host": host}
        raise WebhookTargetUnresolved(message, fields={"webhook_url": [message]}) from exc
    allow_private = settings.WEBHOOK_ALLOW_PRIVATE_TARGETS
    for address in addresses:
        if address_is_metadata(address) or not (allow_private or address_is_public(address)):
            # The address itself is not echoed: that would map the internal network.
            raise _refused(_("A webhook URL must point to a public internet address; "
                             "this one reaches a private or reserved network."))
    return _Target(url=parsed, addresses=addresses)


def webhook_url_validate(url: str) -> str:
    """The URL, if a webhook may be sent to it; else InvalidInput naming `webhook_url`."""
    _target_resolve(url)
    return url


# --- Signing -----------------------------------------------------------------


def webhook_signature(secret: str, body: bytes, timestamp: int) -> str:
    """The ContentGen-Signature header: ``t=<timestamp>,v1=<hex HMAC-SHA256>``, signing
    ``f"{timestamp}."`` followed by the raw body, so the time cannot be swapped."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def webhook_signature_verify(secret: str, body: bytes, header: str, *,
                             tolerance_s: int = SIGNATURE_TOLERANCE_S,
                             now: float | None = None) -> bool:
    """The receiver's check (see the module docstring): a ``v1`` matches the HMAC of
    ``f"{t}."`` + body, compared in constant time, and ``t`` is within `tolerance_s`
    of `now` either way, which turns a replay away once the window has passed."""
    timestamp, candidates = None, []
    for part in header.split(","):
        key, _sep, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or not candidates:
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance_s:
        return False
    expected = webhook_signature(secret, body, timestamp).partition(",v1=")[2]
    # Every candidate is compared: several v1 values may be sent while a secret rotates.
    return any([hmac.compare_digest(expected, candidate) for candidate in candidates])


# --- Events and deliveries ---------------------------------------------------


def webhook_delivery_list_for_job(*, job: Job) -> QuerySet[WebhookDelivery]:
    """The delivery log of a job, newest attempt first (a selector, kept beside its model's
    services)."""
    return WebhookDelivery.objects.filter(job=job).order_by("-created_at", "-pk")


def webhook_retry_delay_s(attempt: int) -> float:
    """The wait after failed attempt `attempt` (1-based): base x 2^(attempt-1), capped."""
    return min(settings.WEBHOOK_RETRY_BASE_S * 2 ** min(attempt - 1, 32), RETRY_MAX_DELAY_S)


def _payload_json(*, event: str, job: Job) -> str:
    # Serialized once: every attempt sends and signs these very bytes.
    return json.dumps({"event": event, "created": timezone.now(), "job": JobSerializer(job).data},
                      cls=JSONEncoder, ensure_ascii=False, separators=(",", ":"))


def _enqueue_delivery(delivery_id: int) -> None:
    from apps.jobs.tasks import webhook_deliver_task

    webhook_deliver_task.delay(delivery_id)


def webhook_on_job_finished(*, job_id) -> WebhookDelivery | None:
    """Record attempt 1 of the job's ``job.finished`` webhook and send it once committed;
    None when the job has no webhook URL (or is not finished)."""
    job = Job.objects.select_related("brand_version__brand").filter(pk=job_id).first()
    if job is None or not job.webhook_url or job.status not in JOB_FINAL_STATUSES:
        return None
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(
            job=job, event=EVENT_JOB_FINISHED, url=job.webhook_url,
            payload=_payload_json(event=EVENT_JOB_FINISHED, job=job))
        transaction.on_commit(partial(_enqueue_delivery, delivery.pk))
    return delivery


@dataclass(frozen=True)
class _Outcome:
    succeeded: bool
    retryable: bool
    response_status: int | None = None
    response_body: str = ""
    error: str = ""


def _read_prefix(response: httpx.Response) -> str:
    # Only the start is kept; a receiver that answers with megabytes is not read to the end.
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= RESPONSE_BODY_MAX_CHARS * 4:
            break
    return b"".join(chunks).decode("utf-8", errors="replace")[:RESPONSE_BODY_MAX_CHARS]


def _post(target: _Target, *, body: bytes, headers: dict[str, str]) -> _Outcome:
    timeout = httpx.Timeout(settings.WEBHOOK_READ_TIMEOUT_S,
                            connect=settings.WEBHOOK_CONNECT_TIMEOUT_S)
    host = target.url.raw_host.decode("ascii")
    headers = {**headers, "Host": target.url.netloc.decode("ascii")}
    # TLS checks the certificate against the URL's host, not the pinned address.
    extensions = {"sni_hostname": host} if target.url.scheme == "https" else {}
    # trust_env=False: no proxy from the environment, so the checked address is the peer.
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for index, address in enumerate(target.addresses):
            try:
                with client.stream("POST", target.url.copy_with(host=str(address)), content=body,
                                   headers=headers, extensions=extensions) as response:
                    status, text = response.status_code, _read_prefix(response)
                break
            except httpx.ConnectError:
                if index == len(target.addresses) - 1:
                    raise  # every address refused the connection
    if 200 <= status < 300:
        return _Outcome(succeeded=True, retryable=False, response_status=status,
                        response_body=text)
    error = (f"HTTP {status}: redirects are not followed" if 300 <= status < 400
             else f"HTTP {status}")
    return _Outcome(succeeded=False, retryable=True, response_status=status, response_body=text,
                    error=error)


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
        # Again at send time: what the host resolves to may have changed since submission.
        outcome = _post(_target_resolve(delivery.url), body=body, headers=headers)
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
    from django.db.models.functions import Coalesce

    from apps.jobs.tasks import webhook_deliver_task

    lost = list(WebhookDelivery.objects.annotate(due=Coalesce("next_attempt_at", "created_at"))
                .filter(status=WebhookDelivery.Status.PENDING, due__lt=stale)
                .values_list("pk", flat=True)[:10_000])
    for delivery_id in lost:
        webhook_deliver_task.delay(delivery_id)
    return len(lost)
