from decimal import Decimal

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.generation.catalog import catalog_get
from apps.generation.models import ModelPrice
from apps.generation.router import RoutingError, route_choose
from apps.generation.services import model_price_set, model_prices_refresh

# The catalog reads prices from the database (over the settings defaults).
pytestmark = pytest.mark.django_db

TEXT = {"text_tokens": 600, "image_count": 0, "output_tokens": 450}


def test_auto_sends_text_to_hermes():
    decision = route_choose(policy="auto", catalog=catalog_get(), **TEXT)

    assert decision.model.key == "hermes-3-405b"


def test_auto_sends_images_to_gpt4o_mini():
    decision = route_choose(policy="auto", catalog=catalog_get(), text_tokens=600, image_count=1,
                            output_tokens=450)

    assert decision.model.key == "gpt-4o-mini"
    # 600 text tokens + one low-detail image billed as 2,833 tokens.
    assert decision.estimate.input_tokens == 3433


def test_cheapest_follows_catalog_prices_with_default_figures():
    # 600 in / 450 out: GPT-4o-mini 0.15*600+0.60*450 = 360 µ$ vs Hermes 1.00*600+0.30*450 = 735 µ$.
    decision = route_choose(policy="cheapest", catalog=catalog_get(), **TEXT)

    assert decision.model.key == "gpt-4o-mini"
    assert decision.estimates["gpt-4o-mini"].cost_usd == Decimal("0.00036000")
    assert decision.estimates["hermes-3-405b"].cost_usd == Decimal("0.00073500")


def test_cheapest_changes_when_settings_change_prices(settings):
    settings.MODEL_CATALOG = {**settings.MODEL_CATALOG}
    settings.MODEL_CATALOG["hermes-3-405b"] = {**settings.MODEL_CATALOG["hermes-3-405b"],
                                               "input_usd_per_mtok": Decimal("0.10")}

    decision = route_choose(policy="cheapest", catalog=catalog_get(), **TEXT)

    assert decision.model.key == "hermes-3-405b"
    assert decision.estimate.cost_usd == Decimal("0.00019500")


def test_cheapest_prefers_hermes_when_output_dwarfs_input():
    # Hermes wins once output is more than ~2.8x input under the default figures.
    decision = route_choose(policy="cheapest", catalog=catalog_get(), text_tokens=100,
                            image_count=0, output_tokens=300)

    assert decision.model.key == "hermes-3-405b"


def test_pin_is_honoured():
    decision = route_choose(policy="gpt-4o-mini", catalog=catalog_get(), **TEXT)

    assert decision.model.key == "gpt-4o-mini"


def test_pinning_images_to_a_text_only_model_is_refused():
    with pytest.raises(RoutingError) as caught:
        route_choose(policy="hermes-3-405b", catalog=catalog_get(), text_tokens=600,
                     image_count=1, output_tokens=450)

    assert caught.value.code == "model_unfit"
    assert "model" in caught.value.fields
    assert "Hermes 3 405B cannot read images" in str(caught.value.message)


def test_prompt_over_a_models_context_rules_that_model_out():
    # 70K tokens fit GPT-4o-mini's 128K but not Hermes 3's 65.5K.
    decision = route_choose(policy="auto", catalog=catalog_get(), text_tokens=70_000,
                            image_count=0, output_tokens=450)

    assert decision.model.key == "gpt-4o-mini"
    assert decision.estimates["hermes-3-405b"].unfit_reason == "context"


def test_pinned_model_whose_context_is_too_small_is_refused():
    with pytest.raises(RoutingError) as caught:
        route_choose(policy="hermes-3-405b", catalog=catalog_get(), text_tokens=70_000,
                     image_count=0, output_tokens=450)

    assert "context window" in str(caught.value.message)


def test_nothing_fits_is_refused_under_a_policy():
    with pytest.raises(RoutingError):
        route_choose(policy="cheapest", catalog=catalog_get(), text_tokens=200_000,
                     image_count=0, output_tokens=450)


def test_prices_set_in_the_database_change_the_cheapest_choice():
    model_price_set(model="hermes-3-405b", input_usd_per_mtok=Decimal("0.05"),
                    output_usd_per_mtok=Decimal("0.10"))

    decision = route_choose(policy="cheapest", catalog=catalog_get(), **TEXT)

    assert decision.model.key == "hermes-3-405b"
    assert decision.estimate.cost_usd == Decimal("0.00007500")


def test_refresh_takes_prices_from_the_models_listing(sim, catalog_on_simulator):
    httpx.post(sim.url + "/_sim/config", json={"models_listing": [
        {"id": "nousresearch/hermes-3-llama-3.1-405b", "context_length": 131072,
         "pricing": {"prompt": "0.0000009", "completion": "0.0000009"}},
        {"id": "gpt-4o-mini", "context_length": 128000}]})

    refreshed = model_prices_refresh()

    assert refreshed["gpt-4o-mini"] is None  # no price published: left alone
    hermes = catalog_get()["hermes-3-405b"]
    assert (hermes.input_usd_per_mtok, hermes.output_usd_per_mtok) == (Decimal("0.9"),
                                                                       Decimal("0.9"))
    assert hermes.context_tokens == 131072
    assert ModelPrice.objects.get(model="hermes-3-405b").source == "listing"
    assert catalog_get()["gpt-4o-mini"].input_usd_per_mtok == Decimal("0.15")


def test_an_unknown_structured_output_mode_is_a_configuration_error(settings):
    settings.MODEL_CATALOG = {**settings.MODEL_CATALOG, "gpt-4o-mini": {
        **settings.MODEL_CATALOG["gpt-4o-mini"], "structured_output": "json_schmea"}}

    with pytest.raises(ImproperlyConfigured, match="json_schmea"):
        catalog_get()
