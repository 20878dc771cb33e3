"""Every kind's fields get sane minimums, so "{" is never a description: characters and
words per field (each bullet counts on its own), and which fields are sentences.
A brand's `length_bounds` replace the character minimum, and a lower one lowers the
word minimum with it (a brand that wants four-word bullets gets them)."""

from apps.generation.schemas import CONTENT_FIELDS

# kind -> field -> (min characters, min words)
FIELD_MINIMUMS = {
    "product_description": {
        "title": (10, 2),
        "short_description": (40, 6),
        "description": (200, 30),
        "bullets": (12, 3),
        "meta_description": (50, 7),
    },
    "marketing_copy": {
        "headline": (10, 2),
        "body": (60, 10),
        "call_to_action": (4, 1),
    },
}
SENTENCE_FIELDS = {
    "product_description": frozenset({"short_description", "description"}),
    "marketing_copy": frozenset({"body"}),
}


def field_bounds(kind: str, brand_bounds: dict | None
                 ) -> tuple[dict[str, tuple[int | None, int | None]], dict[str, int]]:
    """(field -> (min chars, max chars), field -> min words) for a kind under a brand."""
    lengths, words = {}, {}
    for name, limit in CONTENT_FIELDS[kind].items():
        low, low_words = FIELD_MINIMUMS[kind][name]
        high = limit
        bound = (brand_bounds or {}).get(name) or {}
        if bound.get("max"):
            high = bound["max"]
        if bound.get("min") is not None:
            brand_low = int(bound["min"])
            if brand_low < low:
                low_words = max(1, low_words * brand_low // low)
            low = brand_low
        lengths[name] = (low, high)
        words[name] = low_words
    return lengths, words
