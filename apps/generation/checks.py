"""Output checks on one item's generated content, run after JSON-schema validation.

A failed check sends the item back to the model with `CheckReport.feedback()` in the
prompt; after the retry bound the item ends `needs_review` with `CheckReport.as_dict()`,
which also carries the 0-100 quality score. The brand's checks live here (lengths, banned
and required terms, language, prices); the quality gate's live in `quality/` (words that
exist, debris, figures faithful to the data, repetition, the score). Plain Python plus
`snowballstemmer` for inflection-tolerant term matching, `lingua` for language detection
and `spylls` over Hunspell dictionaries for words. Nothing here knows of jobs, HTTP or
Celery.

Term matching, as chosen: text and terms are split into words (runs of letters and
digits, so "low-cost" is the two words "low cost"), each word is case-folded, "ё" is
read as "е" and Latin accents are dropped ("económico" = "economico"), then reduced to
its Snowball stem; a term matches where its words occur consecutively, each sharing a
stem (or its whole folded form) with the term's word in that place. So
"дешёвый" catches "дешевые" and "ДЕШЁВОГО", "barato" catches "Baratos", "cheap" catches
"cheaps" but not "cheaper", "cheaply" or "cheapskate" (their English stems differ), and
no term ever matches inside a longer word.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import snowballstemmer
from lingua import Language, LanguageDetectorBuilder

from apps.generation.counting import count_characters
from apps.generation.quality import debris, dictionaries, figures, repetition, words
from apps.generation.quality.report import (
    LANGUAGE_NAMES,
    CheckFailure,
    CheckReport,
    CheckRules,
    SourceData,
    sample,
)
from apps.generation.quality.score import quality_score
from apps.generation.similarity import NEAR_DUPLICATE, most_similar
from apps.localization.figures import find_prices

__all__ = ["CHECK_NAMES", "CheckFailure", "CheckReport", "CheckRules", "SourceData",
           "checks_warm_up", "content_check"]

CHECK_NAMES = ("length", "banned_term", "required_term", "language", "placeholder", "markdown",
               "price", "debris", "gibberish", "figure", "echo", "repetition", "distinct",
               "quality", "glossary",
               "length_ratio")  # length_ratio: apps.generation.localize_checks, on a source

STEMMER_ALGORITHMS = {"es": "spanish", "ru": "russian", "en": "english"}

# Below this many letters a detector's verdict is a coin toss (a title, a bullet, a
# call to action), so such a field is judged by its words (quality.words) instead.
MIN_LETTERS_PER_FIELD = 40
# Russian is the only Cyrillic language the detector knows, so for ru the share of
# Cyrillic letters decides; for Latin-script targets a large share rules them out.
MIN_CYRILLIC_SHARE_RU = 0.5
MAX_CYRILLIC_SHARE_LATIN = 0.2


def content_check(content: dict, rules: CheckRules) -> CheckReport:
    """Every check on every string of `content` (list entries as `field.N`), and the
    score; under `rules.min_quality` the content fails even if no single check did."""
    # An empty string is an optional field left empty: the schema refuses a required one.
    strings = [string for string in _strings(content) if string[2].strip()]
    banned = [_Term(term, _term_keys(term, rules.language)) for term in rules.banned_terms]
    required = [_Term(term, _term_keys(term, rules.language)) for term in rules.required_terms]
    found_required: set[str] = set()
    failures: list[CheckFailure] = []
    source_texts = rules.source.texts if rules.source is not None else ()
    excluded = words.source_words((*rules.known_phrases, *source_texts))
    allowed_figures = (figures.source_numbers(rules.source) if rules.source is not None
                       else None)
    field_stats: list[words.WordStats] = []
    joined = "\n".join(text for _, _, text in strings)
    whole_language = _language_failures(None, _without_phrases(joined, rules.known_phrases),
                                        rules.language)

    for name, bounds_key, text in strings:
        term_words = _words(text, rules.language) if banned or required else None
        failures += _length_failures(name, text, rules.length_bounds.get(bounds_key),
                                     rules.counting.get(bounds_key, "graphemes"))
        failures += _hashtag_failures(name, text, rules.max_hashtags.get(bounds_key))
        failures += _word_count_failures(name, text, rules.min_words.get(bounds_key))
        for term in banned:
            hits = _find(term.keys, term_words)
            if hits:
                forms = ", ".join(f"'{form}'" for form in dict.fromkeys(hits))
                failures.append(CheckFailure(
                    "banned_term", name,
                    f"field '{name}' contains the banned term '{term.text}' (found as {forms})"))
        for term in required:
            if term.text not in found_required and _find(term.keys, term_words):
                found_required.add(term.text)
        placeholder_failures, placeholders = debris.placeholder_failures(name, text)
        failures += placeholder_failures
        failures += debris.markdown_failures(name, text)
        # The customer's own text (a name with "</b>" in it) is not the model's debris.
        failures += debris.debris_failures(
            name, bounds_key, _without_phrases(text, rules.known_phrases, "Name"),
            placeholders=placeholders, sentence_fields=rules.sentence_fields)
        quoted_prices = []
        if rules.prices is not None:
            failures += _price_failures(name, text, rules.prices)
            quoted_prices = [quoted for quoted, _ in find_prices(text)]
        if allowed_figures is not None:
            # An amount next to a currency is the price check's to judge.
            failures += figures.figure_failures(name, _without_phrases(text, quoted_prices),
                                                allowed_figures)
            if bounds_key == "bullets":
                failures += _some(figures.echo_failure(name, text, excluded))
        failures += repetition.repetition_failures(name, text, rules.known_phrases)
        if rules.source is not None:
            failures += _some(repetition.brief_failure(name, text, rules.source.brief))
        own_words = _without_phrases(text, rules.known_phrases)
        # A long field goes to the detector when the whole content did not pass it (to
        # name the fields at fault) or when its script decides (ru); when the whole
        # passed, its words judge it, as they judge a short field, at a fraction of a
        # detector call.
        if _letter_count(own_words) >= MIN_LETTERS_PER_FIELD and (
                whole_language or rules.language == "ru"):
            language_failures = _language_failures(name, own_words, rules.language)
        else:
            language_failures = _some(words.short_field_language_failure(
                name, own_words, rules.language, excluded))
        failures += language_failures
        stats = words.word_stats(text, rules.language, excluded)
        field_stats.append(stats)
        # A foreign word is a real word, just not ours; "Lorem ipsum" is a placeholder.
        if not language_failures and not placeholder_failures:
            failures += _some(words.gibberish_failure(name, stats))

    failures += repetition.duplicate_failures([(name, text) for name, _, text in strings])
    if rules.glossary is not None:
        failures += rules.glossary.failures([(name, text) for name, _, text in strings])
    if rules.localization is not None:
        failures += rules.localization.failures([(name, text) for name, _, text in strings])
    for distinct in rules.distinct_fields:
        failures += _reworded_failures(distinct, content.get(distinct) or [], rules.language)
    if rules.keyword_entries is not None:
        failures += _some(_keyword_entries_failure(content, rules.keyword_entries,
                                                   rules.language))
    for term in required:
        if term.text not in found_required:
            failures.append(CheckFailure(
                "required_term", None,
                f"the required term '{term.text}' does not appear anywhere in the content"))
    failures += whole_language
    whole_stats = words.WordStats(
        judged=sum(stats.judged for stats in field_stats),
        unknown=tuple(word for stats in field_stats for word in stats.unknown))
    if not any(f.check in ("gibberish", "language") for f in failures):
        failures += _some(words.gibberish_failure(None, whole_stats))
    failures += _some(_distinct_failure(content, rules))
    score = quality_score(tuple(failures), unknown_words=len(whole_stats.unknown),
                          repeated_phrases=repetition.repeated_phrases(joined,
                                                                       rules.known_phrases))
    if not failures and score < rules.min_quality:
        failures.append(CheckFailure(
            "quality", None,
            f"the content scores {score} of 100, below the required {rules.min_quality}: "
            "it uses rare or unknown words or repeats phrases; write it more plainly"))
    return CheckReport(failures=tuple(failures), quality=score)


def _distinct_failure(content: dict, rules: CheckRules) -> CheckFailure | None:
    """An A/B variant that is a near-copy of another variant of the item (see similarity)."""
    closest = most_similar(content, rules.siblings)
    if closest is None or closest.score < NEAR_DUPLICATE:
        return None
    return CheckFailure(
        "distinct", None,
        f"too similar to variant {closest.variant}: the two share {round(closest.score * 100)}% "
        "of their word pairs; write a version with another angle, other arguments and "
        "other wording")


def checks_warm_up() -> None:
    """Load what the checks read (the language detector and the dictionary of every
    content language, some 8 s of CPU and 400 MB) before the first item needs it.

    A worker calls this as it starts: loaded on first use instead, the load would hold
    the interpreter's lock for seconds while the item threads that need it wait.
    """
    _language_detector()
    for language in STEMMER_ALGORITHMS:
        dictionaries.dictionary(language)


def _some(failure: CheckFailure | None) -> list[CheckFailure]:
    return [failure] if failure is not None else []


def _strings(content: dict):
    """(field name for reports, key of length_bounds, text) for every string."""
    for key, value in content.items():
        if isinstance(value, str):
            yield key, key, value
        elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
            for index, entry in enumerate(value):
                yield f"{key}.{index}", key, entry
        else:
            # Schema validation runs first; anything else here is a caller's bug.
            raise TypeError(f"field {key!r} is neither a string nor a list of strings")


# --- length ------------------------------------------------------------------


def _length_failures(name: str, text: str, bounds, counting: str = "graphemes"
                     ) -> list[CheckFailure]:
    """Characters as people (and platforms) count them: grapheme clusters, or X's
    weighted count (apps.generation.counting)."""
    if not bounds:
        return []
    low, high = bounds
    size = count_characters(text, counting)
    unit = ("characters as X counts them (a link is 23, an emoji 2)" if counting == "x"
            else "characters")
    if low is not None and size < low:
        return [CheckFailure("length", name,
                             f"field '{name}' is {size} {unit}; the minimum is {low}")]
    if high is not None and size > high:
        return [CheckFailure("length", name,
                             f"field '{name}' is {size} {unit}; the maximum is {high}")]
    return []


HASHTAG_RE = re.compile(r"(?<![\w#])#[^\W_][\w]*")


def _hashtag_failures(name: str, text: str, maximum: int | None) -> list[CheckFailure]:
    if maximum is None:
        return []
    count = len(HASHTAG_RE.findall(text))
    if count <= maximum:
        return []
    return [CheckFailure("length", name,
                         f"field '{name}' has {count} hashtags; the maximum is {maximum}")]


# Two entries are rewordings of each other when this share of their words (as stems)
# is the same: "Oak lamp for your desk" and "Your desk lamp in oak" say one thing.
REWORDING_SHARE = 0.8


def _reworded_failures(field_name: str, entries: list[str], language: str
                       ) -> list[CheckFailure]:
    """Entries of a list that repeat or reword an earlier one (Google mixes headlines
    freely: two that say the same waste a slot and lower the ad's strength)."""
    failures = []
    entry_words = [_words(entry, language).words for entry in entries]
    for later in range(len(entries)):
        for earlier in range(later):
            if _same_words_share(entry_words[later], entry_words[earlier]) >= REWORDING_SHARE:
                failures.append(CheckFailure(
                    "repetition", f"{field_name}.{later}",
                    f"field '{field_name}.{later}' ('{sample(entries[later])}') repeats or "
                    f"rewords field '{field_name}.{earlier}' ('{sample(entries[earlier])}'); "
                    "every entry must say something different"))
                break
    return failures


def _same_words_share(first: tuple, second: tuple) -> float:
    """The share of the longer entry's words that the other has too (as stems)."""
    if not first or not second:
        return 0.0
    shorter, longer = sorted((first, second), key=len)
    matched = sum(1 for word in longer if any(word.keys & other.keys for other in shorter))
    return matched / len(longer)


def _keyword_entries_failure(content: dict, rule: tuple[str, int, tuple[str, ...]],
                             language: str) -> CheckFailure | None:
    field_name, minimum, keywords = rule
    entries = content.get(field_name) or []
    terms = [_term_keys(keyword, language) for keyword in keywords if keyword.strip()]
    if not terms or not entries:
        return None
    carrying = sum(1 for entry in entries
                   if any(_find(term, _words(entry, language)) for term in terms))
    needed = min(minimum, len(entries))
    if carrying >= needed:
        return None
    listed = ", ".join(f"'{keyword}'" for keyword in keywords)
    return CheckFailure(
        "required_term", field_name,
        f"only {carrying} of the {len(entries)} entries of '{field_name}' contain a keyword "
        f"({listed}); at least {needed} must")


def _word_count_failures(name: str, text: str, minimum: int | None) -> list[CheckFailure]:
    if not minimum:
        return []
    count = len(WORD_RE.findall(text))
    if count >= minimum:
        return []
    return [CheckFailure("length", name,
                         f"field '{name}' is {count} words; the minimum is {minimum}")]


# --- banned and required terms -------------------------------------------------

# Letters and digits; "_" is a \w character but never part of a word in prose.
WORD_RE = re.compile(r"[^\W_]+")
CYRILLIC_RE = words.CYRILLIC_RE
# Accents Spanish (and loanwords in English) put on Latin vowels; "ñ" stays, because
# "año" and "ano" are different words. "ё" is written as "е" in most Russian text.
FOLD_TABLE = str.maketrans("áàâäãéèêëíìîïóòôöõúùûüё", "aaaaaeeeeiiiiooooouuuuе")


@dataclass(frozen=True)
class _Term:
    text: str
    keys: tuple[frozenset[str], ...]  # per word of the term, its stem keys


@dataclass(frozen=True)
class _Word:
    keys: frozenset[str]
    start: int
    end: int


@dataclass(frozen=True)
class _Words:
    text: str  # NFC-normalised; the words' offsets point into it
    words: tuple[_Word, ...]


def _fold(word: str) -> str:
    return word.lower().translate(FOLD_TABLE)


_local = threading.local()


def _stemmer(algorithm: str):
    # Snowball stemmer objects keep state between calls: one per thread.
    if not hasattr(_local, "stemmers"):
        _local.stemmers = {}
    stemmers = _local.stemmers
    if algorithm not in stemmers:
        stemmers[algorithm] = snowballstemmer.stemmer(algorithm)
    return stemmers[algorithm]


@lru_cache(maxsize=65536)
def _word_keys(word: str, language: str) -> frozenset[str]:
    """The stems under which `word` matches a term.

    The stems with and without the accents, folded after (a suffix rule may need the
    accent and the model may leave it out, or the other way round), and the folded
    word itself: Snowball cuts some nominatives further than their other cases
    ("массив" -> "масс" but "массива" -> "массив"), and the whole word still meets
    the other form's stem.
    Cyrillic words take the Russian stemmer whatever the target; Latin words inside
    Russian text (brand names, loanwords) take the English one.
    """
    if CYRILLIC_RE.search(word):
        algorithm = "russian"
    else:
        algorithm = STEMMER_ALGORITHMS["en" if language == "ru" else language]
    stemmer = _stemmer(algorithm)
    folded = _fold(word)
    return frozenset({
        folded,
        _fold(stemmer.stemWord(word.lower())) or folded,
        _fold(stemmer.stemWord(folded)) or folded,
    })


def _words(text: str, language: str) -> _Words:
    # NFC first: a decomposed "é" or "й" would otherwise split the word in two.
    text = unicodedata.normalize("NFC", text)
    words = tuple(_Word(_word_keys(m.group(), language), m.start(), m.end())
                  for m in WORD_RE.finditer(text))
    return _Words(text, words)


def _term_keys(term: str, language: str) -> tuple[frozenset[str], ...]:
    return tuple(word.keys for word in _words(term, language).words)


def _find(term_keys: tuple[frozenset[str], ...], found_in: _Words) -> list[str]:
    """Each place the term's words occur consecutively, as written there."""
    size = len(term_keys)
    words = found_in.words
    if not size:
        return []
    return [found_in.text[words[i].start:words[i + size - 1].end]
            for i in range(len(words) - size + 1)
            if all(words[i + j].keys & term_keys[j] for j in range(size))]


# --- language ------------------------------------------------------------------------

_detector = None
_detector_lock = threading.Lock()


def _language_detector():
    """The one detector of the process, built on first use.

    Built under a lock with every model preloaded: lazily loaded models would be read
    from disk by whichever thread first needs them, and the build takes about a second
    and a couple of hundred megabytes, which a process should pay once.
    """
    global _detector
    if _detector is None:
        with _detector_lock:
            if _detector is None:
                _detector = (
                    LanguageDetectorBuilder.from_languages(
                        Language.ENGLISH, Language.SPANISH, Language.RUSSIAN,
                        Language.GERMAN, Language.FRENCH, Language.ITALIAN,
                        Language.PORTUGUESE)
                    .with_preloaded_language_models()
                    .build()
                )
    return _detector


def _price_failures(name: str, text: str, allowed: tuple[Decimal, ...]) -> list[CheckFailure]:
    failures = []
    for quoted, readings in find_prices(text):
        if not readings & set(allowed):
            given = ", ".join(str(price) for price in allowed) or "none"
            failures.append(CheckFailure(
                "price", name,
                f"field '{name}' quotes the price '{quoted}', which the product data does not "
                f"give (given: {given}); quote only the given price, exactly as written"))
    return failures


def _without_phrases(text: str, phrases, replacement: str = " ") -> str:
    pattern = _phrases_pattern(tuple(phrases))
    return pattern.sub(replacement, text) if pattern is not None else text


@lru_cache(maxsize=1024)
def _phrases_pattern(phrases: tuple[str, ...]) -> re.Pattern | None:
    """One pattern for all the phrases, longest first, so a name is removed whole before
    any keyword inside it (a regex alternation takes its first branch that matches)."""
    ordered = sorted(dict.fromkeys(filter(None, phrases)), key=len, reverse=True)
    if not ordered:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, ordered))})(?!\w)", re.IGNORECASE)


