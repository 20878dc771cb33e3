"""Job writes: submission, item generation (a state machine per item) and billing."""

import dataclasses
import hashlib
import json
import logging
import random
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Workspace
from apps.accounts.selectors import workspace_month_spent
from apps.accounts.services import workspace_spend_add
from apps.brands.models import BrandTemplateVersion
from apps.brands.selectors import brand_get_for_workspace, brand_latest_version
from apps.generation.catalog import ModelSpec, catalog_get
from apps.generation.client import (
    AnswerRejected,
    BatchLine,
    LLMRequest,
    LLMResult,
    LLMUsage,
    PermanentLLMError,
    TransientLLMError,
    batch_poll,
    batch_submit,
    complete,
)
from apps.generation.prompts import ItemInput, brand_override, prompt_build
from apps.generation.router import (
    POLICIES,
    POLICY_CHEAPEST,
    RouteDecision,
    RoutingError,
    route_choose,
)
from apps.generation.checks import CheckReport, CheckRules, content_check
from apps.generation.schemas import CONTENT_FIELDS, OutputInvalid, output_schema
from apps.generation.tokens import prompt_tokens
from apps.generation.traffic import (
    breaker_policy,
    route_acquire,
    route_allowed,
    route_back_off,
    route_failed,
    route_limits,
    route_succeeded,
)
from apps.generation.ratelimit import WaitTooLong
from apps.jobs.models import ContentCacheEntry, GenerationAttempt, Job, JobItem, ProviderBatch
from apps.localization.locales import locale_get
from contentgen.money import money
from contentgen.errors import BudgetExceeded, Conflict, InvalidInput

logger = logging.getLogger(__name__)

Outcome = GenerationAttempt.Outcome
ItemStatus = JobItem.Status
# Bump when prompts or checks change in a way that should invalidate cached outputs.
CACHE_FORMAT = 1


@dataclass(frozen=True)
class JobSubmission:
    kind: str
    brand: str
    locales: list[str]
    model: str
    items: list[ItemInput] = field(default_factory=list)
    fallback: bool = True
    priority: str = Job.Priority.STANDARD
    fresh: bool = False  # True: never serve a cached output
    webhook_url: str = ""


class ItemRetryLater(Exception):
    """A transient failure: the item was released and should run again after `countdown`."""

    def __init__(self, countdown: float, reason: str):
        self.countdown = countdown
        self.reason = reason
        super().__init__(reason)


# --- Submission and estimates ------------------------------------------------


@dataclass(frozen=True)
class _PlannedItem:
    position: int
    item: ItemInput
    locale: str
    decision: RouteDecision  # under the job's policy
    policies: dict[str, RouteDecision | None]  # auto and cheapest, for the estimate

    @property
    def model(self) -> str:
        return self.decision.model.key

    @property
    def estimated_cost_usd(self) -> Decimal:
        return self.decision.estimate.cost_usd


def _brand_version_for(workspace: Workspace, slug: str) -> BrandTemplateVersion:
    brand = brand_get_for_workspace(workspace=workspace, slug=slug)
    if brand is None:
        message = _("No brand with the slug “%(slug)s” exists in this workspace.") % {"slug": slug}
        raise InvalidInput(message, code="unknown_brand", fields={"brand": [message]})
    if brand.archived_at is not None:
        message = _("The brand “%(slug)s” is archived and takes no new jobs.") % {"slug": slug}
        raise InvalidInput(message, code="brand_archived", fields={"brand": [message]})
    return brand_latest_version(brand=brand)


def _plan_items(*, submission: JobSubmission, brand: dict,
                catalog: dict[str, ModelSpec]) -> list[_PlannedItem]:
    output_tokens = settings.GENERATION_EXPECTED_OUTPUT_TOKENS[submission.kind]
    planned = []
    for position, item in enumerate(submission.items):
        for locale in submission.locales:
            prompt = prompt_build(brand=brand, kind=submission.kind, locale=locale, item=item)
            route = partial(route_choose, catalog=catalog, text_tokens=prompt_tokens(prompt.messages),
                            image_count=len(item.image_urls), output_tokens=output_tokens)
            try:
                decision = route(policy=submission.model)
            except RoutingError as exc:
                # Name the item at fault as well as the model field.
                raise RoutingError(exc.message, fields={
                    "model": [str(exc.message)], f"items.{position}": [str(exc.message)],
                }) from exc
            policies = {policy: (decision if policy == submission.model else route(policy=policy))
                        for policy in POLICIES}
            planned.append(_PlannedItem(position, item, locale, decision, policies))
    return planned


def _cache_key(*, workspace_id: int, version_id: int, kind: str, locale: str, item: ItemInput,
               model: str) -> str:
    # Everything that shapes the output: change any of it and the cache misses.
    material = [workspace_id, version_id, kind, locale, _item_input_json(item), model,
                settings.GENERATION_MAX_OUTPUT_TOKENS, CACHE_FORMAT]
    return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False,
                                     default=str).encode()).hexdigest()


