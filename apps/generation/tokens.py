"""Token estimates for routing and cost estimates; bills use the provider's usage."""

import math


def estimate_tokens(text: str) -> int:
    # BPE tokenizers spend about 4 characters per token on Latin text and fewer on
    # Cyrillic (about 2.5); an estimate is all routing and quoting need.
    ascii_chars = sum(1 for char in text if ord(char) < 128)
    other_chars = len(text) - ascii_chars
    return math.ceil(ascii_chars / 4 + other_chars / 2.5)
