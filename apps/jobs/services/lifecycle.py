"""What a customer does to a running or finished job: cancel, retry, resume.

Pausing is the pipeline's (the budget ran out mid-job) and lives in the ledger; these
are the API's actions. Each is one transaction, and work it puts back in the queue is
dispatched after commit.

Each action is a state transition that cannot race: its first statement is a
conditional update of the job's row, which both checks the state the action needs and
takes the row's lock (PostgreSQL re-checks the condition once a concurrent action
commits; SQLite runs the transactions one at a time). Of twenty concurrent cancels one
wins and the rest are a 409; a retry that loses to a cancel reopens nothing. The items
are then moved by conditional updates and the counters by what those updates counted,
never by what was read before, so the counters stay equal to the items' statuses.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import BudgetExceeded, Conflict
from apps.jobs.domain import OPEN_JOB_STATUSES, ItemReview, ItemStatus, JobStatus
from apps.jobs.models import Job, JobItem
from apps.jobs.services.budget import budget_figures, budget_reached
from apps.jobs.services.events import job_finished
from apps.jobs.services.sending import dispatch_on_commit

# Items a cancel closes: nothing has started on them, so nothing is billed.
CANCELLABLE_ITEM_STATUSES = (ItemStatus.PENDING, ItemStatus.PAUSED, ItemStatus.BATCHED)


def _status_label(job: Job) -> str:
    """The job's status as it is now (the action that lost a race read an older one)."""
    job.refresh_from_db(fields=["status"])
    return job.get_status_display()


def job_resume(*, job: Job) -> int:
    """Put a paused job's items back in the queue, if the budget now allows; returns how
    many (0 for a job that is running). A finished or cancelled job is a 409."""
    if budget_reached(workspace=job.workspace):
        figures = budget_figures(workspace=job.workspace, adding=Decimal(0)).as_dict()
        raise BudgetExceeded(
            _("The monthly budget of $%(budget)s is spent; raise it to resume this job.")
            % {"budget": figures["budget_usd"]}, extra={"budget": figures})
    with transaction.atomic():
        opened = Job.objects.filter(pk=job.pk, status__in=OPEN_JOB_STATUSES).update(
            status=Case(When(status=JobStatus.PAUSED, then=Value(JobStatus.RUNNING)),
                        default=F("status")))
        if not opened:
            raise Conflict(_("The job has already finished (%(status)s); there is nothing to "
                             "resume.") % {"status": _status_label(job)}, code="job_finished")
        resumed = JobItem.objects.filter(job=job, status=ItemStatus.PAUSED).update(
            status=ItemStatus.PENDING)
        if resumed:
            dispatch_on_commit(job.pk)
    return resumed


def job_cancel(*, job: Job) -> Job:
    """Stop a job: items not yet started are cancelled (never billed); items already
    running finish and are billed as usual. Only one of concurrent cancels ends the job
    (and sends its one ``job.finished`` event); the others are a 409."""
    now = timezone.now()
    with transaction.atomic():
        ended = Job.objects.filter(pk=job.pk, status__in=OPEN_JOB_STATUSES).update(
            status=JobStatus.CANCELLED, finished_at=now)
        if not ended:
            raise Conflict(_("The job has already finished (%(status)s); there is nothing to "
                             "cancel.") % {"status": _status_label(job)}, code="job_finished")
        cancelled = JobItem.objects.filter(job=job, status__in=CANCELLABLE_ITEM_STATUSES).update(
            status=ItemStatus.CANCELLED, finished_at=now, claim_id=None, lease_expires_at=None)
        Job.objects.filter(pk=job.pk).update(items_cancelled=F("items_cancelled") + cancelled)
        job_finished(job.pk)
    job.refresh_from_db()
    return job


def job_retry(*, job: Job) -> int:
    """Queue the job's failed and needs_review items again, as new attempts (the earlier
    attempts stay on the bill and in the history). Returns how many. A cancelled job is a
    409, also when the cancel committed a moment before. A needs_review item a person has
    edited or approved stays as it is: a retry rewrites the model's work, not theirs."""
    with transaction.atomic():
        # No change yet: the update only checks the state and takes the row's lock.
        if not Job.objects.filter(pk=job.pk).exclude(status=JobStatus.CANCELLED).update(
                status=F("status")):
            raise Conflict(_("A cancelled job cannot be retried; submit a new job instead."),
                           code="job_cancelled")
        reopen = {"status": ItemStatus.PENDING, "attempts": 0, "error": "", "content": None,
                  "checks": None, "finished_at": None, "claim_id": None,
                  "lease_expires_at": None, "review": "", "reviewed_by": "",
                  "reviewed_at": None, "review_note": ""}
        failed = JobItem.objects.filter(job=job, status=ItemStatus.FAILED).update(**reopen)
        review = (JobItem.objects.filter(job=job, status=ItemStatus.NEEDS_REVIEW, edited=False)
                  .exclude(review=ItemReview.APPROVED).update(**reopen))
        if not failed + review:
            return 0
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.RUNNING, finished_at=None,
            items_failed=F("items_failed") - failed,
            items_needs_review=F("items_needs_review") - review)
        dispatch_on_commit(job.pk)
    return failed + review