@dataclass(frozen=True)
class ModelEstimate:
    items: int
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal | None  # None: some item cannot run on this model


@dataclass(frozen=True)
class JobEstimate:
    items_total: int
    policy: str
    cost_usd: Decimal  # under the job's policy, cached items excluded
    items_cached: int
    routed: dict[str, ModelEstimate]  # model -> the items the policy sends there
    models: dict[str, ModelEstimate]  # model -> every item on that one model
    policies: dict[str, Decimal | None]  # auto / cheapest -> their cost
    budget: dict | None


def _sum_estimates(estimates) -> ModelEstimate:
    estimates = list(estimates)
    costs = [e.cost_usd for e in estimates]
    return ModelEstimate(
        items=len(estimates), input_tokens=sum(e.input_tokens for e in estimates),
        output_tokens=sum(e.output_tokens for e in estimates),
        cost_usd=None if any(c is None for c in costs) else sum(costs, Decimal(0)))


def _budget_figures(workspace: Workspace, adding: Decimal) -> dict | None:
    if workspace.monthly_budget_usd is None:
        return None
    committed = (JobItem.objects
                 .filter(job__workspace=workspace,
                         status__in=[ItemStatus.PENDING, ItemStatus.RUNNING, ItemStatus.BATCHED])
                 .aggregate(total=Sum("estimated_cost_usd"))["total"]) or Decimal(0)
    spent = workspace_month_spent(workspace=workspace)
    return {"budget_usd": money(workspace.monthly_budget_usd), "spent_usd": money(spent),
            "committed_usd": money(committed), "estimate_usd": money(adding),
            "remaining_usd": money(workspace.monthly_budget_usd - spent - committed),
            "fits": spent + committed + adding <= workspace.monthly_budget_usd}


def _cached_outputs(workspace: Workspace, version, submission, planned) -> dict[int, tuple]:
    """Planned index -> (cache key, entry or None)."""
    keys = {index: _cache_key(workspace_id=workspace.pk, version_id=version.pk,
                              kind=submission.kind, locale=p.locale, item=p.item, model=p.model)
            for index, p in enumerate(planned)}
    found = {}
    if not submission.fresh:
        found = {entry.key: entry for entry in ContentCacheEntry.objects.filter(
            workspace=workspace, key__in=set(keys.values()))}
    return {index: (key, found.get(key)) for index, key in keys.items()}


def job_estimate(*, workspace: Workspace, submission: JobSubmission) -> JobEstimate:
    """What a job would cost, per model and per policy, without running anything."""
    version = _brand_version_for(workspace, submission.brand)
    planned = _plan_items(submission=submission, brand=version.snapshot, catalog=catalog_get())
    cached = _cached_outputs(workspace, version, submission, planned)
    to_run = [p for index, p in enumerate(planned) if cached[index][1] is None]
    cost = sum((p.estimated_cost_usd for p in to_run), Decimal(0))
    by_model: dict[str, list] = {}
    for p in to_run:
        by_model.setdefault(p.model, []).append(p.decision.estimate)
    policies = {}
    for policy in POLICIES:
        decisions = [p.policies[policy] for p in to_run]
        policies[policy] = sum((d.estimate.cost_usd for d in decisions), Decimal(0))
    return JobEstimate(
        items_total=len(planned), policy=submission.model, cost_usd=cost,
        items_cached=len(planned) - len(to_run),
        routed={model: _sum_estimates(estimates) for model, estimates in by_model.items()},
        models={model: _sum_estimates(p.decision.estimates[model] for p in to_run)
                for model in catalog_get()},
        policies=policies, budget=_budget_figures(workspace, cost))


@dataclass(frozen=True)
class Submitted:
    job: Job
    replayed: bool  # True: an earlier request with the same Idempotency-Key made this job


