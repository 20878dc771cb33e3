"""The simulator answers every channel kind with content the service accepts: in the
prompt's language, within every limit the prompt states, passing every check; and it
breaks a limit when a script asks, so that the regeneration can be tested."""

import json

import pytest

from apps.generation.checks import content_check
from apps.generation.counting import grapheme_count, x_weighted_count
from apps.generation.kinds import kind_get
from apps.generation.prompts import ItemInput, prompt_build
from apps.generation.schemas import OutputInvalid, output_schema
from apps.jobs.services.assessment import check_rules_for
from devtools.simulator.channels import overrun_content
from devtools.simulator.content import generate_content, read_prompt
from tests.conftest import BRAND_FIELDS

BRAND = {**BRAND_FIELDS, "locales": {}, "examples": []}
ITEM = ItemInput(sku="SKU-001", name="Oak desk lamp 1", brief="A dimmable desk lamp.",
                 attributes={"material": "oak", "height_cm": 45}, price="49.90",
                 currency="EUR", keywords=["desk lamp", "oak"])
KINDS = [("google_rsa", ""), ("meta_ad", ""), ("email", ""), ("social_post", "x"),
         ("social_post", "instagram"), ("social_post", "linkedin"),
         ("social_post", "facebook"), ("category_page", "")]
CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


def answer(kind, locale: str, item: ItemInput = ITEM, overrun: dict | None = None) -> str:
    """What the simulator answers to the service's own prompt for `kind`."""
    prompt = prompt_build(brand=BRAND, kind=kind, locale=locale, item=item)
    info = read_prompt(prompt.messages)
    schema = output_schema(kind).json_schema(with_bounds=False)
    content = generate_content(info.kind, info.language, info.data, schema,
                               locale=info.locale, limits=info.limits)
    if overrun:
        content = overrun_content(content, overrun, info.language, "filler text")
    return json.dumps(content, ensure_ascii=False)


@pytest.mark.parametrize("locale", ["es-ES", "ru-RU", "en-US"])
@pytest.mark.parametrize("slug, channel", KINDS)
def test_every_channel_kind_is_answered_within_its_limits_and_passes_the_checks(
        slug, channel, locale):
    kind = kind_get(slug, channel)

    content = output_schema(kind).parse(answer(kind, locale))
    report = content_check(content, check_rules_for(brand=BRAND, kind=kind, locale=locale,
                                                    item=ITEM))

    assert report.passed, report.feedback()
    assert list(content) == kind.field_names
    for spec in kind.fields:
        entries = content[spec.name] if spec.is_list else [content[spec.name]]
        count = x_weighted_count if spec.counting == "x" else grapheme_count
        assert all(count(entry) <= spec.max_chars for entry in entries), spec.name
    text = " ".join(v if isinstance(v, str) else " ".join(v) for v in content.values())
    assert bool(CYRILLIC & set(text.lower())) == (locale == "ru-RU")


def test_headlines_of_an_ad_carry_the_keywords_and_are_distinct():
    content = json.loads(answer(kind_get("google_rsa"), "es-ES"))

    assert content["headlines"][:2] == ["Desk lamp para cada rincón", "Descubre oak hoy"]
    assert len(set(content["headlines"])) == len(content["headlines"])


@pytest.mark.parametrize("overrun, failure", [
    ({"field": "headlines", "entry": 2, "length": 31},
     "field 'headlines.2' is 31 characters; the maximum is 30"),
])
def test_a_scripted_overrun_breaks_the_limit_it_names(overrun, failure):
    kind = kind_get("google_rsa")
    content = output_schema(kind).parse(answer(kind, "en-US", overrun=overrun))

    report = content_check(content, check_rules_for(brand=BRAND, kind=kind, locale="en-US",
                                                    item=ITEM))

    assert failure in [f.detail for f in report.failures]


def test_a_scripted_overrun_of_entries_gives_sixteen_headlines():
    kind = kind_get("google_rsa")
    with pytest.raises(OutputInvalid) as caught:
        output_schema(kind).parse(answer(kind, "ru-RU", overrun={"field": "headlines",
                                                                 "entries": 16}))

    assert caught.value.reason == "field 'headlines' must have 3 to 15 entries; it has 16"


def test_a_scripted_overrun_makes_an_x_post_281_characters():
    kind = kind_get("social_post", "x")
    content = output_schema(kind).parse(answer(kind, "es-ES", overrun={"field": "text",
                                                                       "length": 281}))

    assert x_weighted_count(content["text"]) == 281
    report = content_check(content, check_rules_for(brand=BRAND, kind=kind, locale="es-ES",
                                                    item=ITEM))
    assert ("field 'text' is 281 characters as X counts them (a link is 23, an emoji 2); "
            "the maximum is 280") in [f.detail for f in report.failures]
