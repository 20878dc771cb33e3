"""Thin Celery tasks: an id in, one service call, a declared retry policy.

Retry policy: provider failures that may pass (429, 5xx, timeouts) are retried
here, and only here (the SDK's retries are off), after the delay the service
computed (Retry-After when the provider sent one, else jittered exponential
backoff). The attempt bound lives in the database with the item, so it holds
across redeliveries. Everything else fails the item at once.
"""

from celery import shared_task

from apps.jobs.services import ItemRetryLater, batches_poll, item_generate, job_dispatch


def queue_for_model(model: str) -> str:
    # One queue per route, so a slow or rate-limited route never starves the other.
    return f"generate.{model}"


@shared_task(acks_late=True)
def job_dispatch_task(job_id: str) -> int:
    return job_dispatch(job_id=job_id)


@shared_task(bind=True, acks_late=True, max_retries=None)
def item_generate_task(self, item_id: int) -> None:
    try:
        item_generate(item_id=item_id)
    except ItemRetryLater as exc:
        raise self.retry(countdown=exc.countdown, exc=exc) from exc


@shared_task(acks_late=True, ignore_result=True)
def batches_poll_task() -> int:
    # Periodic (celery beat). Polling is idempotent: a lost or doubled run is harmless.
    return batches_poll()