def submission_hash(data) -> str:
    """A stable digest of a job request, to tell a true repeat from a different body."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False,
                                     default=str).encode()).hexdigest()


def job_submit_idempotent(*, workspace: Workspace, submission: JobSubmission,
                          idempotency_key: str, request_hash: str) -> Submitted:
    """Submit once per key: a repeat with the same body gets the original job back, a
    different body under the same key is a 409. Keys are per workspace."""
    existing = Job.objects.filter(workspace=workspace, idempotency_key=idempotency_key).first()
    if existing is None:
        try:
            return Submitted(job_submit(workspace=workspace, submission=submission,
                                        idempotency_key=idempotency_key,
                                        request_hash=request_hash), replayed=False)
        except IntegrityError:
            # Two requests with one key raced; the other one made the job.
            existing = Job.objects.get(workspace=workspace, idempotency_key=idempotency_key)
    if existing.request_hash != request_hash:
        message = _("This Idempotency-Key was already used with a different request body.")
        raise Conflict(message, code="idempotency_key_reused",
                       fields={"Idempotency-Key": [message]})
    return Submitted(existing, replayed=True)


def job_submit(*, workspace: Workspace, submission: JobSubmission, idempotency_key: str = "",
               request_hash: str = "") -> Job:
    version = _brand_version_for(workspace, submission.brand)
    planned = _plan_items(submission=submission, brand=version.snapshot, catalog=catalog_get())
    cached = _cached_outputs(workspace, version, submission, planned)
    hits = {index for index, (_key, entry) in cached.items() if entry is not None}
    estimate = sum((p.estimated_cost_usd for index, p in enumerate(planned) if index not in hits),
                   Decimal(0))
    budget = _budget_figures(workspace, estimate)
    if budget is not None and not budget["fits"]:
        raise BudgetExceeded(
            _("This job's estimate of $%(estimate)s would pass the monthly budget of "
              "$%(budget)s: $%(spent)s spent and $%(committed)s committed to running jobs.")
            % {"estimate": budget["estimate_usd"], "budget": budget["budget_usd"],
               "spent": budget["spent_usd"], "committed": budget["committed_usd"]},
            fields={"items": [str(_("The estimate passes the monthly budget."))]},
            extra={"budget": {k: v for k, v in budget.items() if k != "fits"}})

    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.create(
            workspace=workspace, brand_version=version, kind=submission.kind,
            locales=submission.locales, model_policy=submission.model,
            fallback=submission.fallback, priority=submission.priority,
            idempotency_key=idempotency_key, request_hash=request_hash,
            webhook_url=submission.webhook_url,
            items_total=len(planned), items_succeeded=len(hits), items_cached=len(hits),
            estimated_cost_usd=estimate,
        )
        items = []
        for index, p in enumerate(planned):
            item = JobItem(job=job, position=p.position, sku=p.item.sku, locale=p.locale,
                           input=_item_input_json(p.item), model=p.model,
                           estimated_cost_usd=0 if index in hits else p.estimated_cost_usd)
            if index in hits:
                entry = cached[index][1]
                item.status, item.from_cache, item.finished_at = ItemStatus.SUCCEEDED, True, now
                item.content, item.checks, item.model_used = entry.content, entry.checks, entry.model
            items.append(item)
        JobItem.objects.bulk_create(items, batch_size=1000)
        if _job_finish_if_done(job.pk):
            _on_job_finished(job.pk)
        else:
            job_id = job.pk
            transaction.on_commit(lambda: _enqueue_dispatch(job_id))
    job.refresh_from_db()
    return job


def _item_input_json(item: ItemInput) -> dict:
    return {
        "sku": item.sku, "name": item.name, "brief": item.brief, "attributes": item.attributes,
        "price": item.price, "currency": item.currency, "keywords": item.keywords,
        "image_urls": item.image_urls,
    }


def _enqueue_dispatch(job_id) -> None:
    from apps.jobs.tasks import job_dispatch_task

    job_dispatch_task.delay(str(job_id))


def job_dispatch(*, job_id) -> int:
    """Send the job's pending items on their way; returns how many.

    An economy job's items whose route runs the Batch API go there together; every
    other item gets one message on its model's queue.
    """
    job = Job.objects.get(pk=job_id)
    catalog = catalog_get()
    pending = list(JobItem.objects.filter(job_id=job_id, status=ItemStatus.PENDING)
                   .values_list("pk", "model"))
    online = pending
    if job.priority == Job.Priority.ECONOMY:
        by_model: dict[str, list[int]] = {}
        for item_id, model in pending:
            if catalog[model].batch_api:
                by_model.setdefault(model, []).append(item_id)
        batched = set()
        for model, item_ids in by_model.items():
            batched |= _batch_submit(job, catalog[model], item_ids)
        online = [(item_id, model) for item_id, model in pending if item_id not in batched]
    _items_send([item_id for item_id, _model in online], dict(online))
    return len(pending)


def _items_send(item_ids: list[int], models: dict[int, str]) -> None:
    """One message per item on its model's queue, and the time it was sent."""
    from apps.jobs.tasks import item_generate_task, queue_for_model

    JobItem.objects.filter(pk__in=item_ids).update(queued_at=timezone.now())
    for item_id in item_ids:
        item_generate_task.apply_async(args=[item_id], queue=queue_for_model(models[item_id]))


# --- Generation: claim, call, record, finish ---------------------------------


def _lease() -> timedelta:
    return timedelta(seconds=settings.ITEM_LEASE_S)


