"""Thin Celery tasks: an id in, one service call, a declared retry policy.

Retry policy: provider failures that may pass (429, 5xx, timeouts) are retried
here, and only here (the SDK's retries are off), after the delay the service
computed (Retry-After when the provider sent one, else jittered exponential
backoff). The attempt bound lives in the database with the item, so it holds
across redeliveries. Everything else fails the item at once.

Services import these tasks to enqueue them; each task imports its service inside
its body (the Celery pattern HackSoft documents), so the two never form an import
cycle at load time.
"""

from celery import shared_task
from celery.signals import worker_process_init, worker_ready
from django.db import InterfaceError, OperationalError, close_old_connections

from apps.jobs.domain import RetryLater


@shared_task(acks_late=True)
def job_dispatch_task(job_id: str) -> int:
    from apps.jobs.services import job_dispatch  # services enqueue this task

    return job_dispatch(job_id=job_id)


# Retry policy: provider failures that may pass come back as RetryLater with the
# delay the service chose (bounded by the attempts stored on the item). A lost
# database connection is transient too: the same message runs again shortly, and its
# task id lets it take back the item it had claimed. Anything else is a bug: it fails
# loudly, and the item's lease and the recovery sweep bring the item back.
DATABASE_GONE = (OperationalError, InterfaceError)


@shared_task(bind=True, acks_late=True, max_retries=None)
def item_generate_task(self, item_id: int) -> None:
    from apps.jobs.services import item_generate  # services enqueue this task

    try:
        item_generate(item_id=item_id, token=self.request.id)
    except RetryLater as exc:
        raise self.retry(countdown=exc.countdown, exc=exc) from exc
    except DATABASE_GONE as exc:
        close_old_connections()
        raise self.retry(countdown=2, exc=exc, max_retries=30) from exc


@shared_task(acks_late=True, ignore_result=True)
def batches_poll_task() -> int:
    from apps.jobs.services import batches_poll  # services enqueue item tasks

    # Periodic (celery beat). Polling is idempotent: a lost or doubled run is harmless.
    return batches_poll()


# Retry policy (webhooks): one WebhookDelivery row per attempt, so Celery's retry is
# not used. The service records each attempt's outcome on its row and, for a failure
# that may pass (a non-2xx answer, a timeout, DNS), creates the next pending row;
# this task then schedules that row as a new message after the backoff the service
# computed, up to WEBHOOK_MAX_ATTEMPTS. A refused target fails at once. A repeated
# message (acks_late) finds its row no longer pending and does nothing.
@shared_task(acks_late=True, ignore_result=True)
def webhook_deliver_task(delivery_id: int) -> None:
    from apps.jobs.webhooks import webhook_deliver  # webhooks enqueue this task

    following = webhook_deliver(delivery_id=delivery_id)
    if following is not None:
        webhook_deliver_task.apply_async(args=[following.delivery_id],
                                         countdown=following.countdown_s)


@shared_task(acks_late=True, ignore_result=True)
def recovery_sweep_task() -> dict:
    from apps.jobs.services import recovery_sweep  # services enqueue item tasks

    # Periodic (celery beat). Idempotent by design: items are claimed before they run.
    recovery = recovery_sweep()
    return {"requeued": recovery.requeued, "freed": recovery.freed,
            "webhooks": recovery.webhooks, "broker_reset": recovery.broker_reset}


@worker_ready.connect
@worker_process_init.connect
def lease_keeper_on_worker_start(**kwargs) -> None:
    # The process that runs item tasks keeps their claims alive (the main process of a
    # threads pool, each child of a prefork pool).
    from apps.jobs.services import lease_keeper_start  # services enqueue tasks

    lease_keeper_start()


@worker_ready.connect
def models_loaded_on_worker_start(sender=None, **kwargs) -> None:
    # Before the first item, not under it: the checks' detector and dictionaries and
    # the tokenizer take seconds to load, and every item thread would wait on the load.
    # A prefork pool's children run the items and load on first use (a child that took
    # seconds to start would be killed by the pool's start-up timeout).
    from celery.concurrency.prefork import TaskPool as PreforkPool

    from apps.generation.checks import checks_warm_up
    from apps.generation.tokens import tokenizer_warm_up

    if not isinstance(getattr(sender, "pool", None), PreforkPool):
        checks_warm_up()
        tokenizer_warm_up()
