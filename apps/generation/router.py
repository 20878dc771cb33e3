"""Routing: which model writes an item, under the job's policy.

`auto` sends images to the image-capable default and text to the text default;
`cheapest` prices the item on every capable model; a model key pins that model.
A model is capable when it takes the item's images and the prompt plus the
expected output fits its context.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.core.errors import InvalidInput
from apps.generation.catalog import ModelSpec

POLICY_AUTO = "auto"
POLICY_CHEAPEST = "cheapest"
POLICIES = (POLICY_AUTO, POLICY_CHEAPEST)


@dataclass(frozen=True)
class ItemEstimate:
    """What one item would cost on one model, or why that model cannot take it."""

    model: str
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal | None
    unfit_reason: str | None = None  # "images" | "context" | None when capable

    @property
    def capable(self) -> bool:
        return self.unfit_reason is None


@dataclass(frozen=True)
class RouteDecision:
    model: ModelSpec
    estimate: ItemEstimate
    estimates: dict[str, ItemEstimate]


class RoutingError(InvalidInput):
    code = "model_unfit"


def item_estimate(spec: ModelSpec, *, text_tokens: int, image_count: int,
                  output_tokens: int) -> ItemEstimate:
    input_tokens = text_tokens + image_count * spec.image_input_tokens
    if image_count and not spec.supports_images:
        return ItemEstimate(spec.key, input_tokens, output_tokens, None, "images")
    if input_tokens + output_tokens > spec.context_tokens:
        return ItemEstimate(spec.key, input_tokens, output_tokens, None, "context")
    return ItemEstimate(spec.key, input_tokens, output_tokens,
                        spec.cost_usd(input_tokens, output_tokens))


def _unfit_error(spec: ModelSpec, reason: str) -> RoutingError:
    if reason == "images":
        message = _("The model %(model)s cannot read images; remove the image URLs or choose "
                    "another model.")
    else:
        message = _("The prompt does not fit the context window of %(model)s.")
    text = message % {"model": spec.display_name}
    return RoutingError(text, fields={"model": [text]})


def route_choose(*, policy: str, catalog: dict[str, ModelSpec], text_tokens: int,
                 image_count: int, output_tokens: int) -> RouteDecision:
    estimates = {
        key: item_estimate(spec, text_tokens=text_tokens, image_count=image_count,
                           output_tokens=output_tokens)
        for key, spec in catalog.items()
    }
    if policy in catalog:
        chosen = estimates[policy]
        if not chosen.capable:
            raise _unfit_error(catalog[policy], chosen.unfit_reason)
        return RouteDecision(catalog[policy], chosen, estimates)

    capable = [estimate for estimate in estimates.values() if estimate.capable]
    if not capable:
        message = _("No model can take this item: it has images or a prompt too long for "
                    "every model.")
        raise RoutingError(message, fields={"items": [str(message)]})
    if policy == POLICY_AUTO:
        preferred = settings.DEFAULT_IMAGE_MODEL if image_count else settings.DEFAULT_TEXT_MODEL
        if preferred in estimates and estimates[preferred].capable:
            return RouteDecision(catalog[preferred], estimates[preferred], estimates)
    # `cheapest`, or `auto` whose preferred model cannot take the item.
    cheapest = min(capable, key=lambda estimate: (estimate.cost_usd, estimate.model))
    return RouteDecision(catalog[cheapest.model], cheapest, estimates)
