"""Queue names: the one place they are spelled.

Item tasks go to one queue per model route, so a slow or rate-limited route never
starves the other; everything else goes to `default`. Settings declare every queue
from here (`CELERY_TASK_QUEUES`), so a worker started without -Q consumes them all.
Imports nothing of Django or the apps: settings import it.
"""

DEFAULT_QUEUE = "default"
GENERATE_QUEUE_PREFIX = "generate."


def queue_for_model(model: str) -> str:
    return f"{GENERATE_QUEUE_PREFIX}{model}"


def queue_names(model_keys) -> list[str]:
    """Every queue a worker should consume, the default one first."""
    return [DEFAULT_QUEUE, *(queue_for_model(key) for key in model_keys)]
