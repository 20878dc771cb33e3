import datetime
import uuid

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import TruncDate

from apps.accounts.models import Workspace
from apps.jobs.models import GenerationAttempt, Job, JobItem


def job_list_for_workspace(*, workspace: Workspace) -> QuerySet[Job]:
    return Job.objects.filter(workspace=workspace).select_related("brand_version__brand").order_by(
        "-created_at", "-pk")


def job_get_for_workspace(*, workspace: Workspace, job_id: str) -> Job | None:
    try:
        pk = uuid.UUID(str(job_id))
    except ValueError:
        return None
    return job_list_for_workspace(workspace=workspace).filter(pk=pk).first()


def item_list_for_job(*, job: Job) -> QuerySet[JobItem]:
    return JobItem.objects.filter(job=job).order_by("position", "locale", "pk")


def usage_for_workspace(*, workspace: Workspace, start: datetime.date,
                        end: datetime.date) -> dict[str, list[dict]]:
    """Tokens and cost of every model call in [start, end] (UTC days), three ways."""
    attempts = GenerationAttempt.objects.filter(
        item__job__workspace=workspace, created_at__date__gte=start, created_at__date__lte=end)
    totals = {"calls": Count("pk"), "input_tokens": Sum("input_tokens"),
              "output_tokens": Sum("output_tokens"), "cost_usd": Sum("cost_usd")}
    return {
        "by_model": list(attempts.values("model").annotate(**totals).order_by("model")),
        "by_brand": list(attempts.values(brand=F("item__job__brand_version__brand__slug"))
                         .annotate(**totals).order_by("brand")),
        "by_day": list(attempts.annotate(day=TruncDate("created_at")).values("day")
                       .annotate(**totals).order_by("day")),
    }
