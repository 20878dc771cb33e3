"""The ledger: the only writer of an item's state and of the job's counters.

Claims and releases, one attempt row per model call (the bill is the sum of
attempts), closing an item, pausing it, and finishing the job when its last item
closes. Every write is a conditional update on the claim, so a worker that lost its
item (the lease ran out and another took over) can bill what it spent but cannot
close what it no longer owns.

The statements every item runs (claim, bill, close, count, finish) are written as
SQL. Built by the ORM they cost 0.8 to 1.8 ms of CPU each (measured on this code: the
claim's conditional update with its EXISTS 1.85 ms to build and run, the same
statement as SQL 0.05 ms), and an item runs eight of them, more CPU than the model
call itself. Values go through their field's own `get_db_prep_save`, so SQLite and
PostgreSQL store exactly what the ORM would store.
"""

import copy
import threading
import time
import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Model
from django.utils import timezone

from apps.accounts.models import Workspace
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

ITEMS = JobItem._meta.db_table
JOBS = Job._meta.db_table
ATTEMPTS = GenerationAttempt._meta.db_table


def _db(model: type[Model], field: str, value):
    """`value` as the database stores `model.field` (what the ORM would send)."""
    return model._meta.get_field(field).get_db_prep_save(value, connection)


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


def _execute(sql: str, params: list) -> int:
    """Run one statement; the number of rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def item_claim(*, item_id: int, from_status: str = ItemStatus.PENDING,
               token: str | None = None) -> JobItem | None:
    """Take the item atomically; another message for an item already taken gets None.

    `token` is the Celery task id: the same message delivered again (a retry after a
    lost database connection, or a redelivery after its worker died) may take back
    the item it had claimed at once, instead of waiting for the lease to run out.
    """
    now = timezone.now()
    claim_id = uuid.UUID(token) if token else uuid.uuid4()
    lease = now + timedelta(seconds=settings.ITEM_LEASE_S)
    # A running item whose lease ran out may be taken over; so may this message's own.
    takeover = "(status = %s AND lease_expires_at < %s)"
    params = [ItemStatus.RUNNING, _db(JobItem, "lease_expires_at", now)]
    if token:
        takeover += " OR (status = %s AND claim_id = %s)"
        params += [ItemStatus.RUNNING, _db(JobItem, "claim_id", claim_id)]
    # NOT EXISTS, not a join, so that PostgreSQL re-checks the job against a row a
    # concurrent cancel just changed: a cancelled item is never claimed back to running.
    claimed = _execute(
        f"UPDATE {ITEMS} SET status = %s, claim_id = %s, lease_expires_at = %s, "
        f"attempts = attempts + 1, started_at = COALESCE(started_at, %s) "
        f"WHERE id = %s AND (status = %s OR {takeover}) AND NOT EXISTS "
        f"(SELECT 1 FROM {JOBS} WHERE {JOBS}.id = {ITEMS}.job_id AND {JOBS}.status = %s)",
        [ItemStatus.RUNNING, _db(JobItem, "claim_id", claim_id),
         _db(JobItem, "lease_expires_at", lease), _db(JobItem, "started_at", now),
         item_id, from_status, *params, JobStatus.CANCELLED])
    if not claimed:
        return None
    item = next(iter(JobItem.objects.raw(f"SELECT * FROM {ITEMS} WHERE id = %s", [item_id])))
    item.job = job_context(item.job_id)
    _execute(f"UPDATE {JOBS} SET status = %s, started_at = %s WHERE id = %s AND status = %s",
             [JobStatus.RUNNING, _db(Job, "started_at", now), _db(Job, "id", item.job_id),
              JobStatus.QUEUED])
    return item


# A job's brand version and its own fields are the same for each of its items and do
# not change after submission, so a worker reads them once and keeps them a few
# seconds. The workspace is read with every claim: its budget and settings apply to
# the next item as soon as they are changed.
JOB_CONTEXT_TTL_S = 5.0
_JOB_CONTEXT_MAX = 256
_job_contexts: dict = {}
_job_contexts_lock = threading.Lock()
WORKSPACES = Workspace._meta.db_table


def job_context(job_id) -> Job:
    """The job with its brand version (shared read-only by the process) and its
    workspace as it is now."""
    now = time.monotonic()
    cached = _job_contexts.get(job_id)
    if cached is None or cached[0] <= now:
        job = Job.objects.select_related("brand_version").get(pk=job_id)
        with _job_contexts_lock:
            if len(_job_contexts) >= _JOB_CONTEXT_MAX:
                _job_contexts.clear()
            _job_contexts[job_id] = cached = (now + JOB_CONTEXT_TTL_S, job)
    job = copy.copy(cached[1])
    job.workspace = next(iter(Workspace.objects.raw(
        f"SELECT * FROM {WORKSPACES} WHERE id = %s", [job.workspace_id])))
    return job


def job_context_forget() -> None:
    """Drop every cached job context (tests, and a workspace change that must apply now)."""
    with _job_contexts_lock:
        _job_contexts.clear()


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
    now = timezone.now()
    item_sets, job_sets, item_params, job_params = [], [], [], []
    cost = Decimal(0)
    if attempt is not None:
        usage = attempt.usage
        cost = route.cost_usd(usage.input_tokens, usage.output_tokens)
        for sets, params, model in ((item_sets, item_params, JobItem), (job_sets, job_params, Job)):
            sets += ["input_tokens = input_tokens + %s", "output_tokens = output_tokens + %s"]
            params += [usage.input_tokens, usage.output_tokens]
            if usage.provider_cost_usd is not None:
                sets.append("provider_cost_usd = COALESCE(provider_cost_usd, 0) + %s")
                params.append(_db(model, "provider_cost_usd", usage.provider_cost_usd))
        item_sets.append("cost_usd = cost_usd + %s")
        item_params.append(_db(JobItem, "cost_usd", cost))
        job_sets.append("actual_cost_usd = actual_cost_usd + %s")
        job_params.append(_db(Job, "actual_cost_usd", cost))
    if finish is not None:
        review = review_on_finish(status=finish.status,
                                  auto_approve=item.job.workspace.auto_approve,
                                  rejected=item.review == ItemReview.REJECTED)
    with transaction.atomic():
        if attempt is not None:
            _attempt_insert(item, route, attempt, cost, now)
            workspace_spend_add(workspace_id=item.job.workspace_id, cost_usd=cost)
        closed = False
        if finish is not None:
            closed = bool(_execute(
                f"UPDATE {ITEMS} SET status = %s, content = %s, checks = %s, quality = %s, "
                "edited = %s, model_used = %s, error = %s, finished_at = %s, "
                "lease_expires_at = NULL, review = %s, reviewed_by = %s, reviewed_at = %s"
                + "".join(f", {set_}" for set_ in item_sets)
                + " WHERE id = %s AND claim_id = %s AND status = %s",
                [finish.status, _db(JobItem, "content", finish.content),
                 _db(JobItem, "checks", finish.checks), finish.quality,
                 _db(JobItem, "edited", False), finish.model_used, finish.error[:2000],
                 _db(JobItem, "finished_at", now), review.state,
                 _db(JobItem, "reviewed_by", review.by),
                 _db(JobItem, "reviewed_at", review.at), *item_params,
                 item.pk, _db(JobItem, "claim_id", item.claim_id), ItemStatus.RUNNING]))
            if closed:
                counter = STATUS_COUNTER[finish.status]
                job_sets.append(f"{counter} = {counter} + 1")
        if item_sets and not closed:
            _execute(f"UPDATE {ITEMS} SET {', '.join(item_sets)} WHERE id = %s",
                     [*item_params, item.pk])
        if job_sets:
            _execute(f"UPDATE {JOBS} SET {', '.join(job_sets)} WHERE id = %s",
                     [*job_params, _db(Job, "id", item.job_id)])
        if closed:
            job_finish_if_done(job_id=item.job_id)
            if finish.status == ItemStatus.SUCCEEDED:
                cache_store(item=item, content=finish.content, checks=finish.checks,
                            model_used=finish.model_used)
    return closed


def _attempt_insert(item: JobItem, route: ModelSpec, attempt: Attempt, cost: Decimal,
                    now) -> None:
    usage = attempt.usage
    _execute(
        f"INSERT INTO {ATTEMPTS} (item_id, model, provider_model, outcome, input_tokens, "
        "output_tokens, cost_usd, provider_cost_usd, latency_ms, error, checks, created_at) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [item.pk, route.key, attempt.provider_model, attempt.outcome, usage.input_tokens,
         usage.output_tokens, _db(GenerationAttempt, "cost_usd", cost),
         _db(GenerationAttempt, "provider_cost_usd", usage.provider_cost_usd),
         attempt.latency_ms, attempt.error[:2000], _db(GenerationAttempt, "checks", attempt.checks),
         _db(GenerationAttempt, "created_at", now)])


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
    done = "items_succeeded + items_failed + items_needs_review + items_cancelled"
    finished = bool(_execute(
        f"UPDATE {JOBS} SET finished_at = %s, status = CASE "
        "WHEN items_failed = 0 AND items_needs_review = 0 THEN %s "
        "WHEN items_succeeded = 0 AND items_needs_review = 0 THEN %s ELSE %s END "
        f"WHERE id = %s AND status IN ({_placeholders(ACTIVE_JOB_STATUSES)}) "
        f"AND items_total = {done}",
        [_db(Job, "finished_at", timezone.now()), JobStatus.SUCCEEDED, JobStatus.FAILED,
         JobStatus.PARTIALLY_SUCCEEDED, _db(Job, "id", job_id), *ACTIVE_JOB_STATUSES]))
    if finished:
        job_finished(job_id)
    return finished
