"""The one seam from "a job ended" or "a person reviewed an item" to what follows it
(today: the job's webhook).

Called inside the transaction that made the change; what follows runs after commit, so
a rolled-back change announces nothing."""

from django.db import transaction

from apps.jobs.webhooks import webhook_on_item_reviewed, webhook_on_job_finished


def job_finished(job_id) -> None:
    transaction.on_commit(lambda: webhook_on_job_finished(job_id=job_id))


def item_reviewed(item_id) -> None:
    transaction.on_commit(lambda: webhook_on_item_reviewed(item_id=item_id))