def _item_claim(item_id: int, *, from_status: str = ItemStatus.PENDING,
                token: str | None = None) -> JobItem | None:
    """Take the item atomically; another message for an item already taken gets None.

    `token` is the Celery task id: the same message delivered again (a retry after a
    lost database connection, or a redelivery after its worker died) may take back
    the item it had claimed at once, instead of waiting for the lease to run out.
    """
    now = timezone.now()
    claim_id = uuid.UUID(token) if token else uuid.uuid4()
    takeover = Q(status=ItemStatus.RUNNING, lease_expires_at__lt=now)
    if token:
        takeover |= Q(status=ItemStatus.RUNNING, claim_id=claim_id)
    claimed = (
        JobItem.objects.filter(pk=item_id)
        .filter(Q(status=from_status) | takeover)
        .exclude(job__status=Job.Status.CANCELLED)
        .update(status=ItemStatus.RUNNING, claim_id=claim_id, lease_expires_at=now + _lease(),
                attempts=F("attempts") + 1, started_at=Coalesce("started_at", Value(now)))
    )
    if not claimed:
        return None
    item = JobItem.objects.select_related("job__brand_version", "job__workspace").get(pk=item_id)
    if item.job.status == Job.Status.QUEUED:
        Job.objects.filter(pk=item.job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING, started_at=now)
    return item


@dataclass(frozen=True)
class _Attempt:
    """One call to a model, as billed."""

    outcome: str
    usage: LLMUsage
    latency_ms: int = 0
    provider_model: str = ""
    error: str = ""
    checks: dict | None = None


@dataclass(frozen=True)
class _Finish:
    """How an item ends."""

    status: str
    content: dict | None = None
    checks: dict | None = None
    model_used: str = ""
    error: str = ""


STATUS_COUNTER = {
    ItemStatus.SUCCEEDED: "items_succeeded",
    ItemStatus.NEEDS_REVIEW: "items_needs_review",
    ItemStatus.FAILED: "items_failed",
}


def _record(item: JobItem, route: ModelSpec | None, attempt: _Attempt | None,
            finish: _Finish | None) -> bool:
    """Bill an attempt and/or close the item, in one transaction and as few statements
    as the hot path allows: the item's and the job's totals move with the attempt, the
    last item finishes the job. Returns False when the item's lease was lost (another
    worker took it over); the attempt is billed all the same."""
    item_update, job_update = {}, {}
    cost = Decimal(0)
    if attempt is not None:
        usage = attempt.usage
        cost = route.cost_usd(usage.input_tokens, usage.output_tokens)
        for target in (item_update, job_update):
            target["input_tokens"] = F("input_tokens") + usage.input_tokens
            target["output_tokens"] = F("output_tokens") + usage.output_tokens
            if usage.provider_cost_usd is not None:
                target["provider_cost_usd"] = (Coalesce("provider_cost_usd", Value(Decimal(0)))
                                               + usage.provider_cost_usd)
        item_update["cost_usd"] = F("cost_usd") + cost
        job_update["actual_cost_usd"] = F("actual_cost_usd") + cost
    with transaction.atomic():
        if attempt is not None:
            GenerationAttempt.objects.create(
                item=item, model=route.key, provider_model=attempt.provider_model,
                outcome=attempt.outcome, input_tokens=attempt.usage.input_tokens,
                output_tokens=attempt.usage.output_tokens, cost_usd=cost,
                provider_cost_usd=attempt.usage.provider_cost_usd,
                latency_ms=attempt.latency_ms, error=attempt.error[:2000], checks=attempt.checks)
            workspace_spend_add(workspace_id=item.job.workspace_id, cost_usd=cost)
        closed = False
        if finish is not None:
            closed = bool(JobItem.objects.filter(
                pk=item.pk, claim_id=item.claim_id, status=ItemStatus.RUNNING).update(
                status=finish.status, content=finish.content, checks=finish.checks,
                model_used=finish.model_used, error=finish.error[:2000],
                finished_at=timezone.now(), lease_expires_at=None, **item_update))
            if closed:
                counter = STATUS_COUNTER[finish.status]
                job_update[counter] = F(counter) + 1
        if item_update and not closed:
            JobItem.objects.filter(pk=item.pk).update(**item_update)
        if job_update:
            Job.objects.filter(pk=item.job_id).update(**job_update)
        if closed and _job_finish_if_done(item.job_id):
            _on_job_finished(item.job_id)
        if closed:
            if finish.status == ItemStatus.SUCCEEDED:
                _cache_store(item, content=finish.content, checks=finish.checks,
                             model_used=finish.model_used)
    return closed


def _attempt_record(item: JobItem, route: ModelSpec, **attempt) -> None:
    _record(item, route, _Attempt(**attempt), None)


def _item_finish(item: JobItem, **finish) -> bool:
    return _record(item, None, None, _Finish(**finish))


