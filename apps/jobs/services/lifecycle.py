"""What a customer does to a running or finished job: cancel, retry, resume.

Pausing is the pipeline's (the budget ran out mid-job) and lives in the ledger; these
are the API's actions. Each is one transaction, and work it puts back in the queue is
dispatched after commit."""

from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import BudgetExceeded, Conflict
from apps.jobs.domain import OPEN_JOB_STATUSES, ItemStatus, JobStatus
from apps.jobs.models import Job, JobItem
from apps.jobs.services.budget import budget_figures, budget_reached
from apps.jobs.services.events import job_finished
from apps.jobs.services.sending import dispatch_on_commit


def job_resume(*, job: Job) -> int:
    """Put a paused job's items back in the queue, if the budget now allows; returns how many."""
    if budget_reached(workspace=job.workspace):
        figures = budget_figures(workspace=job.workspace, adding=Decimal(0)).as_dict()
        raise BudgetExceeded(
            _("The monthly budget of $%(budget)s is spent; raise it to resume this job.")
            % {"budget": figures["budget_usd"]}, extra={"budget": figures})
    with transaction.atomic():
        resumed = JobItem.objects.filter(job=job, status=ItemStatus.PAUSED).update(
            status=ItemStatus.PENDING)
        Job.objects.filter(pk=job.pk, status=JobStatus.PAUSED).update(status=JobStatus.RUNNING)
        if resumed:
            dispatch_on_commit(job.pk)
    return resumed


def job_cancel(*, job: Job) -> Job:
    """Stop a job: items not yet started are cancelled (never billed); items already
    running finish and are billed as usual."""
    if job.status not in OPEN_JOB_STATUSES:
        message = _("The job has already finished (%(status)s); there is nothing to cancel.") % {
            "status": job.get_status_display()}
        raise Conflict(message, code="job_finished")
    now = timezone.now()
    with transaction.atomic():
        cancelled = JobItem.objects.filter(
            job=job, status__in=[ItemStatus.PENDING, ItemStatus.PAUSED, ItemStatus.BATCHED]
        ).update(status=ItemStatus.CANCELLED, finished_at=now, claim_id=None,
                 lease_expires_at=None)
        Job.objects.filter(pk=job.pk).update(status=JobStatus.CANCELLED, finished_at=now,
                                             items_cancelled=F("items_cancelled") + cancelled)
        job_finished(job.pk)
    job.refresh_from_db()
    return job


def job_retry(*, job: Job) -> int:
    """Queue the job's failed and needs_review items again, as new attempts (the earlier
    attempts stay on the bill and in the history). Returns how many."""
    if job.status == JobStatus.CANCELLED:
        message = _("A cancelled job cannot be retried; submit a new job instead.")
        raise Conflict(message, code="job_cancelled")
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        again = JobItem.objects.filter(job=locked,
                                       status__in=[ItemStatus.FAILED, ItemStatus.NEEDS_REVIEW])
        failed = again.filter(status=ItemStatus.FAILED).count()
        review = again.filter(status=ItemStatus.NEEDS_REVIEW).count()
        if not failed + review:
            return 0
        again.update(status=ItemStatus.PENDING, attempts=0, error="", content=None, checks=None,
                     finished_at=None, claim_id=None, lease_expires_at=None)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.RUNNING, finished_at=None,
            items_failed=F("items_failed") - failed,
            items_needs_review=F("items_needs_review") - review)
        dispatch_on_commit(job.pk)
    return failed + review
