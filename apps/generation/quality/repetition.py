"""Degenerate text: a phrase said over and over, a word stuttered, a field that repeats
another field word for word, the brief pasted back as the answer."""

import re

from apps.generation.quality.report import CheckFailure, sample
from apps.generation.quality.words import TOKEN_RE, fold

NGRAM = 4
MAX_NGRAM_REPEATS = 2  # a four-word phrase may come back once, not twice
MAX_SAME_WORD_RUN = 2  # "very very" is emphasis; "very very very" a loop
# Fields shorter than this may legitimately coincide ("Oak lamp" as title and headline).
MIN_DUPLICATE_CHARS = 25
# A field whose five-word phrases come from the brief this much was copied from it.
BRIEF_SHARE = 0.5
BRIEF_NGRAM = 5


def _tokens(text: str, phrases: tuple[str, ...] = ()) -> list[str]:
    for phrase in sorted(filter(None, phrases), key=len, reverse=True):
        text = re.sub(re.escape(phrase), " \x00 ", text, flags=re.IGNORECASE)
    return [fold(token) for token in TOKEN_RE.findall(text)]


def _ngrams(tokens: list[str], size: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1)]


def repetition_failures(name: str, text: str, phrases: tuple[str, ...]) -> list[CheckFailure]:
    """Loops inside one field; the product's own name may recur as often as it likes."""
    tokens = _tokens(text, phrases)
    counts: dict[tuple[str, ...], int] = {}
    for gram in _ngrams(tokens, NGRAM):
        counts[gram] = counts.get(gram, 0) + 1
    looped = [" ".join(gram) for gram, count in counts.items() if count > MAX_NGRAM_REPEATS]
    run, previous = 1, None
    for token in tokens:
        run = run + 1 if token == previous else 1
        previous = token
        if run > MAX_SAME_WORD_RUN:
            looped.append(" ".join([token] * run))
            break
    if not looped:
        return []
    return [CheckFailure(
        "repetition", name,
        f"field '{name}' repeats itself ('{sample(looped[0], 40)}'); say each thing once")]


def _normalised(text: str) -> str:
    return " ".join(fold(token) for token in TOKEN_RE.findall(text))


def duplicate_failures(strings: list[tuple[str, str]]) -> list[CheckFailure]:
    """A field (or list entry) that says word for word what an earlier one said."""
    seen: dict[str, str] = {}
    failures = []
    for name, text in strings:
        key = _normalised(text)
        if len(key) < MIN_DUPLICATE_CHARS:
            continue
        if key in seen:
            failures.append(CheckFailure(
                "repetition", name,
                f"field '{name}' repeats field '{seen[key]}' word for word; write each field "
                "for its own purpose"))
        else:
            seen[key] = name
    return failures


def brief_failure(name: str, text: str, brief: str) -> CheckFailure | None:
    """The brief pasted back: most of the field's five-word phrases are the brief's."""
    if len(brief) < 40:
        return None
    grams = _ngrams(_tokens(text), BRIEF_NGRAM)
    if not grams:
        return None
    brief_grams = set(_ngrams(_tokens(brief), BRIEF_NGRAM))
    share = sum(1 for gram in grams if gram in brief_grams) / len(grams)
    if share < BRIEF_SHARE:
        return None
    return CheckFailure(
        "repetition", name,
        f"field '{name}' copies the brief ({share:.0%} of its phrases); the brief is "
        "material for the text, not the text")


def repeated_phrases(text: str, phrases: tuple[str, ...]) -> int:
    """How many three-word phrases come back across the whole content (a soft signal)."""
    counts: dict[tuple[str, ...], int] = {}
    for gram in _ngrams(_tokens(text, phrases), 3):
        counts[gram] = counts.get(gram, 0) + 1
    return sum(1 for count in counts.values() if count > 1)
