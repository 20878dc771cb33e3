"""The simulator's answers for the channel kinds (Google search ads, Meta ads, email,
social posts, category pages), in Spanish, Russian and English.

Like a compliant model, it reads each field's limit from the prompt's "Hard limits" block
and writes within it, picking whole sentences and headlines that fit instead of cutting
words; headlines are distinct, and two of them carry the item's keywords when it has
some. `overrun_content` breaks a limit on purpose (a test asks for it in a script entry),
so that the service's regeneration can be tested.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

CHANNEL_KINDS = ("google_rsa", "meta_ad", "email", "social_post", "category_page")
KIND_FIELDS = {
    "google_rsa": ("headlines", "descriptions", "path1", "path2"),
    "meta_ad": ("primary_text", "headline", "description"),
    "email": ("subject", "preheader", "body", "call_to_action"),
    "social_post": ("text",),
    "category_page": ("h1", "intro", "body", "meta_title", "meta_description"),
}


@dataclass(frozen=True)
class ChannelPack:
    """Short copy of one language: ad headlines (≤ 30), ad descriptions (≤ 90, sentences),
    display paths, keyword headline templates, and a 31-character headline."""

    headlines: tuple[str, ...]
    descriptions: tuple[str, ...]
    paths: tuple[str, str]
    keyword_headlines: tuple[str, ...]
    long_headline: str  # exactly 31 characters: one over Google's limit


CHANNEL_PACKS = {
    "en": ChannelPack(
        headlines=("Made to last for years", "Simple and practical design",
                   "Quality you can feel", "Order online today", "Designed for everyday use",
                   "A smart choice for your home", "Easy to clean and care for",
                   "Delivered to your door"),
        descriptions=(
            "Durable materials and a simple design that fits into every home.",
            "Easy to use from the very first day and easy to care for over time.",
            "Order today and enjoy careful quality that lasts for years.",
            "A practical gift for your family and a smart upgrade for yourself."),
        paths=("shop", "collection"),
        keyword_headlines=("{kw} for every room", "Discover our {kw}", "The {kw} you need"),
        long_headline="Warm light for every single day",
    ),
    "es": ChannelPack(
        headlines=("Hecho para durar años", "Diseño sencillo y práctico", "Calidad que se nota",
                   "Pide el tuyo hoy mismo", "Pensado para el día a día",
                   "Una buena elección para casa", "Fácil de limpiar y cuidar",
                   "Envío directo a tu puerta"),
        descriptions=(
            "Materiales resistentes y un diseño sencillo que encaja en cualquier casa.",
            "Muy fácil de usar desde el primer día y fácil de cuidar con el tiempo.",
            "Pide el tuyo hoy y disfruta de una calidad que dura años.",
            "Un regalo práctico para tu familia y una mejora inteligente para ti."),
        paths=("tienda", "novedades"),
        keyword_headlines=("{kw} para cada rincón", "Descubre {kw} hoy", "{kw} de calidad"),
        long_headline="Luz cálida para todos los días",
    ),
    "ru": ChannelPack(
        headlines=("Служит долгие годы", "Простой и удобный дизайн", "Качество, которое видно",
                   "Закажите сегодня", "Создано для каждого дня", "Удачный выбор для дома",
                   "Легко чистить и ухаживать", "Доставка прямо до двери"),
        descriptions=(
            "Прочные материалы и простой дизайн, который подойдёт любому дому.",
            "Удобно пользоваться с первого дня и легко ухаживать со временем.",
            "Закажите сегодня и получите качество, которое служит годами.",
            "Практичный подарок для семьи и удачная покупка для себя."),
        paths=("каталог", "новинки"),
        keyword_headlines=("{kw} для каждой комнаты", "Выбирайте {kw} сегодня",
                           "{kw} высокого качества"),
        long_headline="Тёплый свет для каждого вечера",
    ),
}

# "- headlines: 3 to 15 entries, each at most 30 characters" (the prompt builder's lines).
LIMIT_LINE = re.compile(
    r"^- (?P<name>\w+): (?:(?P<low>\d+) to (?P<high>\d+) entries, each )?at most "
    r"(?P<chars>[\d,]+) characters", re.MULTILINE)
LIMITS_HEADING = "Hard limits"


@dataclass(frozen=True)
class Limit:
    max_chars: int
    min_entries: int | None = None
    max_entries: int | None = None


def read_limits(texts: list[str]) -> dict[str, Limit]:
    """The fields' limits as the prompt states them ({} when it states none)."""
    for text in texts:
        start = text.find(LIMITS_HEADING)
        if start < 0:
            continue
        limits = {}
        for match in LIMIT_LINE.finditer(text[start:]):
            low, high = match.group("low"), match.group("high")
            limits[match.group("name")] = Limit(
                int(match.group("chars").replace(",", "")),
                int(low) if low else None, int(high) if high else None)
        return limits
    return {}


