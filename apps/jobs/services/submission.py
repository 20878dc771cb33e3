"""Submitting a job: plan it, check the budget, write the job and its items in one
transaction, and dispatch them once it commits. Idempotency keys make a repeated
request return the job the first one made."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Workspace
from apps.core.digest import json_digest
from apps.core.errors import BudgetExceeded, Conflict, InvalidInput
from apps.jobs.domain import ItemStatus, JobSubmission
from apps.jobs.models import Job, JobItem
from apps.jobs.services.budget import budget_figures
from apps.jobs.services.ledger import job_finish_if_done, review_on_finish
from apps.jobs.services.localize import PASSTHROUGH_NOTE
from apps.jobs.services.planning import job_plan
from apps.jobs.services.sending import dispatch_on_commit

IDEMPOTENCY_KEY_MAX_CHARS = 200


@dataclass(frozen=True)
class Submitted:
    job: Job
    replayed: bool  # True: an earlier request with the same Idempotency-Key made this job


def submission_hash(data) -> str:
    """A stable digest of a job request, to tell a true repeat from a different body."""
    return json_digest(data)


def idempotency_key_clean(raw: str) -> str:
    """The Idempotency-Key header as given ("" when absent), or a 400 naming it."""
    key = raw.strip()
    if len(key) > IDEMPOTENCY_KEY_MAX_CHARS or not key.isprintable():
        message = _("An Idempotency-Key is at most 200 printable characters.")
        raise InvalidInput(message, fields={"Idempotency-Key": [message]})
    return key


def job_submit_idempotent(*, workspace: Workspace, submission: JobSubmission,
                          idempotency_key: str, request_hash: str) -> Submitted:
    """Submit once per key: a repeat with the same body gets the original job back, a
    different body under the same key is a 409. Keys are per workspace; no key, no
    deduplication."""
    if not idempotency_key:
        return Submitted(job_submit(workspace=workspace, submission=submission), replayed=False)
    existing = Job.objects.filter(workspace=workspace, idempotency_key=idempotency_key).first()
    if existing is None:
        try:
            return Submitted(job_submit(workspace=workspace, submission=submission,
                                        idempotency_key=idempotency_key,
                                        request_hash=request_hash), replayed=False)
        except IntegrityError:
            # Two requests with one key raced; the other one made the job.
            existing = Job.objects.get(workspace=workspace, idempotency_key=idempotency_key)
    if existing.request_hash != request_hash:
        message = _("This Idempotency-Key was already used with a different request body.")
        raise Conflict(message, code="idempotency_key_reused",
                       fields={"Idempotency-Key": [message]})
    return Submitted(existing, replayed=True)


def job_submit(*, workspace: Workspace, submission: JobSubmission, idempotency_key: str = "",
               request_hash: str = "") -> Job:
    plan = job_plan(workspace=workspace, submission=submission)
    submission = plan.submission  # a localize job's source job resolved into its items
    estimate = plan.estimated_cost_usd
    budget = budget_figures(workspace=workspace, adding=estimate)
    if budget is not None and not budget.fits:
        figures = budget.as_dict()
        raise BudgetExceeded(
            _("This job's estimate of $%(estimate)s would pass the monthly budget of "
              "$%(budget)s: $%(spent)s spent and $%(committed)s committed to running jobs.")
            % {"estimate": figures["estimate_usd"], "budget": figures["budget_usd"],
               "spent": figures["spent_usd"], "committed": figures["committed_usd"]},
            fields={"items": [str(_("The estimate passes the monthly budget."))]},
            extra={"budget": figures})

    now = timezone.now()
    hits = plan.cached_count
    passed = sum(1 for p in plan.items if p.passthrough)
    with transaction.atomic():
        job = Job.objects.create(
            workspace=workspace, brand_version=plan.version, kind=submission.kind,
            kind_version=plan.kind_version,
            channel=submission.channel, source_kind=submission.source_kind,
            source_job_id=submission.source_job or None,
            locales=submission.locales, model_policy=submission.model,
            fallback=submission.fallback, priority=submission.priority,
            idempotency_key=idempotency_key, request_hash=request_hash,
            webhook_url=submission.webhook_url,
            items_total=len(plan.items), items_succeeded=hits + passed, items_cached=hits,
            estimated_cost_usd=estimate,
        )
        items = []
        for p in plan.items:
            item = JobItem(job=job, position=p.position, sku=p.item.sku, locale=p.locale,
                           variant=p.variant, variants=p.variants,
                           input=p.item.as_json(), model=p.model,
                           estimated_cost_usd=0 if p.cached else p.estimated_cost_usd)
            if p.cached is not None:
                item.status, item.from_cache, item.finished_at = ItemStatus.SUCCEEDED, True, now
                item.content, item.checks = p.cached.content, p.cached.checks
                item.model_used = p.cached.model
                item.quality = (p.cached.checks or {}).get("quality")
            elif p.passthrough:
                # The source is already this locale's content: stored as is, unbilled.
                item.status, item.finished_at = ItemStatus.SUCCEEDED, now
                item.content = p.item.source
                item.checks = {"passed": True, "quality": None, "failures": [],
                               "note": PASSTHROUGH_NOTE}
            if item.status == ItemStatus.SUCCEEDED:
                review = review_on_finish(status=item.status, auto_approve=workspace.auto_approve)
                item.review, item.reviewed_by, item.reviewed_at = review.state, review.by, review.at
            items.append(item)
        JobItem.objects.bulk_create(items, batch_size=1000)
        if not job_finish_if_done(job_id=job.pk):
            dispatch_on_commit(job.pk)
    job.refresh_from_db()
    return job
