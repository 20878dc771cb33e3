"""The workspace's monthly budget as jobs see it: what is spent, what running work has
committed, and whether a new estimate fits."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from apps.accounts.models import Workspace
from apps.accounts.selectors import workspace_month_spent
from apps.core.money import money
from apps.jobs.domain import COMMITTED_ITEM_STATUSES
from apps.jobs.models import JobItem


@dataclass(frozen=True)
class BudgetFigures:
    budget_usd: Decimal
    spent_usd: Decimal
    committed_usd: Decimal  # estimates of items not yet finished
    estimate_usd: Decimal  # what the request would add
    fits: bool

    @property
    def remaining_usd(self) -> Decimal:
        return self.budget_usd - self.spent_usd - self.committed_usd

    def as_dict(self) -> dict:
        """The figures as the API shows them (money as strings), without `fits`."""
        return {"budget_usd": money(self.budget_usd), "spent_usd": money(self.spent_usd),
                "committed_usd": money(self.committed_usd),
                "estimate_usd": money(self.estimate_usd),
                "remaining_usd": money(self.remaining_usd)}


def budget_figures(*, workspace: Workspace, adding: Decimal) -> BudgetFigures | None:
    """None when the workspace has no budget."""
    if workspace.monthly_budget_usd is None:
        return None
    committed = (JobItem.objects
                 .filter(job__workspace=workspace, status__in=COMMITTED_ITEM_STATUSES)
                 .aggregate(total=Sum("estimated_cost_usd"))["total"]) or Decimal(0)
    spent = workspace_month_spent(workspace=workspace)
    return BudgetFigures(
        budget_usd=workspace.monthly_budget_usd, spent_usd=spent, committed_usd=committed,
        estimate_usd=adding, fits=spent + committed + adding <= workspace.monthly_budget_usd)


def budget_reached(*, workspace: Workspace) -> bool:
    return (workspace.monthly_budget_usd is not None
            and workspace_month_spent(workspace=workspace) >= workspace.monthly_budget_usd)
