"""Characters as the platforms count them, for the limits of the content kinds.

A platform's "30 characters" are what a person sees, not Python's code points: "é" typed
as e + a combining accent is one character, and so is a family emoji made of seven code
points. `grapheme_count` counts extended grapheme clusters (Unicode UAX #29, the `regex`
module's `\\X`), which is how Google Ads, Meta and the email and SEO tools count.

X counts differently (twitter-text v3, which its apps and API use): the text is
NFC-normalised, each code point weighs 1 in the Latin, Cyrillic, Greek and general
punctuation ranges and 2 elsewhere (CJK, most symbols), every emoji sequence weighs 2
whatever its length, and every URL weighs 23 (t.co's length), however long it is. The
limit is 280. `x_weighted_count` follows that configuration; URLs are found as
twitter-text finds the common cases: a scheme or "www." followed by non-space, or a
bare domain under a common top-level domain.
"""

import unicodedata

import regex

_GRAPHEME = regex.compile(r"\X")

X_MAX_WEIGHTED_LENGTH = 280
X_URL_LENGTH = 23
# twitter-text v3's ranges of weight 1 (scale 100 → 1 character); all else weighs 2.
_X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_X_HEAVY = 2
_EMOJI = regex.compile(r"\p{Regional_Indicator}|\uFE0F|\u20E3|\p{Extended_Pictographic}")
_TRAILING = ".,;:!?)]}'\"»”’"
_X_URL = regex.compile(
    r"(?:https?://|www\.)[^\s]+"
    r"|(?<![\w@.])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
    r"(?:com|net|org|io|co|es|ru|uk|de|fr|it|eu|info|biz|me|tv|app|dev|shop|store)"
    r"(?:/[^\s]*)?(?![\w])",
    regex.IGNORECASE)


def grapheme_count(text: str) -> int:
    """User-perceived characters: extended grapheme clusters."""
    return len(_GRAPHEME.findall(text))


def x_weighted_count(text: str) -> int:
    """The length X gives a post (twitter-text v3), which must not exceed 280."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in _X_URL.finditer(text):
        url = match.group().rstrip(_TRAILING)
        total += _x_plain_weight(text[position:match.start()]) + X_URL_LENGTH
        position = match.start() + len(url)
    return total + _x_plain_weight(text[position:])


def _x_plain_weight(text: str) -> int:
    total = 0
    for cluster in _GRAPHEME.findall(text):
        if _is_emoji(cluster):
            total += _X_HEAVY
        else:
            total += sum(_x_code_point_weight(char) for char in cluster)
    return total


def _is_emoji(cluster: str) -> bool:
    # A pictograph below U+1100 without the emoji selector (©, ®, ™'s neighbours) is
    # text as twitter-text reads it; one above, or any sequence, is an emoji.
    if len(cluster) > 1:
        return bool(_EMOJI.search(cluster))
    return ord(cluster) > 0x10FF and bool(_EMOJI.match(cluster))


def _x_code_point_weight(char: str) -> int:
    point = ord(char)
    if any(low <= point <= high for low, high in _X_LIGHT_RANGES):
        return 1
    return _X_HEAVY


COUNTERS = {"graphemes": grapheme_count, "x": x_weighted_count}


def count_characters(text: str, counting: str = "graphemes") -> int:
    """`text`'s length under a field's counting ("graphemes", or "x" for X's weighting)."""
    return COUNTERS[counting](text)
