"""The rules the checks take and the report they give: plain data, shared by every
check module and re-exported by `apps.generation.checks`."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

LANGUAGE_NAMES = {"es": "Spanish", "ru": "Russian", "en": "English"}


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
    # field -> minimum words (each entry of a list field); see quality.defaults.
    min_words: dict[str, int] = field(default_factory=dict)
    # Fields written as sentences: one that does not end like a sentence was cut off.
    sentence_fields: frozenset[str] = frozenset()
    # Everything the item's data says, as the model saw it (figures formatted for the
    # locale) and as the customer sent it; None turns the figure and echo checks off.
    source: "SourceData | None" = None
    # Below this score (0-100) the content fails even when no single check did.
    min_quality: int = 0
    # The brand glossary's terms for this item (apps.generation.glossary); None: none apply.
    glossary: "ContentCheck | None" = None
    # Content localized from a source (apps.generation.localize_checks.LocalizationCheck):
    # figure fidelity, length ratio and the glossary against the source; None otherwise.
    localization: "ContentCheck | None" = None
    # The other A/B variants of the item already written (similarity.SiblingContent): a
    # content too close to one of them fails the "distinct" check.
    siblings: tuple = ()
    # The kind's own rules (apps.generation.kinds): field -> how its characters are
    # counted ("x" for X's weighting; user-perceived characters otherwise), field -> at
    # most this many hashtags, list fields whose entries must not reword one another,
    # and (field, minimum, keywords): at least `minimum` entries carry a keyword.
    counting: dict[str, str] = field(default_factory=dict)
    max_hashtags: dict[str, int] = field(default_factory=dict)
    distinct_fields: tuple[str, ...] = ()
    keyword_entries: "tuple[str, int, tuple[str, ...]] | None" = None

    def __post_init__(self):
        if self.language not in LANGUAGE_NAMES:
            raise ValueError(f"unsupported content language {self.language!r}")


class ContentCheck(Protocol):
    """A check over the content's strings, (report name, text), built by the caller."""

    def failures(self, strings: list[tuple[str, str]]) -> list["CheckFailure"]: ...


@dataclass(frozen=True)
class SourceData:
    """The item's own data: the texts whose numbers and words the content may quote."""

    texts: tuple[str, ...]  # name, SKU, attribute keys and values, price, keywords
    brief: str = ""  # the free-text brief; pasted back, it is not an answer


@dataclass(frozen=True)
class CheckFailure:
    check: str  # one of CHECK_NAMES
    field: str | None  # "description", "bullets.2"; None when about the whole content
    detail: str  # an English sentence for humans and for the model


@dataclass(frozen=True)
class CheckReport:
    failures: tuple[CheckFailure, ...]
    # 0-100 (see quality.score); None for a report rebuilt without one
    quality: int | None = None

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
            "quality": self.quality,
            "failures": [{"check": f.check, "field": f.field, "detail": f.detail}
                         for f in self.failures],
        }


def sample(snippet: str, limit: int = 40) -> str:
    """Enough of the offending text for the model to find it, not the whole paragraph."""
    snippet = snippet.strip()
    return snippet if len(snippet) <= limit else snippet[:limit - 1] + "…"
