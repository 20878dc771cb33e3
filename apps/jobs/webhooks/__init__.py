"""Signed webhooks: the event body, the signature, and the delivery of job events.

Receiving a ContentGen webhook
------------------------------
Each event is a POST with a JSON body and these headers:

    Content-Type: application/json
    User-Agent: ContentGen-Webhooks/1
    ContentGen-Event: job.finished (or item.reviewed)
    ContentGen-Delivery: <uuid: the same on every attempt of one event>
    ContentGen-Attempt: <1, 2, ...>
    ContentGen-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>

The body is ``{"event": ..., "created": ..., "job": ...}``, where ``job`` is what
``GET /api/v1/jobs/{id}/`` answers for the same job. ``item.reviewed`` (a person
approved or rejected an item) adds ``item``: its id, sku, locale, status, content and
review fields (``review``, ``reviewed_by``, ``reviewed_at``, ``review_note``,
``edited``, ``revision``).

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
That guard is `apps.core.urlguard`, below the apps, so the API's serializer can check
a URL without importing this package.

The package, by concern: `payload` (the body), `signing` (the signature), `delivery`
(one row per attempt, the backoff, the recovery of lost messages). Callers import from
here.
"""

from apps.core.urlguard import (
    WebhookTargetRefused,
    WebhookTargetUnresolved,
    webhook_url_validate,
)
from apps.jobs.webhooks.delivery import (
    NextAttempt,
    webhook_deliver,
    webhook_delivery_list_for_job,
    webhook_on_item_reviewed,
    webhook_on_job_finished,
    webhook_recover_lost,
    webhook_retry_delay_s,
)
from apps.jobs.webhooks.payload import (
    EVENT_ITEM_REVIEWED,
    EVENT_JOB_FINISHED,
    webhook_payload_json,
)
from apps.jobs.webhooks.signing import webhook_signature, webhook_signature_verify

__all__ = [
    "EVENT_ITEM_REVIEWED",
    "EVENT_JOB_FINISHED",
    "NextAttempt",
    "WebhookTargetRefused",
    "WebhookTargetUnresolved",
    "webhook_deliver",
    "webhook_delivery_list_for_job",
    "webhook_on_item_reviewed",
    "webhook_on_job_finished",
    "webhook_payload_json",
    "webhook_recover_lost",
    "webhook_retry_delay_s",
    "webhook_signature",
    "webhook_signature_verify",
    "webhook_url_validate",
]
