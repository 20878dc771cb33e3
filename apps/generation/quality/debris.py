"""Leftovers that are not prose: template placeholders, Markdown, and structural debris
(JSON and code fragments, HTML, escapes, runs of spaces or punctuation, text cut off).

Shop copy is plain sentences: it never needs a brace, a tag, a `key: value` line or a
snake_case name, so any of these means the model leaked its scaffolding.
"""

import re

from apps.generation.kinds import BUILTIN_KINDS
from apps.generation.quality.report import CheckFailure, sample

HTML_TAGS = ("a|abbr|b|blockquote|br|code|div|em|h[1-6]|hr|i|img|li|ol|p|pre|s|small|span|"
             "strong|sub|sup|table|tbody|td|th|thead|tr|u|ul")


# --- placeholders ------------------------------------------------------------------

PLACEHOLDER_PATTERNS = (
    re.compile(r"\{\{.*?\}\}"),  # {{product_name}}
    re.compile(r"\{[^{}\n]{0,60}\}"),  # {name}; braces never belong in shop copy
    re.compile(r"\[[^\[\]\n]*[^\W\d_][^\[\]\n]*\](?!\()"),  # [Product Name]; not a link
    # <placeholder>; "< 5 kg" is a comparison, "<b>" HTML (structural debris, below)
    re.compile(rf"<(?!(?:{HTML_TAGS})\b)[^\W\d_][^<>\n]{{0,60}}>"),
    re.compile(r"lorem ipsum", re.IGNORECASE),
    # Upper case only, and not inside an all-caps phrase: Spanish "todo" means "all"
    # ("TODO INCLUIDO" is a slogan, "TODO: benefits" a leftover).
    re.compile(r"(?<![A-ZÁÉÍÓÚÑ] )\bTODO\b(?! [A-ZÁÉÍÓÚÑ]{2,})"),
    re.compile(r"\b[Xx]{3,}\b"),
)
WHOLE_FIELD_PLACEHOLDER_RE = re.compile(r"\s*n/a\.?\s*", re.IGNORECASE)


def placeholder_failures(name: str, text: str) -> tuple[list[CheckFailure], list[str]]:
    """The failure, and the placeholders found (the debris check leaves those out)."""
    if WHOLE_FIELD_PLACEHOLDER_RE.fullmatch(text):
        return [CheckFailure("placeholder", name,
                             f"field '{name}' holds only the placeholder '{text.strip()}'")], [text]
    found: dict[str, None] = {}  # ordered set; "{{x}}" also matches the "{x}" pattern
    for pattern in PLACEHOLDER_PATTERNS:
        for match in pattern.finditer(text):
            if not any(match.group() in seen for seen in found):
                found[match.group()] = None
    if not found:
        return [], []
    tokens = ", ".join(f"'{sample(token)}'" for token in found)
    return [CheckFailure("placeholder", name,
                         f"field '{name}' contains leftover template placeholders: {tokens}")], \
        list(found)


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


def markdown_failures(name: str, text: str) -> list[CheckFailure]:
    found = []
    for kind, pattern in MARKDOWN_PATTERNS:
        match = pattern.search(text)
        if match:
            found.append(f"{kind} '{sample(match.group())}'")
    if not found:
        return []
    return [CheckFailure("markdown", name,
                         f"field '{name}' contains markdown ({'; '.join(found)}); "
                         "write plain text")]


# --- structural debris ---------------------------------------------------------------

