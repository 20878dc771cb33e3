"""The admin index's panels: content waiting for review, open jobs, and this month's
spend per workspace, each hidden from a user who may not view its data."""

from django.contrib import admin
from django.urls import reverse

from apps.core.admin_site import IndexPanel
from apps.jobs.admin.common import usd
from apps.jobs.admin.review import queue_url
from apps.jobs.domain import OPEN_JOB_STATUSES
from apps.jobs.overview import items_to_review_count, jobs_open, workspace_spend_this_month

OPEN_JOBS_SHOWN = 10


def review_panel(request) -> dict | None:
    if not request.user.has_perm("jobs.view_jobitem"):
        return None
    return {"count": items_to_review_count(), "url": queue_url()}


def open_jobs_panel(request) -> dict | None:
    if not request.user.has_perm("jobs.view_job"):
        return None
    url = reverse("admin:jobs_job_changelist")
    return {"rows": [{"job": job, "done": job.items_total - job.items_pending}
                     for job in jobs_open(limit=OPEN_JOBS_SHOWN)],
            "url": f"{url}?status__in={','.join(OPEN_JOB_STATUSES)}"}


def spend_panel(request) -> dict | None:
    if not request.user.has_perm("jobs.view_job"):
        return None
    return {"rows": [{"workspace": row.workspace, "spent": usd(row.spent_usd),
                      "budget": usd(row.budget_usd) if row.budget_usd is not None else None}
                     for row in workspace_spend_this_month()]}


admin.site.add_index_panel(IndexPanel("admin/jobs/panel_review.html", review_panel, order=10))
admin.site.add_index_panel(IndexPanel("admin/jobs/panel_open_jobs.html", open_jobs_panel,
                                      order=20))
admin.site.add_index_panel(IndexPanel("admin/jobs/panel_spend.html", spend_panel, order=30))