def _cache_store(item: JobItem, *, content: dict, checks: dict | None, model_used: str) -> None:
    job = item.job
    key = _cache_key(workspace_id=job.workspace_id, version_id=job.brand_version_id, kind=job.kind,
                     locale=item.locale, item=ItemInput(**item.input), model=item.model)
    # Insert-or-ignore: the same product may finish in two jobs at once.
    ContentCacheEntry.objects.bulk_create([ContentCacheEntry(
        workspace_id=job.workspace_id, key=key, model=model_used, content=content,
        checks=checks)], ignore_conflicts=True)


def _job_finish_if_done(job_id) -> bool:
    done = (F("items_succeeded") + F("items_failed") + F("items_needs_review")
            + F("items_cancelled"))
    return bool(
        Job.objects.filter(pk=job_id, status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
                           items_total=done)
        .update(
            status=Case(
                When(items_failed=0, items_needs_review=0, then=Value(Job.Status.SUCCEEDED)),
                When(items_succeeded=0, items_needs_review=0, then=Value(Job.Status.FAILED)),
                default=Value(Job.Status.PARTIALLY_SUCCEEDED),
            ),
            finished_at=timezone.now(),
        )
    )


def _item_release(item: JobItem, *, give_back_attempt: bool = False) -> None:
    """Back to the queue; an attempt that never reached a model is not counted."""
    extra = {"attempts": F("attempts") - 1} if give_back_attempt else {}
    JobItem.objects.filter(pk=item.pk, claim_id=item.claim_id, status=ItemStatus.RUNNING).update(
        status=ItemStatus.PENDING, claim_id=None, lease_expires_at=None, **extra)


def _backoff_s(attempts: int, retry_after_s: float | None) -> float:
    if retry_after_s is not None:
        return max(retry_after_s, 0.0)
    base = settings.GENERATION_RETRY_BACKOFF_S * 2 ** max(attempts - 1, 0)
    # Full jitter keeps a burst of failed items from coming back in lockstep.
    return random.uniform(0, min(base, settings.GENERATION_RETRY_BACKOFF_MAX_S))


def check_rules_for(*, brand: dict, kind: str, locale: str, item: ItemInput) -> CheckRules:
    """The brand's rules for one item, as the output checks take them."""
    content_locale = locale_get(locale)
    override = brand_override(brand, content_locale)
    required = list(brand.get("required_terms") or [])
    if brand.get("keywords_policy") == "required":
        required += item.keywords
    bounds = {field: (None, limit) for field, limit in CONTENT_FIELDS[kind].items()}
    for field, bound in (brand.get("length_bounds") or {}).items():
        if field in bounds:
            bounds[field] = (bound.get("min"), bound.get("max") or bounds[field][1])
    return CheckRules(
        language=content_locale.language,
        banned_terms=tuple(dict.fromkeys([*(brand.get("banned_terms") or []),
                                          *(override.get("banned_terms") or [])])),
        required_terms=tuple(dict.fromkeys(required)),
        length_bounds=bounds,
        known_phrases=(item.name, item.sku, brand["name"], *item.keywords),
        prices=(Decimal(item.price),) if item.price is not None else (),
    )


class _NotNow(Exception):
    """No call now: the route is down with nowhere to fall back, or its next free
    rate-limit slot is far off. The item goes back to the queue; nothing was billed."""

    def __init__(self, countdown: float, reason: str):
        self.countdown = countdown
        self.reason = reason


def _live_route(item: JobItem, job: Job, catalog: dict[str, ModelSpec], item_input: ItemInput,
                prompt) -> ModelSpec:
    """The item's routed model, or while its circuit is open, another model that can take
    a text item, if the job allows fallback. The item records whichever writes it."""
    routed = catalog[item.model]
    if route_allowed(routed.key):
        return routed
    if job.fallback and not item_input.image_urls:
        others = {key: spec for key, spec in catalog.items() if key != routed.key}
        try:
            decision = route_choose(
                policy=POLICY_CHEAPEST, catalog=others, text_tokens=prompt_tokens(prompt.messages),
                image_count=0, output_tokens=settings.GENERATION_EXPECTED_OUTPUT_TOKENS[job.kind])
        except RoutingError:
            decision = None
        if decision is not None and route_allowed(decision.model.key):
            return decision.model
    raise _NotNow(breaker_policy().cooldown_s, f"route {routed.key} is down (circuit open)")


def _pace(route: ModelSpec, item_input: ItemInput, prompt) -> None:
    """Wait for this call's slot under the route's shared limits (requests and tokens)."""
    limits = route_limits(route)
    if limits is None:
        return
    tokens = (prompt_tokens(prompt.messages) + settings.GENERATION_MAX_OUTPUT_TOKENS
              + len(item_input.image_urls) * route.image_input_tokens)
    try:
        route_acquire(route.key, limits, tokens, max_wait=settings.RATE_LIMIT_MAX_INLINE_WAIT_S)
    except WaitTooLong as exc:
        raise _NotNow(exc.wait_s, f"route {route.key} is rate limited for {exc.wait_s:.0f}s") from exc


