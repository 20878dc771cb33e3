"""Operations' periodic tasks (celery beat)."""

from celery import shared_task

from apps.ops.rollup import attempt_rollup_advance


# Retry policy: none. Folding is idempotent and the next beat tick catches up; a lost
# or failed run only leaves the scrape a longer live tail to sum.
@shared_task(acks_late=True, ignore_result=True)
def attempt_rollup_task() -> int:
    return attempt_rollup_advance()