def channel_content(kind: str, language: str, values: dict[str, Any], data: dict[str, Any],
                    rng: random.Random, limits: dict[str, Limit],
                    fields: list[str] | None = None) -> dict[str, Any]:
    """The answer for a channel kind: `values` are the standard draft's texts (title,
    short description, description, body, call to action...), in the target language."""
    pack = CHANNEL_PACKS.get(language, CHANNEL_PACKS["en"])
    keywords = [str(word) for word in data.get("keywords") or [] if str(word).strip()]
    name = str(data.get("name") or "").strip()

    def limit(field_name: str, default: int) -> int:
        found = limits.get(field_name)
        return found.max_chars if found else default

    headlines = _headlines(pack, keywords, rng, limit("headlines", 30))
    descriptions = [text for text in rng.sample(pack.descriptions, k=3)
                    if len(text) <= limit("descriptions", 90)]
    hashtags = " ".join(f"#{word.lower()}" for word in keywords if " " not in word)[:60].strip()
    short = values["short_description"]
    written = {
        "headlines": headlines,
        "descriptions": descriptions,
        "path1": pack.paths[0], "path2": pack.paths[1],
        "primary_text": _fit([short, *pack.descriptions], limit("primary_text", 125)),
        "headline": _fit([values["headline"], *headlines], limit("headline", 40), low=5),
        "description": _fit(pack.headlines[::-1], limit("description", 30), low=5),
        "subject": _fit([values["title"], *headlines], limit("subject", 60), low=10),
        "preheader": _fit([short, *pack.descriptions], limit("preheader", 100), low=20),
        "body": values["body"] if kind == "email" else values["description"],
        "call_to_action": _fit(_calls(values), limit("call_to_action", 40), low=4),
        "text": _post(values, hashtags, limit("text", 280)),
        "h1": _fit([name, values["title"], *headlines], limit("h1", 70), low=5),
        "intro": _fit([short, *pack.descriptions], limit("intro", 600), low=60),
        "meta_title": _fit([values["title"], *headlines], limit("meta_title", 60), low=15),
        "meta_description": _fit([values["meta_description"], *pack.descriptions],
                                 limit("meta_description", 160), low=70),
    }
    return {field_name: written.get(field_name, values["short_description"])
            for field_name in (fields or KIND_FIELDS[kind])}


def _headlines(pack: ChannelPack, keywords: list[str], rng: random.Random,
               max_chars: int) -> list[str]:
    chosen = []
    for keyword, template in zip(keywords, pack.keyword_headlines, strict=False):
        text = template.format(kw=keyword)
        if len(text) <= max_chars:
            chosen.append(text[0].upper() + text[1:])
    plain = [text for text in rng.sample(pack.headlines, k=len(pack.headlines))
             if len(text) <= max_chars]
    return chosen + plain[:8 - len(chosen)]


def _calls(values: dict[str, Any]) -> list[str]:
    return [values["call_to_action"], *values.get("calls", [])]


def _fit(candidates, high: int, low: int = 1) -> str:
    """The first candidate within [low, high] characters; else the shortest cut back to
    whole words."""
    options = [str(text) for text in candidates if text]
    for text in options:
        if low <= len(text) <= high:
            return text
    shortest = min(options, key=len)
    words, cut = shortest.split(), ""
    for word in words:
        if len(f"{cut} {word}".strip()) > high:
            break
        cut = f"{cut} {word}".strip()
    return cut or shortest[:high]


def _post(values: dict[str, Any], hashtags: str, high: int) -> str:
    """Whole sentences of the description while they fit, then the hashtags."""
    sentences = re.split(r"(?<=[.!?])\s+", values["description"])
    room = high - (len(hashtags) + 1 if hashtags else 0)
    text = ""
    for sentence in sentences:
        if len(f"{text} {sentence}".strip()) > room:
            break
        text = f"{text} {sentence}".strip()
    text = text or _fit([values["short_description"]], room)
    return f"{text} {hashtags}".strip() if hashtags else text


def overrun_content(content: dict[str, Any], overrun: dict[str, Any], language: str,
                    filler: str) -> dict[str, Any]:
    """`content` with one limit broken, as a script entry asks:
    {"field": "headlines", "entry": 2, "length": 31} makes that headline 31 characters,
    {"field": "headlines", "entries": 16} gives 16 headlines,
    {"field": "text", "length": 281} makes the post 281 characters."""
    field_name = overrun.get("field")
    if field_name not in content:
        return content
    broken = dict(content)
    value = broken[field_name]
    if isinstance(value, list) and isinstance(overrun.get("entries"), int):
        pack = CHANNEL_PACKS.get(language, CHANNEL_PACKS["en"])
        pool = [*value, *pack.headlines, *pack.descriptions]
        broken[field_name] = [_numbered(pool, index) for index in range(overrun["entries"])]
        return broken
    length = overrun.get("length")
    if not isinstance(length, int):
        return content
    if isinstance(value, list):
        index = int(overrun.get("entry", 0))
        pack = CHANNEL_PACKS.get(language, CHANNEL_PACKS["en"])
        entries = list(value)
        text = pack.long_headline if length == len(pack.long_headline) else \
            _exactly(filler, length)
        entries[min(index, len(entries) - 1)] = text
        broken[field_name] = entries
    else:
        broken[field_name] = _exactly(f"{value} {filler}", length)
    return broken


def _numbered(pool: list[str], index: int) -> str:
    return pool[index % len(pool)]


def _exactly(text: str, length: int) -> str:
    """`text` repeated and cut to exactly `length` characters, ending on a full stop."""
    while len(text) < length:
        text = f"{text} {text}"
    return text[:length - 1] + "."