def _call(route: ModelSpec, request: LLMRequest) -> LLMResult:
    """One model call, with the route's breaker told how it went."""
    try:
        result = complete(request)
    except TransientLLMError as exc:
        if exc.status == 429:
            # Rate limits are not outages: the whole route backs off instead.
            route_back_off(route.key, exc.retry_after_s or settings.GENERATION_RETRY_BACKOFF_S)
        else:
            route_failed(route.key)
        raise
    except AnswerRejected:
        route_succeeded(route.key)  # the route answered; the answer was bad
        raise
    route_succeeded(route.key)
    return result


@dataclass(frozen=True)
class _Verdict:
    """What an answer is worth: its content, its check report, and the attempt to bill."""

    content: dict | None
    report: CheckReport | None
    attempt: dict
    feedback: str = ""


def _assess(result: LLMResult, schema, rules: CheckRules) -> _Verdict:
    billed = {"usage": result.usage, "latency_ms": result.latency_ms,
              "provider_model": result.provider_model}
    try:
        content = schema.parse(result.text)
    except OutputInvalid as exc:
        return _Verdict(None, None, {**billed, "outcome": Outcome.INVALID_OUTPUT,
                                     "error": exc.reason}, f"{exc.reason}.")
    report = content_check(content, rules)
    checks = report.as_dict()
    if not report.passed:
        return _Verdict(content, report, {**billed, "outcome": Outcome.CHECK_FAILED,
                                          "checks": checks, "error": report.feedback()},
                        report.feedback())
    return _Verdict(content, report, {**billed, "outcome": Outcome.OK, "checks": checks})


def item_generate(*, item_id: int, token: str | None = None) -> None:
    """Generate one item. Raises ItemRetryLater after a transient failure.

    An answer that is not valid output, or fails the brand checks, is written again
    with the failure fed back, up to the workspace's bound; content that still fails
    the checks is stored as `needs_review`, never `succeeded`.
    """
    item = _item_claim(item_id, token=token)
    if item is None:
        return
    if _budget_reached(item.job.workspace):
        _item_pause(item)
        return
    if item.attempts > settings.GENERATION_MAX_ATTEMPTS:
        _item_finish(item, status=ItemStatus.FAILED,
                     error=item.error or f"gave up after {item.attempts - 1} attempts")
        return
    try:
        _generate(item)
    except _NotNow as exc:
        _item_release(item, give_back_attempt=True)
        raise ItemRetryLater(exc.countdown, exc.reason) from exc


def _generate(item: JobItem) -> None:
    job = item.job
    brand = job.brand_version.snapshot
    catalog = catalog_get()
    schema = output_schema(job.kind)
    item_input = ItemInput(**item.input)
    rules = check_rules_for(brand=brand, kind=job.kind, locale=item.locale, item=item_input)
    tries = 1 + job.workspace.max_regenerations
    feedback = None
    reviewable = None  # the last content that parsed but failed the checks, with its report
    route = catalog[item.model]
    for _try in range(tries):
        prompt = prompt_build(brand=brand, kind=job.kind, locale=item.locale, item=item_input,
                              feedback=feedback)
        route = _live_route(item, job, catalog, item_input, prompt)
        _pace(route, item_input, prompt)
        wire_schema = schema.json_schema(with_bounds=route.structured_output == "json_object_schema")
        request = LLMRequest(route=route, messages=prompt.messages, kind=job.kind,
                             json_schema=wire_schema,
                             max_output_tokens=settings.GENERATION_MAX_OUTPUT_TOKENS)
        try:
            result = _call(route, request)
        except TransientLLMError as exc:
            _attempt_record(item, route, outcome=Outcome.TRANSIENT_ERROR, usage=exc.usage,
                            latency_ms=exc.latency_ms, error=exc.reason)
            _item_transient_failure(item, exc)
            return
        except PermanentLLMError as exc:
            _record(item, route, _Attempt(outcome=Outcome.PERMANENT_ERROR, usage=exc.usage,
                                          latency_ms=exc.latency_ms, error=exc.reason),
                    _Finish(status=ItemStatus.FAILED, error=exc.reason, model_used=route.key))
            return
        except AnswerRejected as exc:
            _attempt_record(item, route, outcome=Outcome.REJECTED, usage=exc.usage,
                            latency_ms=exc.latency_ms, error=exc.reason)
            feedback = f"{exc.reason}."
            continue
        verdict = _assess(result, schema, rules)
        if verdict.content is None or not verdict.report.passed:
            _attempt_record(item, route, **verdict.attempt)
            feedback = verdict.feedback
            if verdict.content is not None:
                reviewable = (verdict.content, verdict.report)
            continue
        _record(item, route, _Attempt(**verdict.attempt),
                _Finish(status=ItemStatus.SUCCEEDED, content=verdict.content,
                        checks=verdict.report.as_dict(), model_used=result.model))
        return
    if reviewable is not None:
        content, report = reviewable
        _item_finish(item, status=ItemStatus.NEEDS_REVIEW, content=content,
                     checks=report.as_dict(), model_used=route.key,
                     error=f"failed the brand checks after {tries} tries: {report.feedback()}")
        return
    _item_finish(item, status=ItemStatus.FAILED, model_used=route.key,
                 error=f"no valid output after {tries} tries: {feedback}")


