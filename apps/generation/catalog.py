"""The model catalog: prices, limits and capabilities are data read from settings."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

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
    tokens_per_second: int = 0
    image_input_tokens: int = 0
    api_key: str = field(default="", repr=False, compare=False)

    def cost_usd(self, input_tokens: int, output_tokens: int) -> Decimal:
        million = Decimal(1_000_000)
        return (
            Decimal(input_tokens) * self.input_usd_per_mtok / million
            + Decimal(output_tokens) * self.output_usd_per_mtok / million
        ).quantize(Decimal("0.00000001"))


def catalog_get() -> dict[str, ModelSpec]:
    return {key: ModelSpec(key=key, **entry) for key, entry in settings.MODEL_CATALOG.items()}


def catalog_model_keys() -> list[str]:
    return list(settings.MODEL_CATALOG)
