"""Output checks on one item's generated content, run after JSON-schema validation.

A failed check sends the item back to the model with `CheckReport.feedback()` in the
prompt; after the retry bound the item ends `needs_review` with `CheckReport.as_dict()`.
Plain Python plus two libraries: `snowballstemmer` for inflection-tolerant term
matching, `lingua` for language detection. Nothing here knows of jobs, HTTP or Celery.

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
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import snowballstemmer
from lingua import Language, LanguageDetectorBuilder

from apps.localization.figures import find_prices

CHECK_NAMES = ("length", "banned_term", "required_term", "language", "placeholder", "markdown",
               "price")

LANGUAGE_NAMES = {"es": "Spanish", "ru": "Russian", "en": "English"}
STEMMER_ALGORITHMS = {"es": "spanish", "ru": "russian", "en": "english"}

# Below this many letters a detector's verdict is a coin toss (a title, a bullet, a
# call to action), so such a field is judged only as part of the whole content.
MIN_LETTERS_PER_FIELD = 40
# Russian is the only Cyrillic language the detector knows, so for ru the share of
# Cyrillic letters decides; for Latin-script targets a large share rules them out.
MIN_CYRILLIC_SHARE_RU = 0.5
MAX_CYRILLIC_SHARE_LATIN = 0.2


@dataclass(frozen=True)
class CheckRules:
    language: str  # ISO 639-1 of the target: "es", "ru" or "en"
    banned_terms: tuple[str, ...] = ()  # brand + locale banned terms; may be multi-word
    required_terms: tuple[str, ...] = ()
    # field -> (min chars, max chars); for a list field it bounds each entry
    length_bounds: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    # Text the customer gave (product name, SKU, keywords, brand name): quoted verbatim
    # it is often in another language, so the language check leaves it out.
    known_phrases: tuple[str, ...] = ()
    # The prices the text may quote (the item's own); None turns the price check off.
    # Any other amount next to a currency sign is an invented price.
    prices: tuple[Decimal, ...] | None = None

    def __post_init__(self):
        if self.language not in LANGUAGE_NAMES:
            raise ValueError(f"unsupported content language {self.language!r}")


@dataclass(frozen=True)
class CheckFailure:
    check: str  # one of CHECK_NAMES
    field: str | None  # "description", "bullets.2"; None when about the whole content
    detail: str  # an English sentence for humans and for the model


@dataclass(frozen=True)
class CheckReport:
    failures: tuple[CheckFailure, ...]

    @property
    def passed(self) -> bool:
        return not self.failures

    def feedback(self) -> str:
        """One paragraph for the regeneration prompt; empty when every check passed."""
        if self.passed:
            return ""
        count = len(self.failures)
        items = " ".join(f"({n}) {f.detail}." for n, f in enumerate(self.failures, start=1))
        noun = "check" if count == 1 else "checks"
        return (f"Your previous answer failed {count} {noun}: {items} "
                "Write the content again, fixing every one of these and keeping the same JSON "
                "structure.")

    def as_dict(self) -> dict:
        return {
            "passed": self.passed,
            "failures": [{"check": f.check, "field": f.field, "detail": f.detail}
                         for f in self.failures],
        }


def content_check(content: dict, rules: CheckRules) -> CheckReport:
    """Every check on every string of `content` (list entries as `field.N`)."""
    strings = list(_strings(content))
    banned = [_Term(term, _term_keys(term, rules.language)) for term in rules.banned_terms]
    required = [_Term(term, _term_keys(term, rules.language)) for term in rules.required_terms]
    found_required: set[str] = set()
    failures: list[CheckFailure] = []

    for name, bounds_key, text in strings:
        words = _words(text, rules.language)
        failures += _length_failures(name, text, rules.length_bounds.get(bounds_key))
        for term in banned:
            hits = _find(term.keys, words)
            if hits:
                forms = ", ".join(f"'{form}'" for form in dict.fromkeys(hits))
                failures.append(CheckFailure(
                    "banned_term", name,
                    f"field '{name}' contains the banned term '{term.text}' (found as {forms})"))
        for term in required:
            if term.text not in found_required and _find(term.keys, words):
                found_required.add(term.text)
        failures += _placeholder_failures(name, text)
        failures += _markdown_failures(name, text)
        if rules.prices is not None:
            failures += _price_failures(name, text, rules.prices)
        own_words = _without_phrases(text, rules.known_phrases)
        if _letter_count(own_words) >= MIN_LETTERS_PER_FIELD:
            failures += _language_failures(name, own_words, rules.language)

    for term in required:
        if term.text not in found_required:
            failures.append(CheckFailure(
                "required_term", None,
                f"the required term '{term.text}' does not appear anywhere in the content"))
    whole = _without_phrases("\n".join(text for _, _, text in strings), rules.known_phrases)
    failures += _language_failures(None, whole, rules.language)
    return CheckReport(failures=tuple(failures))


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


def _length_failures(name: str, text: str, bounds) -> list[CheckFailure]:
    if not bounds:
        return []
    low, high = bounds
    size = len(text)
    if low is not None and size < low:
        return [CheckFailure("length", name,
                             f"field '{name}' is {size} characters; the minimum is {low}")]
    if high is not None and size > high:
        return [CheckFailure("length", name,
                             f"field '{name}' is {size} characters; the maximum is {high}")]
    return []


# --- banned and required terms -------------------------------------------------

# Letters and digits; "_" is a \w character but never part of a word in prose.
WORD_RE = re.compile(r"[^\W_]+")
CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")
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


# --- placeholders ------------------------------------------------------------------

PLACEHOLDER_PATTERNS = (
    re.compile(r"\{\{.*?\}\}"),  # {{product_name}}
    re.compile(r"\{[^{}\n]{0,60}\}"),  # {name}; braces never belong in shop copy
    re.compile(r"\[[^\[\]\n]*[^\W\d_][^\[\]\n]*\](?!\()"),  # [Product Name]; not a link
    re.compile(r"<[^\W\d_][^<>\n]{0,60}>"),  # <placeholder>; "< 5 kg" is a comparison
    re.compile(r"lorem ipsum", re.IGNORECASE),
    # Upper case only, and not inside an all-caps phrase: Spanish "todo" means "all"
    # ("TODO INCLUIDO" is a slogan, "TODO: benefits" a leftover).
    re.compile(r"(?<![A-ZÁÉÍÓÚÑ] )\bTODO\b(?! [A-ZÁÉÍÓÚÑ]{2,})"),
    re.compile(r"\b[Xx]{3,}\b"),
)
WHOLE_FIELD_PLACEHOLDER_RE = re.compile(r"\s*n/a\.?\s*", re.IGNORECASE)


def _placeholder_failures(name: str, text: str) -> list[CheckFailure]:
    if WHOLE_FIELD_PLACEHOLDER_RE.fullmatch(text):
        return [CheckFailure("placeholder", name,
                             f"field '{name}' holds only the placeholder '{text.strip()}'")]
    found: dict[str, None] = {}  # ordered set; "{{x}}" also matches the "{x}" pattern
    for pattern in PLACEHOLDER_PATTERNS:
        for match in pattern.finditer(text):
            if not any(match.group() in seen for seen in found):
                found[match.group()] = None
    if not found:
        return []
    tokens = ", ".join(f"'{_sample(token)}'" for token in found)
    return [CheckFailure("placeholder", name,
                         f"field '{name}' contains leftover template placeholders: {tokens}")]


# --- markdown ----------------------------------------------------------------------

MARKDOWN_PATTERNS = (
    ("bold", re.compile(r"\*\*[^*\n]+?\*\*")),
    ("bold", re.compile(r"__[^_\n]+?__")),
    ("heading", re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+\S.*$", re.MULTILINE)),
    ("list marker", re.compile(r"^[ \t]*(?:[-*]|\d{1,3}\.)[ \t]+\S.*$", re.MULTILINE)),
    ("link", re.compile(r"\[[^\]\n]+\]\([^)\s]*\)")),
    ("code", re.compile(r"`[^`\n]{0,40}`?")),
    ("table", re.compile(r"\|[ \t]*:?-{3,}")),
)


def _sample(snippet: str, limit: int = 40) -> str:
    # Enough of the offending line for the model to find it, not the whole paragraph.
    snippet = snippet.strip()
    return snippet if len(snippet) <= limit else snippet[:limit - 1] + "…"


def _markdown_failures(name: str, text: str) -> list[CheckFailure]:
    found = []
    for kind, pattern in MARKDOWN_PATTERNS:
        match = pattern.search(text)
        if match:
            found.append(f"{kind} '{_sample(match.group())}'")
    if not found:
        return []
    return [CheckFailure("markdown", name,
                         f"field '{name}' contains markdown ({'; '.join(found)}); "
                         "write plain text")]


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


def _without_phrases(text: str, phrases: tuple[str, ...]) -> str:
    # Longest first, so a name is removed whole before any keyword inside it.
    for phrase in sorted(filter(None, phrases), key=len, reverse=True):
        text = re.sub(re.escape(phrase), " ", text, flags=re.IGNORECASE)
    return text


def _letter_count(text: str) -> int:
    return sum(1 for char in text if char.isalpha())


def _language_failures(name: str | None, text: str, language: str) -> list[CheckFailure]:
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return []
    subject = f"field '{name}'" if name is not None else "the content"
    target = LANGUAGE_NAMES[language]
    cyrillic = sum(1 for char in letters if CYRILLIC_RE.match(char)) / len(letters)
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