def _budget_reached(workspace: Workspace) -> bool:
    return (workspace.monthly_budget_usd is not None
            and workspace_month_spent(workspace=workspace) >= workspace.monthly_budget_usd)


def _item_pause(item: JobItem) -> None:
    """The workspace's budget is spent: park the item (nothing is called or billed)."""
    with transaction.atomic():
        JobItem.objects.filter(pk=item.pk, claim_id=item.claim_id, status=ItemStatus.RUNNING).update(
            status=ItemStatus.PAUSED, claim_id=None, lease_expires_at=None,
            attempts=F("attempts") - 1)
        Job.objects.filter(pk=item.job_id, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).update(
            status=Job.Status.PAUSED)


def job_resume(*, job: Job) -> int:
    """Put a paused job's items back in the queue, if the budget now allows; returns how many."""
    if _budget_reached(job.workspace):
        figures = _budget_figures(job.workspace, Decimal(0))
        raise BudgetExceeded(
            _("The monthly budget of $%(budget)s is spent; raise it to resume this job.")
            % {"budget": figures["budget_usd"]},
            extra={"budget": {k: v for k, v in figures.items() if k != "fits"}})
    with transaction.atomic():
        resumed = JobItem.objects.filter(job=job, status=ItemStatus.PAUSED).update(
            status=ItemStatus.PENDING)
        Job.objects.filter(pk=job.pk, status=Job.Status.PAUSED).update(status=Job.Status.RUNNING)
        if resumed:
            job_id = job.pk
            transaction.on_commit(lambda: _enqueue_dispatch(job_id))
    return resumed


def job_cancel(*, job: Job) -> Job:
    """Stop a job: items not yet started are cancelled (never billed); items already
    running finish and are billed as usual."""
    if job.status not in (Job.Status.QUEUED, Job.Status.RUNNING, Job.Status.PAUSED):
        message = _("The job has already finished (%(status)s); there is nothing to cancel.") % {
            "status": job.get_status_display()}
        raise Conflict(message, code="job_finished")
    now = timezone.now()
    with transaction.atomic():
        cancelled = JobItem.objects.filter(
            job=job, status__in=[ItemStatus.PENDING, ItemStatus.PAUSED, ItemStatus.BATCHED]
        ).update(status=ItemStatus.CANCELLED, finished_at=now, claim_id=None,
                 lease_expires_at=None)
        Job.objects.filter(pk=job.pk).update(status=Job.Status.CANCELLED, finished_at=now,
                                             items_cancelled=F("items_cancelled") + cancelled)
        _on_job_finished(job.pk)
    job.refresh_from_db()
    return job


def job_retry(*, job: Job) -> int:
    """Queue the job's failed and needs_review items again, as new attempts (the earlier
    attempts stay on the bill and in the history). Returns how many."""
    if job.status == Job.Status.CANCELLED:
        message = _("A cancelled job cannot be retried; submit a new job instead.")
        raise Conflict(message, code="job_cancelled")
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        again = JobItem.objects.filter(job=locked,
                                       status__in=[ItemStatus.FAILED, ItemStatus.NEEDS_REVIEW])
        failed = again.filter(status=ItemStatus.FAILED).count()
        review = again.filter(status=ItemStatus.NEEDS_REVIEW).count()
        if not failed + review:
            return 0
        again.update(status=ItemStatus.PENDING, attempts=0, error="", content=None, checks=None,
                     finished_at=None, claim_id=None, lease_expires_at=None)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.RUNNING, finished_at=None,
            items_failed=F("items_failed") - failed,
            items_needs_review=F("items_needs_review") - review)
        job_id = job.pk
        transaction.on_commit(lambda: _enqueue_dispatch(job_id))
    return failed + review


def _on_job_finished(job_id) -> None:
    """Whatever follows a job's end, once the transaction that ended it commits."""
    from apps.jobs.webhooks import webhook_on_job_finished

    transaction.on_commit(lambda: webhook_on_job_finished(job_id=job_id))


def _item_transient_failure(item: JobItem, exc: TransientLLMError) -> None:
    if item.attempts >= settings.GENERATION_MAX_ATTEMPTS:
        _item_finish(item, status=ItemStatus.FAILED,
                     error=f"gave up after {item.attempts} attempts: {exc.reason}")
        return
    JobItem.objects.filter(pk=item.pk).update(error=exc.reason[:2000])
    _item_release(item)
    raise ItemRetryLater(_backoff_s(item.attempts, exc.retry_after_s), exc.reason)


