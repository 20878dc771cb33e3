"""The model catalog's defaults, read by settings: the catalog is data, and every
figure here can be overridden by env (and prices in the admin)."""

from decimal import Decimal

from contentgen.env import env_bool, env_int, env_str


def _route(prefix: str, **defaults) -> dict:
    return {
        "display_name": defaults["display_name"],
        "provider_model": env_str(f"{prefix}_MODEL", defaults["provider_model"]),
        "base_url": env_str(f"{prefix}_BASE_URL", defaults["base_url"]),
        "api_key": env_str(f"{prefix}_API_KEY"),
        "context_tokens": env_int(f"{prefix}_CONTEXT_TOKENS", defaults["context_tokens"]),
        "input_usd_per_mtok": Decimal(env_str(f"{prefix}_INPUT_USD_PER_MTOK", defaults["input"])),
        "output_usd_per_mtok": Decimal(
            env_str(f"{prefix}_OUTPUT_USD_PER_MTOK", defaults["output"])
        ),
        "supports_images": env_bool(f"{prefix}_SUPPORTS_IMAGES", defaults["images"]),
        "structured_output": env_str(f"{prefix}_STRUCTURED_OUTPUT", defaults["structured_output"]),
        # What one image costs in input tokens (GPT-4o-mini bills a low-detail image
        # as 2,833 tokens); 0 for text-only models.
        "image_input_tokens": env_int(
            f"{prefix}_IMAGE_INPUT_TOKENS", defaults.get("image_tokens", 0)
        ),
        # Whether the endpoint runs OpenAI's Batch API (economy jobs use it, at half price).
        "batch_api": env_bool(f"{prefix}_BATCH_API", defaults.get("batch_api", False)),
        # The provider's limits for this route (0 = none, learned from its headers): every
        # worker paces itself through one limiter in Redis. Tokens count input plus the
        # request's max output.
        "rpm": env_int(f"{prefix}_RPM", defaults.get("rpm", 0)),
        "tpm": env_int(f"{prefix}_TPM", defaults.get("tpm", 0)),
    }


def model_catalog() -> dict[str, dict]:
    """The two routes with the design's figures, each overridable by its env variables
    (HERMES_* and OPENAI_*); the admin's price overrides apply on top, at run time."""
    return {
        "hermes-3-405b": _route(
            "HERMES",
            display_name="Hermes 3 405B",
            provider_model="nousresearch/hermes-3-llama-3.1-405b",
            base_url="https://openrouter.ai/api/v1",
            context_tokens=65_536,
            input="1.00",
            output="0.30",
            images=False,
            # Not every OpenRouter provider of Hermes 3 honours json_schema; json_object
            # plus the schema in the prompt works everywhere, and we validate anyway.
            structured_output="json_object",
        ),
        "gpt-4o-mini": _route(
            "OPENAI",
            display_name="GPT-4o-mini",
            provider_model="gpt-4o-mini",
            base_url="https://api.openai.com/v1",
            context_tokens=128_000,
            input="0.15",
            output="0.60",
            images=True,
            image_tokens=2833,
            batch_api=True,
            structured_output="json_schema",
        ),
    }
