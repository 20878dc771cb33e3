"""Planning a job before anything runs: the brand version it pins, every item × locale ×
variant routed and priced, cache hits found, and the estimate per model and per policy."""

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.utils.translation import gettext as _

from apps.accounts.models import Workspace
from apps.brands.custom_kinds import custom_kind_latest_version
from apps.brands.models import BrandTemplateVersion, CustomKindVersion
from apps.brands.selectors import brand_get_for_workspace, brand_latest_version
from apps.core.errors import InvalidInput
from apps.generation.catalog import ModelSpec, catalog_get
from apps.generation.kinds import BUILTIN_KINDS, LOCALIZE, KindSpec, expected_output_tokens
from apps.generation.prompts import ItemInput, VariantAsk, prompt_build
from apps.generation.router import POLICIES, RouteDecision, RoutingError, route_choose
from apps.generation.tokens import count_tokens, prompt_tokens
from apps.jobs.domain import JobSubmission
from apps.jobs.models import ContentCacheEntry
from apps.jobs.services.budget import BudgetFigures, budget_figures
from apps.jobs.services.cache import cache_key, cache_lookup, kind_cache_name
from apps.jobs.services.localize import is_passthrough, localize_sources_resolve


@dataclass(frozen=True)
class PlannedItem:
    position: int
    item: ItemInput
    locale: str
    decision: RouteDecision  # under the job's policy
    policies: dict[str, RouteDecision | None]  # auto and cheapest, for the estimate
    cache_key: str
    cached: ContentCacheEntry | None  # an earlier output served instead of a call
    variant: int = 1
    variants: int = 1  # of the item in this locale
    # A `localize` source already written for this locale: stored as is, never called.
    passthrough: bool = False

    @property
    def model(self) -> str:
        return self.decision.model.key

    @property
    def estimated_cost_usd(self) -> Decimal:
        return Decimal(0) if self.passthrough else self.decision.estimate.cost_usd


@dataclass(frozen=True)
class Plan:
    version: BrandTemplateVersion
    items: list[PlannedItem]
    # The submission as planned: a `localize` job's source job resolved into its items.
    submission: JobSubmission
    kind: KindSpec
    kind_version: CustomKindVersion | None = None  # a custom kind's, which the job pins

    @property
    def to_run(self) -> list[PlannedItem]:
        return [p for p in self.items if p.cached is None and not p.passthrough]

    @property
    def cached_count(self) -> int:
        return sum(1 for p in self.items if p.cached is not None)

    @property
    def estimated_cost_usd(self) -> Decimal:
        return sum((p.estimated_cost_usd for p in self.to_run), Decimal(0))


def brand_version_for(*, workspace: Workspace, slug: str) -> BrandTemplateVersion:
    brand = brand_get_for_workspace(workspace=workspace, slug=slug)
    if brand is None:
        message = _("No brand with the slug “%(slug)s” exists in this workspace.") % {"slug": slug}
        raise InvalidInput(message, code="unknown_brand", fields={"brand": [message]})
    if brand.archived_at is not None:
        message = _("The brand “%(slug)s” is archived and takes no new jobs.") % {"slug": slug}
        raise InvalidInput(message, code="brand_archived", fields={"brand": [message]})
    return brand_latest_version(brand=brand)


def kind_for(*, workspace: Workspace, submission: JobSubmission
             ) -> tuple[KindSpec, CustomKindVersion | None]:
    """A built-in kind (the serializer checked its channel), or the latest version of the
    workspace's own kind of that slug; another workspace's kind is unknown here."""
    if submission.kind in BUILTIN_KINDS or submission.kind == LOCALIZE:
        return submission.kind_spec, None
    version = custom_kind_latest_version(workspace=workspace, slug=submission.kind)
    if version is None:
        message = _("Unknown kind “%(kind)s”. Use a built-in kind (%(kinds)s) or a custom kind "
                    "of this workspace (GET /api/v1/kinds/ lists them).") % {
            "kind": submission.kind, "kinds": ", ".join(BUILTIN_KINDS)}
        raise InvalidInput(message, fields={"kind": [message]})
    if submission.channel:
        message = _("Only social_post takes a channel; leave it out for %(kind)s.") % {
            "kind": submission.kind}
        raise InvalidInput(message, fields={"channel": [message]})
    return KindSpec.from_dict(version.spec), version