# --- Economy: the Batch API --------------------------------------------------


def _batch_submit(job: Job, route: ModelSpec, item_ids: list[int]) -> set[int]:
    """Send items through the route's Batch API; returns the ids that went."""
    with transaction.atomic():
        JobItem.objects.filter(pk__in=item_ids, status=ItemStatus.PENDING).update(
            status=ItemStatus.BATCHED)
        items = list(JobItem.objects.filter(pk__in=item_ids, status=ItemStatus.BATCHED))
    brand = job.brand_version.snapshot
    wire_schema = output_schema(job.kind).json_schema(
        with_bounds=route.structured_output == "json_object_schema")
    lines = [
        BatchLine(custom_id=str(item.pk), request=LLMRequest(
            route=route, kind=job.kind, json_schema=wire_schema,
            max_output_tokens=settings.GENERATION_MAX_OUTPUT_TOKENS,
            messages=prompt_build(brand=brand, kind=job.kind, locale=item.locale,
                                  item=ItemInput(**item.input)).messages))
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
    Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now())
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
        if status.status in {"completed", "expired", "cancelled", "failed"}:
            _batch_fold(provider_batch, route, status)
            folded += 1
    return folded


def _batch_fold(provider_batch: ProviderBatch, route: ModelSpec, status) -> None:
    """Bill every answered line at the batch price and close its item; an item without a
    good answer goes back to the online queue, where the normal pipeline rewrites it."""
    priced = dataclasses.replace(
        route, input_usd_per_mtok=route.input_usd_per_mtok * settings.BATCH_DISCOUNT,
        output_usd_per_mtok=route.output_usd_per_mtok * settings.BATCH_DISCOUNT)
    outcomes = {outcome.custom_id: outcome for outcome in status.outcomes}
    retry_online = []
    for item_id in provider_batch.item_ids:
        item = _item_claim(item_id, from_status=ItemStatus.BATCHED)
        if item is None:
            continue
        outcome = outcomes.get(str(item_id))
        rules = check_rules_for(brand=item.job.brand_version.snapshot, kind=item.job.kind,
                                locale=item.locale, item=ItemInput(**item.input))
        if outcome is not None and outcome.result is not None:
            verdict = _assess(outcome.result, output_schema(item.job.kind), rules)
            if verdict.content is not None and verdict.report.passed:
                _record(item, priced, _Attempt(**verdict.attempt),
                        _Finish(status=ItemStatus.SUCCEEDED, content=verdict.content,
                                checks=verdict.report.as_dict(), model_used=route.key))
                continue
            _attempt_record(item, priced, **verdict.attempt)
        elif outcome is not None and outcome.error is not None:
            _attempt_record(item, priced, outcome=Outcome.TRANSIENT_ERROR,
                            usage=outcome.error.usage, error=f"batch: {outcome.error.reason}")
        _item_release(item)
        retry_online.append(item)
    ProviderBatch.objects.filter(pk=provider_batch.pk).update(
        status=ProviderBatch.Status.DONE, finished_at=timezone.now())
    if retry_online:
        models = {item.pk: item.model for item in retry_online}
        transaction.on_commit(lambda: _items_send(list(models), models))


# --- Recovery: the database is the source of truth -----------------------------


ACTIVE_JOB_STATUSES = (Job.Status.QUEUED, Job.Status.RUNNING)


@dataclass(frozen=True)
class Recovery:
    requeued: int  # pending items whose message was presumed lost
    freed: int  # running items whose worker died (lease expired)
    webhooks: int  # webhook attempts whose message was lost


def recovery_sweep() -> Recovery:
    """Re-send what Redis lost or a dead worker dropped. Safe to run any time and as
    often as wanted: an item is claimed before it runs, so a duplicate does nothing."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.RECOVERY_STALE_S)
    with transaction.atomic():
        freed = JobItem.objects.filter(
            status=ItemStatus.RUNNING, lease_expires_at__lt=now,
            job__status__in=ACTIVE_JOB_STATUSES,
        ).update(status=ItemStatus.PENDING, claim_id=None, lease_expires_at=None, queued_at=None)
    lost = list(JobItem.objects.filter(
        Q(queued_at__lt=stale) | Q(queued_at__isnull=True, created_at__lt=stale),
        status=ItemStatus.PENDING, job__status__in=ACTIVE_JOB_STATUSES,
    ).values_list("pk", "model")[:50_000])
    if lost:
        logger.warning("recovery sweep: re-sending %s pending items", len(lost))
        _items_send([item_id for item_id, _model in lost], dict(lost))
    from apps.jobs.webhooks import webhook_recover_lost

    return Recovery(requeued=len(lost), freed=freed, webhooks=webhook_recover_lost(stale=stale))
