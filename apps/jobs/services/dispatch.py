"""Dispatching a job: its pending items go on their way. An economy job's items whose
route runs the Batch API go there together; every other item gets one message on its
model's queue."""

from apps.generation.catalog import catalog_get
from apps.jobs.domain import ItemStatus
from apps.jobs.models import Job, JobItem
from apps.jobs.services.batch import items_batch_submit
from apps.jobs.services.sending import items_send


def job_dispatch(*, job_id) -> int:
    """Send the job's pending items; returns how many."""
    job = Job.objects.get(pk=job_id)
    pending = dict(JobItem.objects.filter(job_id=job_id, status=ItemStatus.PENDING)
                   .order_by("pk").values_list("pk", "model"))
    online = pending
    if job.priority == Job.Priority.ECONOMY:
        catalog = catalog_get()
        by_model: dict[str, list[int]] = {}
        for item_id, model in pending.items():
            if catalog[model].batch_api:
                by_model.setdefault(model, []).append(item_id)
        batched: set[int] = set()
        for model, item_ids in by_model.items():
            batched |= items_batch_submit(job=job, route=catalog[model], item_ids=item_ids)
        online = {item_id: model for item_id, model in pending.items() if item_id not in batched}
    items_send(online)
    return len(pending)
