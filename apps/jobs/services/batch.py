"""Economy jobs through a route's Batch API (half price, within 24 hours): submit the
items as one provider batch, poll it, and fold the answers back into the ledger. An
item without a good answer goes back to the online queue, where the normal pipeline
rewrites it."""

import dataclasses
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.generation.catalog import ModelSpec, catalog_get
from apps.generation.client import (
    BatchLine,
    BatchStatus,
    LLMRequest,
    PermanentLLMError,
    TransientLLMError,
    batch_poll,
    batch_submit,
)
from apps.generation.prompts import ItemInput, VariantAsk, prompt_build
from apps.generation.schemas import output_schema
from apps.jobs.domain import Attempt, Finish, ItemStatus, JobStatus
from apps.jobs.models import GenerationAttempt, Job, JobItem, ProviderBatch
from apps.jobs.services.assessment import answer_assess, item_check_rules
from apps.jobs.services.ledger import item_claim, item_record, item_release
from apps.jobs.services.sending import items_send

logger = logging.getLogger(__name__)

Outcome = GenerationAttempt.Outcome
# What a provider reports once a batch will change no more.
BATCH_FINAL_STATUSES = {"completed", "expired", "cancelled", "failed"}


def items_batch_submit(*, job: Job, route: ModelSpec, item_ids: list[int]) -> set[int]:
    """Send items through the route's Batch API; returns the ids that went."""
    with transaction.atomic():
        JobItem.objects.filter(pk__in=item_ids, status=ItemStatus.PENDING).update(
            status=ItemStatus.BATCHED)
        items = list(JobItem.objects.filter(pk__in=item_ids, status=ItemStatus.BATCHED))
    brand = job.brand_version.snapshot
    wire_schema = output_schema(job.kind_spec).json_schema(
        with_bounds=route.structured_output == "json_object_schema")
    lines = [
        BatchLine(custom_id=str(item.pk), request=LLMRequest(
            route=route, kind=job.kind, json_schema=wire_schema,
            max_output_tokens=settings.GENERATION_MAX_OUTPUT_TOKENS,
            messages=prompt_build(brand=brand, kind=job.kind_spec, locale=item.locale,
                                  item=ItemInput(**item.input),
                                  variant=VariantAsk(number=item.variant,
                                                     count=item.variants)).messages))
        for item in items
    ]
    try:
        batch_id = batch_submit(route, lines, metadata={"job": str(job.pk)})
    except (TransientLLMError, PermanentLLMError) as exc:
        # The batch could not be created: the items run online instead.
        logger.warning("batch submit failed for job %s: %s", job.pk, exc.reason)
        JobItem.objects.filter(pk__in=[i.pk for i in items], status=ItemStatus.BATCHED).update(
            status=ItemStatus.PENDING)
        return set()
    ProviderBatch.objects.create(job=job, model=route.key, batch_id=batch_id,
                                 item_ids=[item.pk for item in items])
    Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now())
    return {item.pk for item in items}


def batches_poll() -> int:
    """Check every open provider batch; fold the finished ones back. Returns how many folded."""
    catalog = catalog_get()
    folded = 0
    for provider_batch in ProviderBatch.objects.filter(status=ProviderBatch.Status.OPEN):
        route = catalog[provider_batch.model]
        try:
            status = batch_poll(route, provider_batch.batch_id)
        except (TransientLLMError, PermanentLLMError) as exc:
            logger.warning("batch poll failed for %s: %s", provider_batch.batch_id, exc.reason)
            continue
        ProviderBatch.objects.filter(pk=provider_batch.pk).update(provider_status=status.status)
        if status.status in BATCH_FINAL_STATUSES:
            _batch_fold(provider_batch, route, status)
            folded += 1
    return folded


def _batch_fold(provider_batch: ProviderBatch, route: ModelSpec, status: BatchStatus) -> None:
    """Bill every answered line at the batch price and close its item."""
    priced = dataclasses.replace(
        route, input_usd_per_mtok=route.input_usd_per_mtok * settings.BATCH_DISCOUNT,
        output_usd_per_mtok=route.output_usd_per_mtok * settings.BATCH_DISCOUNT)
    outcomes = {outcome.custom_id: outcome for outcome in status.outcomes}
    retry_online: dict[int, str] = {}
    for item_id in provider_batch.item_ids:
        item = item_claim(item_id=item_id, from_status=ItemStatus.BATCHED)
        if item is None:
            continue
        outcome = outcomes.get(str(item_id))
        if outcome is not None and outcome.result is not None:
            verdict = answer_assess(result=outcome.result, schema=output_schema(item.job.kind_spec),
                                    rules=item_check_rules(item))
            if verdict.passed:
                item_record(item=item, route=priced, attempt=verdict.attempt, finish=Finish(
                    status=ItemStatus.SUCCEEDED, content=verdict.content,
                    checks=verdict.report.as_dict(), model_used=route.key))
                continue
            item_record(item=item, route=priced, attempt=verdict.attempt)
        elif outcome is not None and outcome.error is not None:
            item_record(item=item, route=priced, attempt=Attempt(
                outcome=Outcome.TRANSIENT_ERROR, usage=outcome.error.usage,
                error=f"batch: {outcome.error.reason}"))
        item_release(item=item)
        retry_online[item.pk] = item.model
    ProviderBatch.objects.filter(pk=provider_batch.pk).update(
        status=ProviderBatch.Status.DONE, finished_at=timezone.now())
    if retry_online:
        transaction.on_commit(lambda: items_send(retry_online))
