"""Writes of the generation layer: the model catalog's prices."""

from decimal import Decimal

from django.utils.translation import gettext as _

from apps.core.errors import InvalidInput
from apps.generation.catalog import catalog_cache_clear, catalog_get
from apps.generation.client import list_models
from apps.generation.models import ModelPrice

MILLION = Decimal(1_000_000)


def model_price_set(*, model: str, input_usd_per_mtok: Decimal, output_usd_per_mtok: Decimal,
                    context_tokens: int | None = None,
                    source: str = ModelPrice.Source.ADMIN) -> ModelPrice:
    if model not in catalog_get():
        message = _("Unknown model “%(model)s”.") % {"model": model}
        raise InvalidInput(message, fields={"model": [message]})
    price, _created = ModelPrice.objects.update_or_create(model=model, defaults={
        "input_usd_per_mtok": input_usd_per_mtok, "output_usd_per_mtok": output_usd_per_mtok,
        "context_tokens": context_tokens, "source": source})
    catalog_cache_clear()
    return price


def model_prices_refresh() -> dict[str, ModelPrice | None]:
    """Read each route's /models listing and take the prices it publishes (OpenRouter's
    listing carries them as USD per token); a route whose listing has none is left alone."""
    refreshed = {}
    for key, spec in catalog_get().items():
        listed = {entry.id: entry for entry in list_models(spec)}.get(spec.provider_model)
        if listed is None or listed.prompt_usd_per_token is None:
            refreshed[key] = None
            continue
        refreshed[key] = model_price_set(
            model=key, input_usd_per_mtok=listed.prompt_usd_per_token * MILLION,
            output_usd_per_mtok=listed.completion_usd_per_token * MILLION,
            context_tokens=listed.context_length, source=ModelPrice.Source.LISTING)
    return refreshed
