"""Faithfulness to the item's data: every figure the content quotes (a size, weight,
capacity, count, price, percentage, model number) must be one the data gives, and a
bullet must say something beyond the data's own keys and values.

The model sees figures already formatted for its market ("1 299,00 ₽", "350 ml"), so
the numbers are compared by value, reading each both ways ("1.299" is 1299 in Spain,
1.299 in the US): "24 x 56 inch" for a 130 x 170 cm throw fails, "130 x 170 cm" passes.
"""

import re
from decimal import Decimal

from apps.generation.quality.report import CheckFailure, SourceData, sample
from apps.generation.quality.words import TOKEN_RE, fold, source_words
from apps.localization.figures import number_readings

# Digits, with decimal marks and thousands groups ("1 299,00", "1,299.00", "14.5").
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+|[ \u00a0\u202f']\d{3}(?!\d))*")
# "1" stands for "one" in "2 en 1" or "1 año" often enough to prove nothing.
ALWAYS_ALLOWED = frozenset({Decimal(1)})
# A bullet needs a word of its own besides the data's keys, values and units.
MIN_OWN_WORDS_PER_BULLET = 1
CURRENCY_WORDS = frozenset({"eur", "usd", "rub", "gbp", "mxn", "руб", "р", "euros", "euro",
                            "рублей", "рубля", "рубль", "dollars", "dólares"})


def source_numbers(source: SourceData) -> frozenset[Decimal]:
    found = set(ALWAYS_ALLOWED)
    for text in (*source.texts, source.brief):
        for match in NUMBER_RE.finditer(str(text)):
            found |= number_readings(match.group())
    return frozenset(found)


def figure_failures(name: str, text: str, allowed: frozenset[Decimal]) -> list[CheckFailure]:
    invented = [match.group() for match in NUMBER_RE.finditer(text)
                if not number_readings(match.group()) & allowed]
    if not invented:
        return []
    listed = ", ".join(f"'{sample(figure, 20)}'" for figure in dict.fromkeys(invented))
    return [CheckFailure(
        "figure", name,
        f"field '{name}' gives the figures {listed}, which the product data does not give; "
        "quote only the data's figures, exactly as written")]


def echo_failure(name: str, text: str, known: frozenset[str]) -> CheckFailure | None:
    """A bullet that only repeats the data ("€89.00", "throw-wool", "material: wool")."""
    # The data's units are among its words already; "in" may be a preposition here.
    own = [token for token in TOKEN_RE.findall(text)
           if len(token) > 1 and fold(token) not in known and fold(token) not in CURRENCY_WORDS]
    if len(own) >= MIN_OWN_WORDS_PER_BULLET:
        return None
    return CheckFailure(
        "echo", name,
        f"field '{name}' only repeats the product data ('{sample(text, 40)}'); write a "
        "benefit as a short phrase in your own words")


def known_words(source: SourceData) -> frozenset[str]:
    return source_words(source.texts)
