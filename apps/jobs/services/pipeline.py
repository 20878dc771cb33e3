"""Generating one item: claim it, pick the live route, wait for the route's rate-limit
slot, call the model, assess the answer, rewrite with the failure fed back up to the
workspace's bound, and record every call in the ledger.

Content that still fails the checks is stored as `needs_review`, never `succeeded`.
A transient provider failure releases the item and raises RetryLater; the Celery
task is the system's only retry loop.
"""

import random

from django.conf import settings

from apps.generation.catalog import ModelSpec, catalog_get
from apps.generation.client import (
    AnswerRejected,
    LLMRequest,
    PermanentLLMError,
    TransientLLMError,
)
from apps.generation.kinds import expected_output_tokens
from apps.generation.prompts import ItemInput, Prompt, VariantAsk, prompt_build
from apps.generation.ratelimit import WaitTooLong
from apps.generation.router import POLICY_CHEAPEST, RoutingError, route_choose
from apps.generation.schemas import output_schema
from apps.generation.tokens import prompt_tokens
from apps.generation.traffic import (
    breaker_policy,
    call_tokens,
    route_allowed,
    route_call,
    route_pace,
)
from apps.jobs.domain import Attempt, Finish, ItemReview, ItemStatus, RetryLater
from apps.jobs.models import GenerationAttempt, Job, JobItem
from apps.jobs.services.assessment import (
    answer_assess,
    item_check_rules,
    rules_with_siblings,
    sibling_openings,
)
from apps.jobs.services.budget import budget_reached
from apps.jobs.services.leases import lease_kept
from apps.jobs.services.ledger import item_claim, item_pause, item_record, item_release
from apps.jobs.services.spool import answer_recorded, answer_spool, answer_unspool

Outcome = GenerationAttempt.Outcome


def item_generate(*, item_id: int, token: str | None = None) -> None:
    """Generate one item. Raises RetryLater when it should run again later."""
    item = item_claim(item_id=item_id, token=token)
    if item is None:
        return
    if budget_reached(workspace=item.job.workspace):
        item_pause(item=item)
        return
    if item.attempts > settings.GENERATION_MAX_ATTEMPTS:
        item_record(item=item, finish=Finish(
            status=ItemStatus.FAILED,
            error=item.error or f"gave up after {item.attempts - 1} attempts"))
        return
    try:
        with lease_kept(item):
            _generate(item)
    except _NotNow as exc:
        item_release(item=item, give_back_attempt=True)
        raise RetryLater(exc.countdown, exc.reason) from exc


class _NotNow(Exception):
    """No call now: the route is down with nowhere to fall back, or its next free
    rate-limit slot is far off. Nothing was called or billed."""

    def __init__(self, countdown: float, reason: str):
        self.countdown = countdown
        self.reason = reason


