"""The simulator's answer to a localize prompt: the source's fields written in the target
language, as a compliant model would: template prose of the source kind, every figure
of the source written the way the target market writes numbers (never grouped, the
target's decimal mark), and the brand glossary's renderings and kept terms.

A script can ask for a faulty localization (`localize_fault`), to test the checks:
- "drop_glossary": the glossary's terms are left out;
- "change_price": the first figure with decimals (a price) is one unit higher;
- "add_size": a size the source does not give ("200 cm") is added.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from .channels import Limit
from .content import (
    KINDS,
    PRODUCT_DESCRIPTION,
    generate_content,
    language_of,
    message_texts,
)

SOURCE_PATTERN = re.compile(r"<source_content>\s*(.*?)\s*</source_content>", re.DOTALL)
SOURCE_KIND_PATTERN = re.compile(r"Source kind:\s*([A-Za-z_:\-]+)")
# The prompt builder's glossary lines (apps.generation.glossary.glossary_prompt_lines).
RENDERING_PATTERN = re.compile(r'^- "(.+?)": write "(.+?)"', re.MULTILINE)
KEPT_PATTERN = re.compile(r'^- "(.+?)": keep (?:exactly as written|as is)', re.MULTILINE)
NUMBER_PATTERN = re.compile(r"\d[\d.,\u00a0\u202f]*\d|\d")

# Locales whose decimal mark is a point; the others (es-ES, ru-RU, de, fr) write a comma.
DECIMAL_POINT_LOCALES = ("en", "es-MX")
FAULTS = ("drop_glossary", "change_price", "add_size")

SENTENCES = {
    "en": {"figures": "The figures: {figures}.", "terms": "Our words for it: {terms}.",
           "size": "Size: {size} cm."},
    "es": {"figures": "Las cifras: {figures}.", "terms": "En pocas palabras: {terms}.",
           "size": "Tamaño: {size} cm."},
    "ru": {"figures": "Цифры: {figures}.", "terms": "Коротко: {terms}.",
           "size": "Размер: {size} см."},
}
ADDED_SIZE = 200


def decimal_point(locale: str) -> bool:
    tag = locale.replace("_", "-")
    return tag in DECIMAL_POINT_LOCALES or tag.split("-")[0] in DECIMAL_POINT_LOCALES


def read_number(token: str, locale: str) -> Decimal | None:
    """A number as the locale writes it ("1,299.00" in en-US, "1.299,00" in es-ES)."""
    decimal_mark, group_marks = (".", ",") if decimal_point(locale) else (",", ".")
    text = token
    for mark in (group_marks, "\u00a0", "\u202f"):
        text = text.replace(mark, "")
    text = text.replace(decimal_mark, ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def write_number(value: Decimal, locale: str) -> str:
    """Ungrouped, with the locale's decimal mark: "1299,00" in es-ES, "1299.00" in en-US."""
    text = format(value, "f")
    return text if decimal_point(locale) else text.replace(".", ",")


def about_as_long(text: str, size: int) -> str:
    """The text's first sentences, as many as it takes to reach 90% of `size`."""
    kept: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        kept.append(sentence)
        if len(" ".join(kept)) >= size * 0.9:
            break
    return " ".join(kept)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [entry for entry in value if isinstance(entry, str)]
    return []


def source_figures(source: dict[str, Any], locale: str) -> list[Decimal]:
    figures: list[Decimal] = []
    for value in source.values():
        for text in _strings(value):
            for match in NUMBER_PATTERN.finditer(text):
                number = read_number(match.group(), locale)
                if number is not None and number not in figures:
                    figures.append(number)
    return figures


def last_user_text(messages: list[Any]) -> list[str]:
    """The text of the last user message (where a localize prompt puts its source)."""
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            texts, _images = message_texts(message)
            return ["\n".join(texts)]
    return []


def read_source(texts: list[str]) -> tuple[dict[str, Any] | None, str, list[str]]:
    """(the source block, the source kind, the glossary's words to use) of a localize
    prompt; the block is None when the prompt is no localize prompt."""
    for text in texts:
        match = SOURCE_PATTERN.search(text)
        if not match:
            continue
        try:
            block = json.loads(match.group(1))
        except ValueError:
            return None, "", []
        kind = SOURCE_KIND_PATTERN.search(text)
        terms = [rendering for _term, rendering in RENDERING_PATTERN.findall(text)]
        terms += KEPT_PATTERN.findall(text)
        return (block if isinstance(block, dict) else None,
                kind.group(1) if kind else PRODUCT_DESCRIPTION, terms)
    return None, "", []


def localize_content(block: dict[str, Any], source_kind: str, locale: str,
                     schema: dict[str, Any] | None, terms: list[str], *,
                     fault: str | None = None, limits: dict[str, Limit] | None = None,
                     language: str | None = None) -> dict[str, Any]:
    language = language or language_of(locale)
    source = block.get("content") if isinstance(block.get("content"), dict) else {}
    kind = source_kind.partition(":")[0]
    data = {"sku": block.get("sku") or "", "name": block.get("name") or ""}
    content = generate_content(kind if kind in KINDS else PRODUCT_DESCRIPTION, language, data,
                               schema, locale=locale, limits=limits)
    content = {name: content.get(name, value) for name, value in source.items()
               if name in content} or content
    # A localization is about as long as its source, as a model adapting it writes it.
    for name, value in content.items():
        if isinstance(value, str) and isinstance(source.get(name), str):
            content[name] = about_as_long(value, len(source[name]))
    sentences = SENTENCES.get(language, SENTENCES["en"])
    figures = source_figures(source, str(block.get("locale") or "en-US"))
    if fault == "change_price":
        priced = next((i for i, f in enumerate(figures) if f != f.to_integral_value()), 0)
        if figures:
            figures[priced] += 1
    extra = []
    if figures:
        extra.append(sentences["figures"].format(
            figures="; ".join(write_number(figure, locale) for figure in figures)))
    if fault == "add_size":
        extra.append(sentences["size"].format(size=ADDED_SIZE))
    if terms and fault != "drop_glossary":
        extra.append(sentences["terms"].format(terms=", ".join(dict.fromkeys(terms))))
    longest = max((name for name, value in content.items() if isinstance(value, str)),
                  key=lambda name: len(content[name]), default=None)
    if longest is not None and extra:
        content[longest] = f"{content[longest].rstrip()} {' '.join(extra)}"
    return content
