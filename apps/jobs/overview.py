"""Reads for the admin's overview: the index's boxes (content to review, open jobs, this
month's spend per workspace) and a workspace's spend dashboard (cost per day and model,
items per status). Aggregates with one GROUP BY each: the index runs them on every visit.

Cost is what was billed, the sum of attempts (one row per model call), by the day the
call was made (UTC), as the usage API counts it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.accounts.models import Workspace, WorkspaceMonthlySpend
from apps.accounts.services import month_of
from apps.jobs.domain import OPEN_JOB_STATUSES, ItemReview
from apps.jobs.models import GenerationAttempt, Job, JobItem

DASHBOARD_DAYS = 30


def items_to_review_count() -> int:
    """Items whose content waits for a person (failed checks, or no auto-approval)."""
    return JobItem.objects.filter(review=ItemReview.PENDING).count()


def jobs_open(*, limit: int) -> list[Job]:
    """Jobs that may still change (queued, running, paused), newest first."""
    return list(Job.objects.filter(status__in=OPEN_JOB_STATUSES)
                .select_related("workspace", "brand_version__brand", "kind_version")
                .order_by("-created_at", "-pk")[:limit])


@dataclass(frozen=True)
class WorkspaceSpend:
    workspace: Workspace
    spent_usd: Decimal
    budget_usd: Decimal | None


def workspace_spend_this_month() -> list[WorkspaceSpend]:
    """Every workspace with what it has spent this month (UTC), the biggest first."""
    spent = dict(WorkspaceMonthlySpend.objects.filter(month=month_of(timezone.now()))
                 .values_list("workspace_id", "cost_usd"))
    rows = [WorkspaceSpend(workspace=workspace, spent_usd=spent.get(workspace.pk, Decimal(0)),
                           budget_usd=workspace.monthly_budget_usd)
            for workspace in Workspace.objects.order_by("slug")]
    return sorted(rows, key=lambda row: row.spent_usd, reverse=True)


@dataclass(frozen=True)
class DayCost:
    day: datetime.date
    model: str
    calls: int
    cost_usd: Decimal


@dataclass(frozen=True)
class WorkspaceActivity:
    """A workspace's last `DASHBOARD_DAYS` days, today included."""

    days: list[datetime.date]  # oldest first, every day even without calls
    costs: list[DayCost]  # per day and model, only where there were calls
    items_by_status: dict[str, int]  # items of jobs submitted in the window

    @property
    def models(self) -> list[str]:
        return sorted({cost.model for cost in self.costs})

    @property
    def total_usd(self) -> Decimal:
        return sum((cost.cost_usd for cost in self.costs), Decimal(0))


def workspace_activity(*, workspace: Workspace, today: datetime.date | None = None
                       ) -> WorkspaceActivity:
    today = today or timezone.now().date()
    start = today - datetime.timedelta(days=DASHBOARD_DAYS - 1)
    attempts = GenerationAttempt.objects.order_by().filter(
        item__job__workspace=workspace, created_at__date__gte=start,
        created_at__date__lte=today)
    rows = (attempts.annotate(day=TruncDate("created_at")).values_list("day", "model")
            .annotate(calls=Count("pk"), cost=Sum("cost_usd")).order_by("day", "model"))
    statuses = (JobItem.objects.order_by()
                .filter(job__workspace=workspace, job__created_at__date__gte=start,
                        job__created_at__date__lte=today)
                .values_list("status").annotate(n=Count("pk")))
    return WorkspaceActivity(
        days=[start + datetime.timedelta(days=n) for n in range(DASHBOARD_DAYS)],
        costs=[DayCost(day=day, model=model, calls=calls, cost_usd=cost)
               for day, model, calls, cost in rows],
        items_by_status=dict(statuses))
