"""Do the words exist, and is a short field in the target language?

Every word is looked up in the target language's Hunspell dictionary (inflections
included). Left out: the customer's own text (product name, brand, SKU, keywords,
attribute keys and values, which may be in any language), units and other letters
glued to a digit ("350ml", "250х"), acronyms (LED, USB), and one-letter words. What is
left and is no word of the target language, nor of the other Latin-script language we
write (a loanword), is gibberish: "desacahuera", "объядла", "комфорции".

Language of short fields: a detector guesses on 20 letters, so a title or a bullet is
judged by its words instead: in a Russian item, Latin words the customer did not give
outnumbering the Cyrillic ones; in a Spanish or English item, words that only the other
language has outnumbering those only the target has (capitalised words inside a field that has words
of the target count as names).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from apps.generation.quality.dictionaries import is_word
from apps.generation.quality.report import LANGUAGE_NAMES, CheckFailure, sample

# Letters, with hyphens or apostrophes inside ("calidad-precio", "don't", "по-своему").
TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")
POSSESSIVE_RE = re.compile(r"[^\W\d_]?['’]s\b")
# The other Latin-script language whose words count as loanwords, not gibberish.
OTHER_LATIN = {"es": "en", "en": "es"}
# Unit symbols as written apart from their number ("350 ml", "45 см"): never prose words.
UNITS = frozenset({
    "ml", "l", "cl", "dl", "mm", "cm", "m", "km", "g", "kg", "mg", "lb", "lbs", "oz", "fl",
    "in", "ft", "w", "kw", "v", "mah", "wh", "h", "min", "ghz", "mhz", "hz", "gb",
    "tb", "mb", "mp", "db", "rpm", "°c", "мл", "л", "мм", "см", "м", "км", "г", "кг",
    "мг", "вт", "квт", "в", "ма", "мач", "ч", "мин", "гб", "тб", "шт", "дюйм", "дюйма",
    "дюймов", "x", "х",
})
# Below this many judged words a field's share says little; the whole content decides.
FIELD_MIN_UNKNOWN = 2
FIELD_MIN_SHARE = 0.85
# Hand-written copy has at most one word a dictionary lacks per field ("nightstand",
# "термобутылка"); three different ones in a field, however long, are made up.
FIELD_MAX_DISTINCT_UNKNOWN = 3
CONTENT_MIN_UNKNOWN = 4
CONTENT_MIN_SHARE = 0.96
# A one- or two-word field whose only judged word is unknown ("Lámpara Desacahuera").
SHORT_FIELD_WORDS = 3


@dataclass(frozen=True)
class WordStats:
    judged: int  # words looked up
    unknown: tuple[str, ...]  # as written, in order, repeats kept


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    return unicodedata.normalize("NFC", word).lower().replace("’", "'").replace("ё", "е")


def source_words(texts) -> frozenset[str]:
    """The folded words of the customer's own text (also each part of a hyphenated one)."""
    words = set()
    for text in texts:
        for match in TOKEN_RE.finditer(unicodedata.normalize("NFC", str(text))):
            token = fold(match.group())
            words.add(token)
            words.update(re.split(r"['\-]", token))
    return frozenset(words)


def _judged_tokens(text: str, excluded: frozenset[str]):
    """The tokens of `text` a dictionary should know, as written."""
    text = unicodedata.normalize("NFC", text)
    for match in TOKEN_RE.finditer(text):
        token = match.group()
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if before.isdigit() or after.isdigit():
            continue  # "350ml", "250х", "E27"
        folded = fold(token)
        if len(token) == 1 or folded in UNITS or folded in excluded:
            continue
        if token.isupper() and len(token) <= 5:
            continue  # LED, USB, EVA: acronyms
        yield token


def _known(token: str, language: str) -> bool:
    if is_word(token, language):
        return True
    if "-" in token:
        return all(is_word(part, language) for part in token.split("-") if len(part) > 1)
    return False


def word_stats(text: str, language: str, excluded: frozenset[str]) -> WordStats:
    judged, unknown = 0, []
    cyrillic_target = language == "ru"
    for token in _judged_tokens(text, excluded):
        if bool(CYRILLIC_RE.search(token)) != cyrillic_target:
            continue  # another script: the language check's business
        judged += 1
        if _known(token, language):
            continue
        other = OTHER_LATIN.get(language)
        if other and _known(token, other):
            continue  # a loanword ("online", "gres"): the language check weighs those
        unknown.append(token)
    return WordStats(judged=judged, unknown=tuple(unknown))


def gibberish_failure(name: str | None, stats: WordStats) -> CheckFailure | None:
    count = len(stats.unknown)
    if not count or not stats.judged:
        return None
    share = 1 - count / stats.judged
    if name is None:
        failing = count >= CONTENT_MIN_UNKNOWN and share < CONTENT_MIN_SHARE
    else:
        distinct = len({fold(word) for word in stats.unknown})
        failing = ((count >= FIELD_MIN_UNKNOWN and share < FIELD_MIN_SHARE)
                   or distinct >= FIELD_MAX_DISTINCT_UNKNOWN
                   or (stats.judged < SHORT_FIELD_WORDS and share < 0.5))
    if not failing:
        return None
    listed = ", ".join(f"'{sample(word, 30)}'" for word in dict.fromkeys(stats.unknown))
    subject = f"field '{name}'" if name is not None else "the content"
    return CheckFailure(
        "gibberish", name,
        f"{subject} uses words that do not exist: {listed}; write only real words")


def short_field_language_failure(name: str, text: str, language: str,
                                 excluded: frozenset[str]) -> CheckFailure | None:
    """A short field in another language than the target, judged by its words."""
    tokens = list(_judged_tokens(text, excluded))
    target = LANGUAGE_NAMES[language]
    # "Nordic Home's OAK Desk Lamp": the given names, glued with English grammar.
    possessive = language != "en" and bool(POSSESSIVE_RE.search(text))
    if language == "ru":
        latin = [t for t in tokens if not CYRILLIC_RE.search(t)]
        cyrillic = len(tokens) - len(latin)
        if possessive and not cyrillic:
            latin.append("'s")
        if (len(latin) >= 2 or possessive) and len(latin) > cyrillic:
            return CheckFailure(
                "language", name,
                f"field '{name}' is not in {target}: {_listed(latin)} are not Russian words "
                "and not the product's given name")
        return None
    other = OTHER_LATIN[language]
    foreign, named, own = [], [], 0
    for position, token in enumerate(tokens):
        if CYRILLIC_RE.search(token):
            foreign.append(token)
            continue
        in_target, in_other = _known(token, language), _known(token, other)
        if in_other and not in_target:
            # Capitalised inside the field, it is likely a name ("Lámpara Nordic Oak").
            (named if position and token[0].isupper() else foreign).append(token)
        elif in_target and not in_other:
            own += 1
    if not own:
        foreign += named
        if possessive:
            foreign.append("'s")
    if foreign and len(foreign) > own:
        return CheckFailure(
            "language", name,
            f"field '{name}' is not in {target}: {_listed(foreign)} are not {target} words")
    return None


def _listed(tokens: list[str]) -> str:
    return ", ".join(f"'{sample(token, 30)}'" for token in dict.fromkeys(tokens))
