"""The one seam from "a job ended" to what follows it (today: its webhook).

Called inside the transaction that ended the job; what follows runs after commit, so
a rolled-back end announces nothing."""

from django.db import transaction

from apps.jobs.webhooks import webhook_on_job_finished


def job_finished(job_id) -> None:
    transaction.on_commit(lambda: webhook_on_job_finished(job_id=job_id))