def _letter_count(text: str) -> int:
    return sum(map(str.isalpha, text))


# The letters of the Cyrillic block (its signs and combining marks are not letters).
CYRILLIC_LETTER_RE = re.compile(r"[\u0400-\u0481\u048A-\u04FF]")


def _language_failures(name: str | None, text: str, language: str) -> list[CheckFailure]:
    letters = _letter_count(text)
    if not letters:
        return []
    subject = f"field '{name}'" if name is not None else "the content"
    target = LANGUAGE_NAMES[language]
    cyrillic = len(CYRILLIC_LETTER_RE.findall(text)) / letters
    if language == "ru":
        if cyrillic < MIN_CYRILLIC_SHARE_RU:
            return [CheckFailure(
                "language", name,
                f"{subject} is not in {target}: only {cyrillic:.0%} of its letters are "
                "Cyrillic")]
        return []
    if cyrillic > MAX_CYRILLIC_SHARE_LATIN:
        return [CheckFailure(
            "language", name,
            f"{subject} is not in {target}: {cyrillic:.0%} of its letters are Cyrillic")]
    detected = _language_detector().detect_language_of(text)
    # None means the detector would not commit to any language: no evidence either way.
    if detected is None or detected.iso_code_639_1.name.lower() == language:
        return []
    return [CheckFailure(
        "language", name,
        f"{subject} is in {detected.name.title()}; the target language is {target}")]
