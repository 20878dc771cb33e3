import uuid

from django.db.models import QuerySet

from apps.accounts.models import Workspace
from apps.jobs.models import Job, JobItem


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
