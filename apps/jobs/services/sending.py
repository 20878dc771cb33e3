"""Putting items on their queues. Every concern that (re)queues work comes here:
submission, resume and retry (through the dispatch task, after commit), the batch
fold and the recovery sweep (item messages directly)."""

from django.db import transaction
from django.utils import timezone

from apps.jobs.models import JobItem
from apps.jobs.queues import queue_for_model
from apps.jobs.tasks import item_generate_task, job_dispatch_task


def items_send(models: dict[int, str]) -> None:
    """One message per item (id -> model) on its model's queue, and the time it was sent."""
    JobItem.objects.filter(pk__in=list(models)).update(queued_at=timezone.now())
    for item_id, model in models.items():
        item_generate_task.apply_async(args=[item_id], queue=queue_for_model(model))


def dispatch_on_commit(job_id) -> None:
    """Dispatch the job's pending items once the current transaction commits."""
    transaction.on_commit(lambda: job_dispatch_task.delay(str(job_id)))
