"""How alike two versions of one content are: the distinctness check of A/B variants.

The measure, as chosen: every text field of a content (list entries included) is joined,
Unicode-normalised (NFKC), case-folded, "ё" read as "е" and Latin accents dropped, then
split into words (runs of letters and digits); the similarity of two contents is the
Jaccard index of their sets of word bigrams (two consecutive words), 0.0 to 1.0.

Bigrams, not single words: two honest variants about one product share its name, its
figures and the language's common words, which single words would count as likeness.
Bigrams, not longer shingles: a rewording that swaps a word in three keeps most of its
bigrams and would slip under a trigram measure. The threshold, NEAR_DUPLICATE, is set on
the examples in tests/generation/test_similarity.py (es, ru, en): a rewording of one text
(a word in six swapped for a synonym) scores 0.55 to 0.60 and the same sentences reordered
0.76 to 0.88, while a text written from another angle about the same product scores under
0.1. Nothing here knows of jobs.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# At or above this, a variant is too close to another one to be an A/B alternative.
NEAR_DUPLICATE = 0.4

WORD_RE = re.compile(r"[^\W_]+")
# Latin accents go ("económico" = "economico"), as the term checks read them; Cyrillic
# letters stay as they are ("й" is not "и").
LATIN_ACCENTED = str.maketrans("áàâäãåéèêëíìîïóòôöõúùûüñç", "aaaaaaeeeeiiiiooooouuuunc")


@dataclass(frozen=True)
class SiblingContent:
    """Another variant of the same item and locale, as stored."""

    variant: int
    content: dict


@dataclass(frozen=True)
class Likeness:
    variant: int
    score: float  # 0.0 (nothing in common) to 1.0 (the same words in the same order)


def content_words(content: dict) -> list[str]:
    """The normalised words of every text field of `content`, fields in key order."""
    return normalised_words(" ".join(_texts(content)))


def normalised_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return WORD_RE.findall(folded.translate(LATIN_ACCENTED))


def word_bigrams(words: list[str]) -> frozenset[tuple[str, ...]]:
    """The text's word bigrams; a one-word text is its one word."""
    if len(words) < 2:
        return frozenset((word,) for word in words)
    return frozenset(zip(words, words[1:], strict=False))


def text_similarity(first: str, second: str) -> float:
    """The Jaccard index of the two texts' word bigrams: 1.0 for the same text, 0.0 when
    they share no two consecutive words (and for two empty texts)."""
    return _jaccard(word_bigrams(normalised_words(first)), word_bigrams(normalised_words(second)))


def content_similarity(first: dict, second: dict) -> float:
    """`text_similarity` over every text field of two contents of one kind."""
    return _jaccard(word_bigrams(content_words(first)), word_bigrams(content_words(second)))


def most_similar(content: dict, siblings: Iterable[SiblingContent]) -> Likeness | None:
    """The sibling closest to `content`, or None when there is none."""
    shingles = word_bigrams(content_words(content))
    scores = [Likeness(s.variant, _jaccard(shingles, word_bigrams(content_words(s.content))))
              for s in siblings]
    return max(scores, key=lambda likeness: (likeness.score, -likeness.variant), default=None)


def _jaccard(first: frozenset, second: frozenset) -> float:
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def _texts(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        # In the order of the keys, not of the dict: a content read back from
        # PostgreSQL's jsonb has its keys in another order than a parsed answer, and the
        # bigrams across two fields must not depend on it.
        for key in sorted(value):
            yield from _texts(value[key])
    elif isinstance(value, list | tuple):
        for entry in value:
            yield from _texts(entry)
