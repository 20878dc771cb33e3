"""The body of a job event, built from the Job row and its counters.

Receivers get ``{"event", "created", "job"}`` (and ``item`` for ``item.reviewed``: the
reviewed item's id, sku, locale, status, content and review fields, as the API names
them), and ``job`` is the object
``GET /api/v1/jobs/{id}/`` answers for the same job (a test holds the two equal). It is
written out here rather than taken from the API's JobSerializer so that webhooks, which
services call, do not import the API layer: serializers -> services -> webhooks ->
serializers was an import cycle. The keys are a published contract: add keys, never
rename or drop them, and add them to JobSerializer too.

The body is serialized once, when the event is recorded: every attempt sends and signs
those very bytes.
"""

import json
from datetime import datetime

from django.utils import timezone

from apps.core.money import money
from apps.core.netguard import url_without_password
from apps.jobs.models import Job, JobItem

EVENT_JOB_FINISHED = "job.finished"
EVENT_ITEM_REVIEWED = "item.reviewed"


def _timestamp(value: datetime | None) -> str | None:
    # As the API writes times (DRF's ISO 8601): the current time zone, UTC spelt "Z".
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    if text.endswith("+00:00"):
        text = text.removesuffix("+00:00") + "Z"
    return text


def _job_body(job: Job) -> dict:
    """The job as the API shows it; needs `brand_version__brand` (select it with the job)."""
    return {
        "id": str(job.id),
        "status": str(job.status),
        "status_label": str(job.get_status_display()),
        "kind": str(job.kind),
        "kind_label": job.kind_label,
        "channel": job.channel,
        "source_kind": job.source_kind,
        "source_job": str(job.source_job_id) if job.source_job_id else None,
        "brand": job.brand_version.brand.slug,
        "brand_version": job.brand_version.number,
        "locales": job.locales,
        "model": job.model_policy,
        "fallback": job.fallback,
        "priority": str(job.priority),
        "webhook_url": url_without_password(job.webhook_url),
        "items_total": job.items_total,
        "progress": {"total": job.items_total, "succeeded": job.items_succeeded,
                     "needs_review": job.items_needs_review, "failed": job.items_failed,
                     "cancelled": job.items_cancelled, "pending": job.items_pending,
                     "cached": job.items_cached},
        "cost": {"estimated_usd": money(job.estimated_cost_usd),
                 "actual_usd": money(job.actual_cost_usd),
                 # What the provider itself reported (OpenRouter's usage.cost), beside ours.
                 "provider_reported_usd": (None if job.provider_cost_usd is None
                                           else money(job.provider_cost_usd))},
        "usage": {"input_tokens": job.input_tokens, "output_tokens": job.output_tokens},
        "created_at": _timestamp(job.created_at),
        "started_at": _timestamp(job.started_at),
        "finished_at": _timestamp(job.finished_at),
    }


def _item_body(item: JobItem) -> dict:
    """What a reviewer decided about which content, with the API's names for the fields."""
    return {
        "id": item.pk,
        "sku": item.sku,
        "locale": item.locale,
        "status": str(item.status),
        "content": item.content,
        "review": item.review or None,
        "reviewed_by": item.reviewed_by,
        "reviewed_at": _timestamp(item.reviewed_at),
        "review_note": item.review_note,
        "edited": item.edited,
        "revision": item.revision,
    }


def webhook_payload_json(*, event: str, job: Job, item: JobItem | None = None) -> str:
    """The event body as compact JSON, non-ASCII text kept as is."""
    body = {"event": event, "created": _timestamp(timezone.now()), "job": _job_body(job)}
    if item is not None:
        body["item"] = _item_body(item)
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))