DEBRIS_PATTERNS = (
    ("an HTML tag", re.compile(
        rf"<\s*/?\s*(?:{HTML_TAGS})\b[^<>]{{0,80}}/?\s*>|</[^<>\s]{{1,20}}>", re.IGNORECASE)),
    ("an HTML entity", re.compile(r"&(?:[a-z]{2,8}|#\d{2,5}|#x[0-9a-f]{2,4});", re.IGNORECASE)),
    ("an escape sequence", re.compile(r"\\(?:[ntr\"'\\/]|u[0-9a-fA-F]{4})")),
    ("template syntax", re.compile(r"\{%|%\}|\$\{|<%|%>|%\(\w+\)[sd]|(?<!\d)%[sd]\b")),
    ("a JSON key", re.compile(r"\"[\w\s-]{1,40}\"\s*:")),
    ("a code identifier",
     re.compile(r"\b[a-zа-я]+(?:_[a-zа-я0-9]+)+\b|\b[a-z]{2,}[A-Z][a-z]+\w*\b")),
    ("a brace", re.compile(r"[{}]")),
    ("a run of spaces", re.compile(r"[ \t\u00a0]{3,}|\n{3,}")),
    ("a space before punctuation", re.compile(r"(?<=\S)[ \t]+[,;](?!\d)|^[ \t]*[,;.:]",
                                              re.MULTILINE)),
    # "15,6 дюйм., а" is an abbreviation's full stop, not a run: letters before it pass.
    ("a run of punctuation", re.compile(r"[,;:]\s*[,;:.]|(?<![^\W\d_])\.\s*[,;:]|!{2,}|\?{2,}|"
                                        r"\.{4,}|"
                                        r"[-–—_=*~#]{4,}")),
)
# Lines like "material: wool" twice or more: a spec sheet or a dump, not prose.
KEY_VALUE_LINE_RE = re.compile(r"^[ \t]*[\w ]{1,30}:[ \t]*\S.*$", re.MULTILINE)
# The JSON Schema's own words, answered as content ("items", "type", "string").
SCHEMA_WORDS = frozenset({
    "items", "type", "string", "array", "object", "properties", "required", "null",
    "true", "false", "minitems", "maxitems", "minlength",
    *(name for kind in BUILTIN_KINDS.values() for name in kind.field_names),
})
PAIRS = (("(", ")"), ("[", "]"), ("«", "»"), ("¿", "?"), ("¡", "!"))
SENTENCE_END_RE = re.compile(r"[.!?…](?:[\"»”’)\]]*)\s*$")
# A title, bullet or headline may go without a full stop, but never stops on these.
DANGLING_END_RE = re.compile(r"[,:;(\-–—«/&+]\s*$")
DANGLING_WORDS = frozenset({
    # English may end on a preposition ("easy to care for"); never on these.
    "and", "or", "the", "a", "an", "y", "o", "de",
    "del", "la", "el", "los", "las", "con", "para", "por", "en", "un", "una", "и", "или",
    "с", "со", "в", "во", "на", "для", "по", "из", "от", "к", "а", "но",
})


def debris_failures(name: str, key: str, text: str, *, placeholders: list[str],
                    sentence_fields: frozenset[str]) -> list[CheckFailure]:
    """Structural debris in one field; `placeholders` (already reported) are left out."""
    scrubbed = text
    for token in placeholders:
        scrubbed = scrubbed.replace(token, "item")
    found = []
    for kind, pattern in DEBRIS_PATTERNS:
        match = pattern.search(scrubbed)
        if match:
            found.append(f"{kind} '{sample(match.group(), 30)}'")
    if len(KEY_VALUE_LINE_RE.findall(scrubbed)) >= 2:
        found.append("'key: value' lines")
    if scrubbed.strip().strip("\"'.:").lower() in SCHEMA_WORDS:
        found.append(f"the schema word '{sample(scrubbed, 30)}'")
    for opening, closing in PAIRS:
        if _unbalanced(scrubbed, opening, closing):
            found.append(f"an unmatched '{opening}' or '{closing}'")
    if not found and not placeholders:
        found += _cut_off(scrubbed, key in sentence_fields)
    if not found:
        return []
    return [CheckFailure("debris", name,
                         f"field '{name}' contains {'; '.join(found)}: write plain sentences "
                         "with no code, markup or fragments")]


def _unbalanced(text: str, opening: str, closing: str) -> bool:
    if opening in "¿¡":
        # Spanish opens a question or exclamation; closing one alone is fine, and so is
        # any text with no opening mark at all (English, Russian).
        return text.count(opening) > text.count(closing)
    depth = 0
    for char in text:
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth < 0:
                return True
    return depth != 0


def _cut_off(text: str, sentence: bool) -> list[str]:
    stripped = text.rstrip()
    if DANGLING_END_RE.search(stripped):
        return [f"an ending cut mid-sentence ('…{stripped[-20:]}')"]
    last = re.findall(r"[^\W\d_]+", stripped[-30:])
    if last and last[-1].lower() in DANGLING_WORDS and stripped[-1:].isalpha():
        return [f"an ending cut mid-sentence ('…{stripped[-20:]}')"]
    if sentence and not SENTENCE_END_RE.search(stripped):
        return [f"an ending cut mid-sentence ('…{stripped[-20:]}'); end with a full stop"]
    return []
