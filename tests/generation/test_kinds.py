"""The kind registry and the kind-wide checks: a kind as plain data, Google's distinct
headlines with keywords, Instagram's hashtags, limits counted as people see them."""

import pytest

from apps.generation.checks import CheckFailure, CheckRules, content_check
from apps.generation.kinds import KindSpec, UnknownKind, kind_get, kind_resolve
from apps.generation.prompts import ItemInput, prompt_build
from apps.generation.schemas import output_schema

BRAND = {"name": "Nordic Home", "voice": "Warm."}


def failures(content: dict, **rules) -> list[CheckFailure]:
    report = content_check(content, CheckRules(language="en", **rules))
    return [f for f in report.failures if f.check in ("length", "repetition", "required_term")]


def test_a_kind_round_trips_through_json_as_a_pinned_custom_kind_would():
    kind = kind_get("social_post", "instagram")

    again = KindSpec.from_dict(kind.as_dict())

    assert again.as_dict() == kind.as_dict()
    assert again.field("text").max_chars == 2200
    assert again.field("text").max_hashtags == 30
    assert again.key == "social_post:instagram"
    assert prompt_build(brand=BRAND, kind=again, locale="en", item=ItemInput(sku="A", name="B")
                        ).system_prefix == prompt_build(brand=BRAND, kind="social_post:instagram",
                                                        locale="en",
                                                        item=ItemInput(sku="A", name="B")
                                                        ).system_prefix


@pytest.mark.parametrize("slug, channel", [("social_post", ""), ("social_post", "tiktok"),
                                           ("email", "x"), ("banner", "")])
def test_a_kind_without_its_channel_or_with_a_foreign_one_is_unknown(slug, channel):
    with pytest.raises(UnknownKind):
        kind_get(slug, channel)


def test_the_system_message_of_a_channel_kind_states_every_hard_limit():
    system = prompt_build(brand=BRAND, kind="google_rsa", locale="es",
                          item=ItemInput(sku="A", name="B")).system_prefix

    assert ("Hard limits (counted as the platform counts them; an answer over any of them "
            "is rejected):\n"
            "- headlines: 3 to 15 entries, each at most 30 characters\n"
            "- descriptions: 2 to 4 entries, each at most 90 characters\n"
            "- path1: at most 15 characters\n"
            "- path2: at most 15 characters\n") in system
    assert "at least 2 headlines contain one of them" in system


def test_the_original_kinds_keep_their_prompts_without_a_limits_block():
    system = prompt_build(brand=BRAND, kind="product_description", locale="en",
                          item=ItemInput(sku="A", name="B")).system_prefix

    assert "Hard limits" not in system
    assert output_schema(kind_resolve("product_description")).json_schema(
        with_bounds=True)["properties"]["bullets"]["maxItems"] == 6


def test_headlines_that_reword_one_another_fail_with_both_quoted():
    content = {"headlines": ["Oak lamp for your desk", "Warm light at night",
                             "Your desk lamp in oak"]}

    assert failures(content, distinct_fields=("headlines",)) == [CheckFailure(
        "repetition", "headlines.2",
        "field 'headlines.2' ('Your desk lamp in oak') repeats or rewords field 'headlines.0' "
        "('Oak lamp for your desk'); every entry must say something different")]


def test_distinct_headlines_pass():
    content = {"headlines": ["Oak lamp for your desk", "Warm light at night",
                             "Free delivery this week"]}

    assert failures(content, distinct_fields=("headlines",)) == []


def test_too_few_headlines_with_a_keyword_fail_with_the_count():
    content = {"headlines": ["Oak lamp for your desk", "Warm light at night",
                             "Free delivery this week"]}

    assert failures(content, keyword_entries=("headlines", 2, ("desk lamp", "walnut"))) == [
        CheckFailure("required_term", "headlines",
                     "only 0 of the 3 entries of 'headlines' contain a keyword ('desk lamp', "
                     "'walnut'); at least 2 must")]
    assert failures({"headlines": ["A desk lamp in oak", "Desk lamps that last",
                                   "Free delivery this week"]},
                    keyword_entries=("headlines", 2, ("desk lamp",))) == []


def test_an_instagram_caption_with_31_hashtags_fails_with_the_count():
    words = ("oak ash elm pine lamp light desk home warm calm wood glass steel wool linen "
             "table chair shelf rug vase mug cup bowl plate jug candle lantern bench stool "
             "sofa bed").split()
    tags = " ".join(f"#{word}" for word in words)
    assert len(words) == 31

    assert failures({"text": f"Warm light for long evenings. {tags}"},
                    max_hashtags={"text": 30}) == [
        CheckFailure("length", "text", "field 'text' has 31 hashtags; the maximum is 30")]


def test_a_headline_of_30_characters_with_an_emoji_and_an_accent_is_within_the_limit():
    headline = "La\u0301mpara de roble para tu mesa👍"  # 30 graphemes, 31 code points

    assert len(headline) == 31
    assert failures({"headline": headline}, length_bounds={"headline": (3, 30)}) == []
    assert failures({"headline": headline + "!"}, length_bounds={"headline": (3, 30)}) == [
        CheckFailure("length", "headline",
                     "field 'headline' is 31 characters; the maximum is 30")]


def test_an_x_post_is_counted_with_urls_as_23():
    url = " https://nordic.example/" + "p" * 80
    post = "Warm light for long evenings. " + "a" * 226 + url  # 256 + 1 + 23

    assert failures({"text": post}, counting={"text": "x"},
                    length_bounds={"text": (1, 280)}) == []
    assert failures({"text": post.replace(url, "a" + url)}, counting={"text": "x"},
                    length_bounds={"text": (1, 280)}) == [CheckFailure(
        "length", "text", "field 'text' is 281 characters as X counts them (a link is 23, an "
        "emoji 2); the maximum is 280")]


def test_a_brand_bound_never_lifts_a_platform_limit_in_the_prompt_or_the_checks():
    from apps.generation.quality.defaults import field_bounds

    brand = {**BRAND, "length_bounds": {"headline": {"min": 5, "max": 150}}}
    system = prompt_build(brand=brand, kind="meta_ad", locale="en",
                          item=ItemInput(sku="A", name="B")).system_prefix

    assert "- headline: 5 to 40 characters" in system
    assert field_bounds("meta_ad", brand["length_bounds"])[0]["headline"] == (5, 40)
    assert field_bounds("marketing_copy", brand["length_bounds"])[0]["headline"] == (5, 150)