def job_plan(*, workspace: Workspace, submission: JobSubmission) -> Plan:
    submission = localize_sources_resolve(workspace=workspace, submission=submission)
    version = brand_version_for(workspace=workspace, slug=submission.brand)
    kind, kind_version = kind_for(workspace=workspace, submission=submission)
    catalog = catalog_get()
    routed = _items_route(submission=submission, kind=kind, brand=version.snapshot,
                          catalog=catalog)
    kind_key = kind_cache_name(kind)
    keys = [cache_key(workspace_id=workspace.pk, version_id=version.pk, kind=kind_key,
                      locale=r.locale, item=r.item, model=r.decision.model.key,
                      variant=r.variant.number, variants=r.variant.count)
            for r in routed]
    found = {} if submission.fresh else cache_lookup(workspace_id=workspace.pk, keys=set(keys))
    items = []
    for r, key in zip(routed, keys, strict=True):
        passthrough = is_passthrough(r.item, r.locale)
        items.append(PlannedItem(
            r.position, r.item, r.locale, r.decision, r.policies, key,
            None if passthrough else found.get(key), variant=r.variant.number,
            variants=r.variant.count, passthrough=passthrough))
    return Plan(version=version, items=items, submission=submission, kind=kind,
                kind_version=kind_version)


@dataclass(frozen=True)
class _Routed:
    position: int
    item: ItemInput
    locale: str
    variant: VariantAsk
    decision: RouteDecision
    policies: dict[str, RouteDecision | None]


def _items_route(*, submission: JobSubmission, kind: KindSpec, brand: dict,
                 catalog: dict[str, ModelSpec]) -> list[_Routed]:
    kind_output_tokens = expected_output_tokens(kind)
    routed = []
    for position, item in enumerate(submission.items):
        # A localization writes about as much as its source says: the source's own tokens
        # (as the JSON the answer is), not the kind's typical figure.
        output_tokens = (count_tokens(json.dumps(item.source, ensure_ascii=False))
                         if item.source else kind_output_tokens)
        count = submission.variants_of(position)
        for locale in submission.locales:
            for number in range(1, count + 1):
                # Each variant is priced with its own prompt (the variant's lines in it).
                variant = VariantAsk(number=number, count=count)
                prompt = prompt_build(brand=brand, kind=kind, locale=locale,
                                      item=item, variant=variant)
                route = partial(route_choose, catalog=catalog,
                                text_tokens=prompt_tokens(prompt.messages),
                                image_count=len(item.image_urls), output_tokens=output_tokens)
                try:
                    decision = route(policy=submission.model)
                except RoutingError as exc:
                    # Name the item at fault as well as the model field.
                    raise RoutingError(exc.message, fields={
                        "model": [str(exc.message)], f"items.{position}": [str(exc.message)],
                    }) from exc
                policies = {policy: (decision if policy == submission.model
                                     else route(policy=policy)) for policy in POLICIES}
                routed.append(_Routed(position, item, locale, variant, decision, policies))
    return routed


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
    budget: BudgetFigures | None


def _sum_estimates(estimates) -> ModelEstimate:
    estimates = list(estimates)
    costs = [e.cost_usd for e in estimates]
    return ModelEstimate(
        items=len(estimates), input_tokens=sum(e.input_tokens for e in estimates),
        output_tokens=sum(e.output_tokens for e in estimates),
        cost_usd=None if any(c is None for c in costs) else sum(costs, Decimal(0)))


def job_estimate(*, workspace: Workspace, submission: JobSubmission) -> JobEstimate:
    """What a job would cost, per model and per policy, without running anything."""
    plan = job_plan(workspace=workspace, submission=submission)
    to_run = plan.to_run
    by_model: dict[str, list] = {}
    for p in to_run:
        by_model.setdefault(p.model, []).append(p.decision.estimate)
    cost = plan.estimated_cost_usd
    return JobEstimate(
        items_total=len(plan.items), policy=submission.model, cost_usd=cost,
        items_cached=plan.cached_count,
        routed={model: _sum_estimates(estimates) for model, estimates in by_model.items()},
        models={model: _sum_estimates(p.decision.estimates[model] for p in to_run)
                for model in catalog_get()},
        policies={policy: sum((p.policies[policy].estimate.cost_usd for p in to_run), Decimal(0))
                  for policy in POLICIES},
        budget=budget_figures(workspace=workspace, adding=cost))
