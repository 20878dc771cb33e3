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
    # One producer for the lot: acquired per message, each would open a broker client.
    with item_generate_task.app.producer_or_acquire() as producer:
        for item_id, model in models.items():
            item_generate_task.apply_async(args=[item_id], queue=queue_for_model(model),
                                           producer=producer)


def dispatch_on_commit(job_id) -> None:
    """Dispatch the job's pending items once the current transaction commits."""
    transaction.on_commit(lambda: job_dispatch_task.delay(str(job_id)))


# The sweep leaves this key in the broker; when it is gone, Redis lost everything it
# held (flushed, or restarted empty), every queued message with it.
BROKER_SENTINEL_KEY = "cg:broker:sentinel"


def broker_reset_detect() -> bool:
    """True when the broker lost its data since the last call (and the first time ever)."""
    with item_generate_task.app.connection_for_write() as connection:
        return bool(connection.default_channel.client.set(BROKER_SENTINEL_KEY, "1", nx=True))
