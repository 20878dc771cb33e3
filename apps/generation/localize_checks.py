"""Checks of content localized from a source text: its figures, and its length.

Figure fidelity: every figure of the source (a price, size, count, percentage, model
number) is in the target, written the way the target market writes numbers, and the
target adds none. The source is read in its own locale's conventions ("1.299,00" is 1299
in es-ES, "1,299.00" in en-US; a figure that does not fit them is read both ways, since
people write what they write), the target strictly in its own: "1,5 kg" in an en-US
target is not 1.5 but a figure in the wrong format, and so is "1.5 kg" in a Spanish one
(a space may group thousands anywhere, as the SI and the RAE write them).
Numbers are compared by value, so "1299" and "1.299" are the same figure in es-ES. Units
are not converted: a localized text keeps the source's figures (the prompt says so);
"1" is always allowed, as in the quality gate ("2 en 1"). Figures written as words
("three") are not seen.

Length ratio: a target field far longer or shorter than its source is a sign of a text
that was cut, padded or answered something else. The bounds are the issue's "a third as
long to three times as long", taken around the usual expansion of the language pair in
characters rather than around 1:1 (localization rules of thumb: English grows some 25%
into Spanish and 15% into Russian; Spanish and Russian shrink back by as much): so en → es
allows 0.42 to 3.75 times, es → en 0.27 to 2.4 times. Transcreation legitimately changes
length, so only that far out is suspect. A source field under MIN_SOURCE_CHARS is not
judged: "Sale" → "Rebajas" is 1.75 times and fine.

Pure functions over the content's fields (strings or lists of strings), giving the
quality gate's CheckFailure; they know nothing of jobs. `LocalizationCheck` runs them (and
the glossary's check) on a localized item's content inside the output checks.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

from apps.core.validation import decimal_parse_bounded
from apps.generation.quality.figures import ALWAYS_ALLOWED, NUMBER_RE
from apps.generation.quality.report import CheckFailure, ContentCheck, sample
from apps.localization.figures import format_number, number_readings
from apps.localization.locales import ContentLocale

SPACES = " \u00a0\u202f"

# Characters of the target per character of the source, as translators budget them.
EXPANSION = {("en", "es"): 1.25, ("en", "ru"): 1.15, ("es", "en"): 0.80, ("ru", "en"): 0.87,
             ("es", "ru"): 0.92, ("ru", "es"): 1.09}
RATIO_SPREAD = 3.0
MIN_SOURCE_CHARS = 40


# --- Figures -------------------------------------------------------------------------


def _marks(locale: ContentLocale) -> tuple[str, str]:
    return _marks_of(locale.tag)


@lru_cache(maxsize=16)
def _marks_of(tag: str) -> tuple[str, str]:
    babel_locale = Locale.parse(tag, sep="-")
    return get_decimal_symbol(babel_locale), get_group_symbol(babel_locale)


def locale_number_value(token: str, locale: ContentLocale) -> Decimal | None:
    """The value of a number as the locale writes numbers; None when the token is not
    written that way ("1,299.00" in es-ES, "1.5" in ru-RU)."""
    decimal, group = _marks(locale)
    integer, _sep, fraction = token.partition(decimal)
    if fraction and not fraction.isdigit():
        return None
    # A space groups thousands in every locale (the SI's and the RAE's way) besides the
    # locale's own mark; any other mark is another market's.
    for mark in (group, *SPACES):
        integer = integer.replace(mark, " ")
    groups = integer.split(" ")
    if not all(part.isdigit() for part in groups):
        return None
    if len(groups) > 1 and any(len(part) != 3 for part in groups[1:]):
        return None  # "1.5" in es-ES is no thousands group
    text = "".join(groups) + (f".{fraction}" if fraction else "")
    return decimal_parse_bounded(text)


def _source_readings(token: str, locale: ContentLocale) -> frozenset[Decimal]:
    value = locale_number_value(token, locale)
    return frozenset({value}) if value is not None else frozenset(number_readings(token))


def _strings(content: dict) -> list[tuple[str, str]]:
    strings = []
    for key, value in content.items():
        if isinstance(value, str):
            strings.append((key, value))
        elif isinstance(value, list | tuple):
            strings += [(f"{key}.{index}", entry) for index, entry in enumerate(value)
                        if isinstance(entry, str)]
    return strings


def figure_fidelity_failures(source: dict, target: dict, *, source_locale: ContentLocale,
                             target_locale: ContentLocale) -> list[CheckFailure]:
    """Every figure of the source in the target in the target's format, and none added."""
    source_figures: list[tuple[str, frozenset[Decimal]]] = [
        (match.group(), _source_readings(match.group(), source_locale))
        for _name, text in _strings(source) for match in NUMBER_RE.finditer(text)]
    allowed = set(ALWAYS_ALLOWED).union(*(readings for _, readings in source_figures))
    failures: list[CheckFailure] = []
    given: set[Decimal] = set()
    for name, text in _strings(target):
        foreign, added = [], []
        for match in NUMBER_RE.finditer(text):
            value = locale_number_value(match.group(), target_locale)
            if value is None:
                foreign.append(match.group())
            elif value not in allowed:
                added.append(match.group())
            else:
                given.add(value)
        if foreign:
            failures.append(CheckFailure(
                "figure", name,
                f"field '{name}' writes {_listed(foreign)} in another market's number format; "
                f"write numbers as {target_locale.tag} does"))
        if added:
            failures.append(CheckFailure(
                "figure", name,
                f"field '{name}' gives {_listed(added)}, which the source does not give; "
                "keep only the source's figures"))
    missing = [figure for figure, readings in source_figures
               if not readings & given and not readings <= ALWAYS_ALLOWED]
    if missing:
        expected = [_in_target_format(figure, readings, target_locale)
                    for figure, readings in _unique(source_figures, missing)]
        failures.append(CheckFailure(
            "figure", None,
            f"the content leaves out the source's figures {_listed(missing)}; give them "
            f"as {target_locale.tag} writes them ({', '.join(expected)})"))
    return failures


