"""The ledger: the only writer of an item's state and of the job's counters.

Claims and releases, one attempt row per model call (the bill is the sum of
attempts), closing an item, pausing it, and finishing the job when its last item
closes. Every write is a conditional update on the claim, so a worker that lost its
item (the lease ran out and another took over) can bill what it spent but cannot
close what it no longer owns.
"""

import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.accounts.services import workspace_spend_add
from apps.generation.catalog import ModelSpec
from apps.jobs.domain import (
    ACTIVE_JOB_STATUSES,
    REVIEWABLE_ITEM_STATUSES,
    STATUS_COUNTER,
    SYSTEM_ACTOR,
    Attempt,
    Finish,
    ItemReview,
    ItemStatus,
    JobStatus,
    ReviewState,
)
from apps.jobs.models import GenerationAttempt, Job, JobItem
from apps.jobs.services.cache import cache_store
from apps.jobs.services.events import job_finished


def item_claim(*, item_id: int, from_status: str = ItemStatus.PENDING,
               token: str | None = None) -> JobItem | None:
    """Take the item atomically; another message for an item already taken gets None.

    `token` is the Celery task id: the same message delivered again (a retry after a
    lost database connection, or a redelivery after its worker died) may take back
    the item it had claimed at once, instead of waiting for the lease to run out.
    """
    now = timezone.now()
    claim_id = uuid.UUID(token) if token else uuid.uuid4()
    takeover = Q(status=ItemStatus.RUNNING, lease_expires_at__lt=now)
    if token:
        takeover |= Q(status=ItemStatus.RUNNING, claim_id=claim_id)
    claimed = (
        JobItem.objects.filter(pk=item_id)
        .filter(Q(status=from_status) | takeover)
        # EXISTS, not a join: with a join Django updates `WHERE id IN (subquery)`, which
        # PostgreSQL does not re-check against a row a concurrent cancel just changed, so
        # a cancelled item could be claimed back to running.
        .filter(~Exists(Job.objects.filter(pk=OuterRef("job_id"), status=JobStatus.CANCELLED)))
        .update(status=ItemStatus.RUNNING, claim_id=claim_id,
                lease_expires_at=now + timedelta(seconds=settings.ITEM_LEASE_S),
                attempts=F("attempts") + 1, started_at=Coalesce("started_at", Value(now)))
    )
    if not claimed:
        return None
    item = JobItem.objects.select_related("job__brand_version", "job__workspace").get(pk=item_id)
    if item.job.status == JobStatus.QUEUED:
        Job.objects.filter(pk=item.job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=now)
    return item


def _cancelled_while_running(item: JobItem, **extra) -> bool:
    """Lock the item's job row (the order job_cancel takes, so the two cannot interleave)
    and, when the job was cancelled while the item ran, close the item as cancelled:
    put back in the queue it would stay pending for good, since nothing claims an item
    of a cancelled job. True when the job was cancelled (whether or not the item was
    still ours to close), False otherwise."""
    status = (Job.objects.select_for_update().filter(pk=item.job_id)
              .values_list("status", flat=True).first())
    if status != JobStatus.CANCELLED:
        return False
    closed = JobItem.objects.filter(
        pk=item.pk, claim_id=item.claim_id, status=ItemStatus.RUNNING).update(
        status=ItemStatus.CANCELLED, claim_id=None, lease_expires_at=None,
        finished_at=timezone.now(), **extra)
    if closed:
        Job.objects.filter(pk=item.job_id).update(items_cancelled=F("items_cancelled") + 1)
    return True


def item_release(*, item: JobItem, give_back_attempt: bool = False, error: str = "") -> None:
    """Back to the queue; an attempt that never reached a model is not counted."""
    extra = {"attempts": F("attempts") - 1} if give_back_attempt else {}
    if error:
        extra["error"] = error[:2000]
    with transaction.atomic():
        if _cancelled_while_running(item, **extra):
            return
        JobItem.objects.filter(pk=item.pk, claim_id=item.claim_id,
                               status=ItemStatus.RUNNING).update(
            status=ItemStatus.PENDING, claim_id=None, lease_expires_at=None, **extra)


def item_pause(*, item: JobItem) -> None:
    """The workspace's budget is spent: park the item (nothing is called or billed) and
    the job with it."""
    with transaction.atomic():
        if _cancelled_while_running(item, attempts=F("attempts") - 1):
            return
        mine = JobItem.objects.filter(pk=item.pk, claim_id=item.claim_id, status=ItemStatus.RUNNING)
        mine.update(
            status=ItemStatus.PAUSED, claim_id=None, lease_expires_at=None,
            attempts=F("attempts") - 1)
        Job.objects.filter(pk=item.job_id, status__in=ACTIVE_JOB_STATUSES).update(
            status=JobStatus.PAUSED)


