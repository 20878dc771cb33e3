"""The model catalog: prices, limits and capabilities are data read from settings."""

import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from apps.generation.models import ModelPrice

STRUCTURED_OUTPUT_MODES = ("json_schema", "json_object", "json_object_schema", "prompt")


@dataclass(frozen=True)
class ModelSpec:
    key: str  # our stable name: "hermes-3-405b", "gpt-4o-mini"
    display_name: str
    provider_model: str  # the name the endpoint knows
    base_url: str
    context_tokens: int
    input_usd_per_mtok: Decimal
    output_usd_per_mtok: Decimal
    supports_images: bool
    # json_schema (OpenAI strict), json_object, json_object_schema (llama.cpp's
    # json_object with a schema grammar) or prompt (schema in the prompt only).
    structured_output: str
    image_input_tokens: int = 0
    batch_api: bool = False  # the endpoint runs OpenAI's Batch API
    rpm: int = 0  # the provider's requests per minute for this route; 0 = no limit
    tpm: int = 0  # tokens per minute (input + max output); 0 = no limit
    api_key: str = field(default="", repr=False, compare=False)

    def __post_init__(self):
        # An unknown mode would silently send no response format at all.
        if self.structured_output not in STRUCTURED_OUTPUT_MODES:
            raise ImproperlyConfigured(
                f"{self.key}: structured_output must be one of "
                f"{', '.join(STRUCTURED_OUTPUT_MODES)}, "
                f"not {self.structured_output!r}")

    def cost_usd(self, input_tokens: int, output_tokens: int) -> Decimal:
        million = Decimal(1_000_000)
        return (
            Decimal(input_tokens) * self.input_usd_per_mtok / million
            + Decimal(output_tokens) * self.output_usd_per_mtok / million
        ).quantize(Decimal("0.00000001"))


# Prices live in the database over the settings defaults. Every item reads the
# catalog, so the rows are kept in memory for a few seconds; a change made here is
# seen at once in this process and within PRICE_CACHE_S in the others.
PRICE_CACHE_S = 10.0
_price_cache: tuple[float, dict] | None = None
_price_lock = threading.Lock()


def _price_overrides() -> dict[str, dict]:
    global _price_cache
    with _price_lock:
        if _price_cache is not None and time.monotonic() - _price_cache[0] < PRICE_CACHE_S:
            return _price_cache[1]
    rows = {
        row.model: {"input_usd_per_mtok": row.input_usd_per_mtok,
                    "output_usd_per_mtok": row.output_usd_per_mtok,
                    **({"context_tokens": row.context_tokens} if row.context_tokens else {})}
        for row in ModelPrice.objects.all()
    }
    with _price_lock:
        _price_cache = (time.monotonic(), rows)
    return rows


def catalog_cache_clear() -> None:
    global _price_cache
    with _price_lock:
        _price_cache = None


def catalog_get() -> dict[str, ModelSpec]:
    overrides = _price_overrides()
    return {key: ModelSpec(key=key, **{**entry, **overrides.get(key, {})})
            for key, entry in settings.MODEL_CATALOG.items()}


def catalog_model_keys() -> list[str]:
    return list(settings.MODEL_CATALOG)