def _unique(source_figures, missing):
    seen = dict.fromkeys(missing)
    return [(figure, readings) for figure, readings in dict(source_figures).items()
            if figure in seen]


def _in_target_format(figure: str, readings: frozenset[Decimal],
                      locale: ContentLocale) -> str:
    if len(readings) != 1:
        return f"'{figure}'"
    return f"'{format_number(next(iter(readings)), locale)}'"


def _listed(figures: list[str]) -> str:
    return ", ".join(f"'{sample(figure, 20)}'" for figure in dict.fromkeys(figures))


# --- Length --------------------------------------------------------------------------


def length_ratio_bounds(source_language: str, target_language: str) -> tuple[float, float]:
    """(lowest, highest) target length per source character for the language pair."""
    expected = EXPANSION.get((source_language, target_language), 1.0)
    return round(expected / RATIO_SPREAD, 2), round(expected * RATIO_SPREAD, 2)


def _length(value) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list | tuple):
        return sum(len(entry) for entry in value if isinstance(entry, str))
    return 0


def length_ratio_failures(source: dict, target: dict, *, source_language: str,
                          target_language: str) -> list[CheckFailure]:
    low, high = length_ratio_bounds(source_language, target_language)
    failures = []
    for name, value in source.items():
        source_size = _length(value)
        if source_size < MIN_SOURCE_CHARS or name not in target:
            continue
        target_size = _length(target[name])
        ratio = target_size / source_size
        if low <= ratio <= high:
            continue
        failures.append(CheckFailure(
            "length_ratio", name,
            f"field '{name}' is {ratio:.2f} times as long as its source ({target_size} "
            f"characters for {source_size}); from {source_language} to {target_language} "
            f"it should be {low} to {high} times as long: adapt the whole source, no more"))
    return failures


# --- The check of a localized item ---------------------------------------------------


def _regrouped(strings: list[tuple[str, str]], fields: tuple[str, ...]) -> dict:
    """The content's fields back from its strings ("bullets.0" → the list "bullets")."""
    content: dict = {}
    for name, text in strings:
        field_name, _dot, index = name.rpartition(".")
        if index.isdigit() and field_name in fields:
            content.setdefault(field_name, []).append(text)
        else:
            content[name] = text
    return content


@dataclass(frozen=True)
class LocalizationCheck:
    """Content localized from `source`: its figures (faithful, in the target's format),
    its length per field against the source's, and the brand glossary's terms of the
    source (a GlossaryCheck, or None). A ContentCheck (apps.generation.quality.report)."""

    source: dict
    source_locale: ContentLocale
    target_locale: ContentLocale
    glossary: "ContentCheck | None" = None

    def failures(self, strings: list[tuple[str, str]]) -> list[CheckFailure]:
        target = _regrouped(strings, tuple(self.source))
        failures = figure_fidelity_failures(self.source, target,
                                            source_locale=self.source_locale,
                                            target_locale=self.target_locale)
        failures += length_ratio_failures(self.source, target,
                                          source_language=self.source_locale.language,
                                          target_language=self.target_locale.language)
        if self.glossary is not None:
            failures += self.glossary.failures(strings)
        return failures