def item_record(*, item: JobItem, route: ModelSpec | None = None, attempt: Attempt | None = None,
                finish: Finish | None = None) -> bool:
    """Bill an attempt and/or close the item, in one transaction and as few statements
    as the hot path allows: the item's and the job's totals move with the attempt, the
    last item finishes the job. Returns False when the item's lease was lost (another
    worker took it over); the attempt is billed all the same."""
    item_update, job_update = {}, {}
    cost = Decimal(0)
    if attempt is not None:
        usage = attempt.usage
        cost = route.cost_usd(usage.input_tokens, usage.output_tokens)
        for target in (item_update, job_update):
            target["input_tokens"] = F("input_tokens") + usage.input_tokens
            target["output_tokens"] = F("output_tokens") + usage.output_tokens
            if usage.provider_cost_usd is not None:
                target["provider_cost_usd"] = (Coalesce("provider_cost_usd", Value(Decimal(0)))
                                               + usage.provider_cost_usd)
        item_update["cost_usd"] = F("cost_usd") + cost
        job_update["actual_cost_usd"] = F("actual_cost_usd") + cost
    if finish is not None:
        review = review_on_finish(status=finish.status,
                                  auto_approve=item.job.workspace.auto_approve,
                                  rejected=item.review == ItemReview.REJECTED)
    with transaction.atomic():
        if attempt is not None:
            GenerationAttempt.objects.create(
                item=item, model=route.key, provider_model=attempt.provider_model,
                outcome=attempt.outcome, input_tokens=attempt.usage.input_tokens,
                output_tokens=attempt.usage.output_tokens, cost_usd=cost,
                provider_cost_usd=attempt.usage.provider_cost_usd,
                latency_ms=attempt.latency_ms, error=attempt.error[:2000], checks=attempt.checks)
            workspace_spend_add(workspace_id=item.job.workspace_id, cost_usd=cost)
        closed = False
        if finish is not None:
            closed = bool(JobItem.objects.filter(
                pk=item.pk, claim_id=item.claim_id, status=ItemStatus.RUNNING).update(
                status=finish.status, content=finish.content, checks=finish.checks,
                quality=finish.quality, edited=False,
                model_used=finish.model_used, error=finish.error[:2000],
                finished_at=timezone.now(), lease_expires_at=None,
                review=review.state, reviewed_by=review.by, reviewed_at=review.at,
                **item_update))
            if closed:
                counter = STATUS_COUNTER[finish.status]
                job_update[counter] = F(counter) + 1
        if item_update and not closed:
            JobItem.objects.filter(pk=item.pk).update(**item_update)
        if job_update:
            Job.objects.filter(pk=item.job_id).update(**job_update)
        if closed:
            job_finish_if_done(job_id=item.job_id)
            if finish.status == ItemStatus.SUCCEEDED:
                cache_store(item=item, content=finish.content, checks=finish.checks,
                            model_used=finish.model_used)
    return closed


def review_on_finish(*, status: str, auto_approve: bool, rejected: bool = False) -> ReviewState:
    """The review state of content the model just wrote. Passing content is approved by
    the system when the workspace approves automatically, except after a person rejected
    the item (they asked for the rewrite, so they see it); content that failed the checks
    always waits for a person; an item without content has no review state."""
    if status not in REVIEWABLE_ITEM_STATUSES:
        return ReviewState(state="")
    if status == ItemStatus.SUCCEEDED and auto_approve and not rejected:
        return ReviewState(state=ItemReview.APPROVED, by=SYSTEM_ACTOR, at=timezone.now())
    return ReviewState(state=ItemReview.PENDING)


def job_finish_if_done(*, job_id) -> bool:
    """Close the job when every item has closed; True (and the job's event) if this call
    closed it. Safe to call from several workers at once: one update wins."""
    done = (F("items_succeeded") + F("items_failed") + F("items_needs_review")
            + F("items_cancelled"))
    finished = bool(
        Job.objects.filter(pk=job_id, status__in=ACTIVE_JOB_STATUSES, items_total=done)
        .update(
            status=Case(
                When(items_failed=0, items_needs_review=0, then=Value(JobStatus.SUCCEEDED)),
                When(items_succeeded=0, items_needs_review=0, then=Value(JobStatus.FAILED)),
                default=Value(JobStatus.PARTIALLY_SUCCEEDED),
            ),
            finished_at=timezone.now(),
        )
    )
    if finished:
        job_finished(job_id)
    return finished
