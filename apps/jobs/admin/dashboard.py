"""A workspace's spend at a glance: what its model calls cost per day and model over the
last 30 days, its items per status, and where it stands against its monthly budget.
Drawn on the server (charts.py); the figures are the bill's (overview.py)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.accounts.models import Workspace
from apps.jobs.admin.charts import Bar, Series, bars_svg, series_colour, stacked_columns_svg
from apps.jobs.admin.common import usd
from apps.jobs.models import JobItem
from apps.jobs.overview import DASHBOARD_DAYS, WorkspaceActivity, workspace_activity
from apps.jobs.services.budget import budget_figures


def spend_view(model_admin, request, workspace_id: int):
    if not request.user.has_perm("jobs.view_job"):
        raise PermissionDenied
    workspace = get_object_or_404(Workspace, pk=workspace_id)
    activity = workspace_activity(workspace=workspace)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Spend of %(workspace)s") % {"workspace": workspace.name},
        "workspace": workspace,
        "days": DASHBOARD_DAYS,
        "start": activity.days[0], "end": activity.days[-1],
        "cost_chart": cost_chart(activity),
        "model_totals": model_totals(activity),
        "total": usd(activity.total_usd),
        "status_chart": status_chart(activity),
        "budget": budget_position(workspace),
    }
    return TemplateResponse(request, "admin/jobs/spend.html", context)


def cost_chart(activity: WorkspaceActivity):
    columns = [date_format(day, "j M") for day in activity.days]
    index = {day: n for n, day in enumerate(activity.days)}
    series = []
    for model in activity.models:
        values = [Decimal(0)] * len(activity.days)
        for cost in activity.costs:
            if cost.model == model:
                values[index[cost.day]] = cost.cost_usd
        series.append(Series(name=model, values=values))
    return stacked_columns_svg(columns=columns, series=series, axis_label=usd,
                               title=_("Cost per day and model"))


def model_totals(activity: WorkspaceActivity) -> list[dict]:
    """Calls and cost per model over the window, for the chart's legend."""
    return [{"model": model, "colour": series_colour(n),
             "calls": sum(c.calls for c in activity.costs if c.model == model),
             "cost": usd(sum((c.cost_usd for c in activity.costs if c.model == model),
                             Decimal(0)))}
            for n, model in enumerate(activity.models)]


def status_chart(activity: WorkspaceActivity):
    bars = [Bar(label=str(JobItem.Status(status).label), value=count)
            for status, count in sorted(activity.items_by_status.items())]
    return bars_svg(bars=bars, title=_("Items per status"))


def budget_position(workspace: Workspace) -> dict | None:
    """This month against the budget; None when the workspace has none."""
    figures = budget_figures(workspace=workspace, adding=Decimal(0))
    if figures is None:
        return None
    share = (figures.spent_usd / figures.budget_usd * 100) if figures.budget_usd else Decimal(0)
    return {"budget": usd(figures.budget_usd), "spent": usd(figures.spent_usd),
            "committed": usd(figures.committed_usd), "remaining": usd(figures.remaining_usd),
            "percent": f"{min(share, Decimal(100)):.0f}", "over": figures.remaining_usd < 0}
