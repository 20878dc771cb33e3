"""Every kind's fields get sane minimums, so "{" is never a description: characters and
words per field (each list entry counts on its own), and which fields are sentences; the
figures are the kind's own (apps.generation.kinds). A brand's `length_bounds` replace the
character minimum, and a lower one lowers the word minimum with it (a brand that wants
four-word bullets gets them); a brand's maximum never lifts a platform's limit."""

from apps.generation.kinds import KindSpec, kind_resolve


def field_bounds(kind: "str | KindSpec", brand_bounds: dict | None
                 ) -> tuple[dict[str, tuple[int | None, int | None]], dict[str, int]]:
    """(field -> (min chars, max chars), field -> min words) for a kind under a brand."""
    lengths, words = {}, {}
    for spec in kind_resolve(kind).fields:
        low, low_words, high = spec.min_chars, spec.min_words, spec.max_chars
        bound = (brand_bounds or {}).get(spec.name) or {}
        if bound.get("max"):
            high = min(high, bound["max"]) if spec.platform_limit else bound["max"]
        if bound.get("min") is not None:
            brand_low = int(bound["min"])
            if brand_low < low:
                low_words = max(1, low_words * brand_low // low)
            low = brand_low
        lengths[spec.name] = (low, high)
        words[spec.name] = low_words
    return lengths, words


def sentence_fields(kind: "str | KindSpec") -> frozenset[str]:
    """The kind's fields written as sentences: one that does not end like one was cut."""
    return frozenset(spec.name for spec in kind_resolve(kind).fields if spec.sentence)
