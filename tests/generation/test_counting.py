"""Characters as people and platforms count them: grapheme clusters, and X's weighting."""

import pytest

from apps.generation.counting import grapheme_count, x_weighted_count


@pytest.mark.parametrize("text, count", [
    ("Lámpara", 7),
    ("La\u0301mpara", 7),  # "á" typed as a + combining acute accent: one character
    ("Настольная лампа", 16),
    ("и\u0306од", 3),  # "й" decomposed
    ("👍", 1),
    ("👍🏽", 1),  # with a skin tone
    ("👨‍👩‍👧‍👦 family", 8),  # seven code points, one character
    ("🇪🇸", 1),  # a flag: two regional indicators
    ("1️⃣", 1),  # a keycap
    ("\r\n", 1),
])
def test_graphemes_count_what_a_person_sees(text, count):
    assert grapheme_count(text) == count


@pytest.mark.parametrize("text, count", [
    ("a" * 280, 280),
    ("Настольная лампа", 16),  # Cyrillic weighs 1, as Latin does
    ("La\u0301mpara", 7),  # NFC first: the combining accent joins its letter
    ("😀", 2),  # an emoji weighs 2
    ("👨‍👩‍👧‍👦", 2),  # however many code points it has
    ("👍🏽 ok", 5),
    ("🇪🇸", 2),
    ("日本", 4),  # CJK weighs 2
    ("“quoted” — dash", 15),  # quotes and dashes weigh 1
    ("…", 2),  # the ellipsis is outside X's light ranges
    ("See https://example.com/a/very/long/path?with=query&and=more", 27),  # a URL is 23
    ("Shop at www.nordic-home.example.com/lamps.", 32),  # trailing full stop not in URL
    ("Visit nordichome.es today", 35),  # a bare domain is a URL too
    ("two links http://a.io and https://b.io/x", 61),
])
def test_x_counts_as_twitter_text_v3_does(text, count):
    assert x_weighted_count(text) == count


def test_a_post_of_280_letters_and_a_url_is_within_x_limit_only_when_the_url_is_23():
    text = "a" * 256 + " " + "https://example.com/" + "p" * 100

    assert len(text) == 377
    assert x_weighted_count(text) == 280