def _generate(item: JobItem) -> None:
    job = item.job
    brand = job.brand_version.snapshot
    catalog = catalog_get()
    kind = job.kind_spec
    schema = output_schema(kind)
    item_input = ItemInput(**item.input)
    rules = item_check_rules(item)
    tries = 1 + job.workspace.max_regenerations
    note = _reviewer_note(item)
    feedback = note or None
    reviewable = None  # the last verdict that parsed but failed the checks
    route = catalog[item.model]
    # A rerun of this claim (the database was lost after an answer came) takes the
    # answer it already paid for instead of asking again.
    spooled = answer_unspool(claim_id=item.claim_id) if item.attempts > 1 else None
    for _try in range(tries):
        try:
            if spooled is not None:
                result, spooled = spooled, None
                route = catalog[result.model]
            else:
                prompt = prompt_build(brand=brand, kind=kind, locale=item.locale,
                                      item=item_input, feedback=feedback, variant=VariantAsk(
                                          number=item.variant, count=item.variants,
                                          avoid=sibling_openings(rules.siblings,
                                                               kind.field_names)))
                route = _live_route(item, job, catalog, item_input, prompt)
                _pace(route, prompt)
                result = route_call(LLMRequest(
                    route=route, messages=prompt.messages, kind=job.kind,
                    json_schema=schema.json_schema(
                        with_bounds=route.structured_output == "json_object_schema"),
                    max_output_tokens=settings.GENERATION_MAX_OUTPUT_TOKENS))
                answer_spool(claim_id=item.claim_id, result=result)
        except TransientLLMError as exc:
            item_record(item=item, route=route, attempt=Attempt(
                outcome=Outcome.TRANSIENT_ERROR, usage=exc.usage, latency_ms=exc.latency_ms,
                error=exc.reason))
            _transient_failure(item, exc)
            return
        except PermanentLLMError as exc:
            item_record(item=item, route=route, attempt=Attempt(
                outcome=Outcome.PERMANENT_ERROR, usage=exc.usage, latency_ms=exc.latency_ms,
                error=exc.reason), finish=Finish(
                status=ItemStatus.FAILED, error=exc.reason, model_used=route.key))
            return
        except AnswerRejected as exc:
            item_record(item=item, route=route, attempt=Attempt(
                outcome=Outcome.REJECTED, usage=exc.usage, latency_ms=exc.latency_ms,
                error=exc.reason))
            feedback = f"{exc.reason}. {note}".strip()
            continue
        # Sibling variants may have been stored while this one was being written.
        rules = rules_with_siblings(rules, item)
        verdict = answer_assess(result=result, schema=schema, rules=rules)
        if not verdict.passed:
            item_record(item=item, route=route, attempt=verdict.attempt)
            answer_recorded(claim_id=item.claim_id)
            feedback = f"{verdict.feedback} {note}".strip()
            if verdict.content is not None:
                reviewable = verdict
            continue
        item_record(item=item, route=route, attempt=verdict.attempt, finish=Finish(
            status=ItemStatus.SUCCEEDED, content=verdict.content,
            checks=verdict.report.as_dict(), model_used=result.model))
        answer_recorded(claim_id=item.claim_id)
        return
    if reviewable is not None:
        item_record(item=item, finish=Finish(
            status=ItemStatus.NEEDS_REVIEW, content=reviewable.content,
            checks=reviewable.report.as_dict(), model_used=route.key,
            error=f"failed the brand checks after {tries} tries: {reviewable.report.feedback()}"))
        return
    item_record(item=item, finish=Finish(
        status=ItemStatus.FAILED, model_used=route.key,
        error=f"no valid output after {tries} tries: {feedback}"))


def _reviewer_note(item: JobItem) -> str:
    """A person rejected the item's content: their note goes to the model with every
    prompt of the rewrite they asked for (in English, like the checks' feedback; the note
    itself is quoted as written)."""
    if item.review != ItemReview.REJECTED or not item.review_note:
        return ""
    return f"A reviewer rejected it with this note: “{item.review_note}”."


def _transient_failure(item: JobItem, exc: TransientLLMError) -> None:
    if item.attempts >= settings.GENERATION_MAX_ATTEMPTS:
        item_record(item=item, finish=Finish(
            status=ItemStatus.FAILED,
            error=f"gave up after {item.attempts} attempts: {exc.reason}"))
        return
    item_release(item=item, error=exc.reason)
    raise RetryLater(_backoff_s(item.attempts, exc.retry_after_s), exc.reason)


def _backoff_s(attempts: int, retry_after_s: float | None) -> float:
    if retry_after_s is not None:
        return max(retry_after_s, 0.0)
    base = settings.GENERATION_RETRY_BACKOFF_S * 2 ** max(attempts - 1, 0)
    # Full jitter keeps a burst of failed items from coming back in lockstep.
    return random.uniform(0, min(base, settings.GENERATION_RETRY_BACKOFF_MAX_S))


def _live_route(item: JobItem, job: Job, catalog: dict[str, ModelSpec], item_input: ItemInput,
                prompt: Prompt) -> ModelSpec:
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
                image_count=0, output_tokens=expected_output_tokens(job.kind_spec))
        except RoutingError:
            decision = None
        if decision is not None and route_allowed(decision.model.key):
            return decision.model
    raise _NotNow(breaker_policy().cooldown_s, f"route {routed.key} is down (circuit open)")


def _pace(route: ModelSpec, prompt: Prompt) -> None:
    """Wait for the call's slot; a slot far off puts the item back in the queue instead
    of holding a worker thread."""
    tokens = call_tokens(route, prompt.messages, settings.GENERATION_MAX_OUTPUT_TOKENS)
    try:
        route_pace(route, tokens, max_wait=settings.RATE_LIMIT_MAX_INLINE_WAIT_S)
    except WaitTooLong as exc:
        reason = f"route {route.key} is rate limited for {exc.wait_s:.0f}s"
        raise _NotNow(exc.wait_s, reason) from exc
