"""Localized fake content for the LLM simulator, and the reading of the prompt.

The text is template prose, but real sentences in the target language, so that
a language detector recognizes it and length checks behave as with a model.
Variety is deterministic: it comes from a hash of sku + locale. An A/B variant ("This is
variant 2 of 3" in the prompt) is written from the same pools turned round by its number,
so variants come out distinct, as a model asked for another angle would write them.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from typing import Any

from .channels import CHANNEL_KINDS, Limit, channel_content, read_limits

PRODUCT_DESCRIPTION = "product_description"
MARKETING_COPY = "marketing_copy"
KINDS = (PRODUCT_DESCRIPTION, MARKETING_COPY, *CHANNEL_KINDS)

PRODUCT_FIELDS = ("title", "short_description", "description", "bullets", "meta_description")
MARKETING_FIELDS = ("headline", "body", "call_to_action")

DEFAULT_LANGUAGE = "en"
DEFAULT_NAME = "Product"


@dataclass(frozen=True)
class LanguagePack:
    """Sentence pools of one language; `{name}` is the product name, verbatim."""

    titles: tuple[str, ...]
    short_descriptions: tuple[str, ...]
    openers: tuple[str, ...]
    features: tuple[str, ...]
    closers: tuple[str, ...]
    bullets: tuple[str, ...]
    meta_descriptions: tuple[str, ...]
    headlines: tuple[str, ...]
    hooks: tuple[str, ...]
    calls_to_action: tuple[str, ...]
    attributes_sentence: str
    price_sentence: str
    terms_sentence: str


ENGLISH = LanguagePack(
    titles=(
        "{name}: quality you can feel every day",
        "{name}, designed for the way you live",
        "Discover {name}: practical, reliable and well made",
        "{name}: thoughtful design that is built to last",
    ),
    short_descriptions=(
        "{name} combines practical design with reliable quality for everyday use.",
        "{name} is the comfortable and durable choice for every day of the week.",
        "With {name} you get careful design and quality that lasts for years.",
    ),
    openers=(
        "{name} is made for people who expect a lot from the things they use every day.",
        "Meet {name}, a thoughtful choice that combines practical design with lasting quality.",
        "With {name} you get a product that was designed with care and tested in real life.",
    ),
    features=(
        "Every detail has been considered, from the choice of materials to the final finish.",
        "It is easy to use from the very first day, and it keeps working reliably over time.",
        "The design is simple and elegant, so it fits naturally into your home, your office "
        "or your travel bag.",
        "We paid special attention to comfort and durability, because a good product should "
        "make your life easier.",
        "Careful quality control means that you can rely on it for many years.",
        "It is a practical gift for your friends and family, and a smart upgrade for yourself.",
    ),
    closers=(
        "Order {name} today and see the difference for yourself.",
        "Choose it once and enjoy it for a long time.",
        "Your everyday routine deserves something better, and this is it.",
    ),
    bullets=(
        "Durable materials that are built to last",
        "Simple and intuitive design that anyone can use",
        "Easy to clean and easy to care for",
        "Light and comfortable for everyday use",
        "Carefully tested for quality and safety",
        "Great value for the price",
    ),
    meta_descriptions=(
        "{name}: durable, practical and easy to use. Discover all the details and order "
        "online today.",
        "Buy {name} online: thoughtful design, reliable quality and fast delivery to your door.",
    ),
    headlines=(
        "{name}: the upgrade your day has been waiting for",
        "Say hello to {name}",
        "Why everyone is talking about {name}",
    ),
    hooks=(
        "Imagine starting every day with something that simply works.",
        "What if the things you use every day could make your life a little easier?",
    ),
    calls_to_action=(
        "Order yours today!",
        "Discover {name} now and get yours!",
        "Shop now and enjoy it tomorrow!",
    ),
    attributes_sentence="Key details: {attributes}.",
    price_sentence="Price: {price}.",
    terms_sentence="In short: {terms}.",
)

SPANISH = LanguagePack(
    titles=(
        "{name}: calidad que se nota cada día",
        "{name}, diseñado para tu día a día",
        "Descubre {name}: práctico, fiable y bien hecho",
        "{name}: diseño cuidado y resistencia para años",
    ),
    short_descriptions=(
        "{name} combina un diseño práctico con una calidad fiable para el uso diario.",
        "{name} es la opción cómoda y resistente para cada día de la semana.",
        "Con {name} tienes un diseño cuidado y una calidad que dura años.",
    ),
    openers=(
        "{name} está pensado para quienes esperan mucho de las cosas que usan a diario.",
        "Te presentamos {name}, una elección inteligente que combina un diseño práctico con "
        "una calidad duradera.",
        "Con {name} tienes un producto diseñado con mimo y probado en la vida real.",
    ),
    features=(
        "Cada detalle se ha cuidado, desde la elección de los materiales hasta el acabado final.",
        "Es muy fácil de usar desde el primer día y sigue funcionando de forma fiable con el "
        "paso del tiempo.",
        "Su diseño sencillo y elegante encaja de manera natural en tu casa, en la oficina o en "
        "tu equipaje.",
        "Hemos prestado especial atención a la comodidad y a la resistencia, porque un buen "
        "producto debe hacerte la vida más fácil.",
        "Un control de calidad riguroso garantiza que podrás confiar en él durante años.",
        "¿Buscas un regalo práctico para tu familia o tus amigos? Esta es una opción que "
        "siempre acierta.",
    ),
    closers=(
        "¡Pide {name} hoy mismo y descubre la diferencia!",
        "Elígelo una vez y disfrútalo durante mucho tiempo.",
        "¿A qué esperas? Tu día a día merece algo mejor.",
    ),
    bullets=(
        "Materiales resistentes fabricados para durar",
        "Diseño sencillo e intuitivo que cualquiera puede usar",
        "Fácil de limpiar y de mantener",
        "Ligero y cómodo para el uso diario",
        "Calidad y seguridad comprobadas con cuidado",
        "Una excelente relación calidad-precio",
    ),
    meta_descriptions=(
        "{name}: resistente, práctico y fácil de usar. Descubre todos los detalles y haz tu "
        "pedido en línea hoy mismo.",
        "Compra {name} en línea: diseño cuidado, calidad fiable y envío rápido a tu casa.",
    ),
    headlines=(
        "¡{name} ya está aquí!",
        "{name}: la mejora que tu día estaba esperando",
        "¿Por qué todos hablan de {name}?",
    ),
    hooks=(
        "¿Te imaginas empezar cada día con algo que de verdad funciona?",
        "¿Y si las cosas que usas a diario te hicieran la vida un poco más fácil?",
    ),
    calls_to_action=(
        "¡Pídelo hoy mismo!",
        "¡Descubre {name} ahora y consigue el tuyo!",
        "¡Compra ya y disfrútalo desde mañana!",
    ),
    attributes_sentence="Características principales: {attributes}.",
    price_sentence="Precio: {price}.",
    terms_sentence="En resumen: {terms}.",
)

RUSSIAN = LanguagePack(
    titles=(
        "«{name}»: качество, которое чувствуется каждый день",
        "«{name}» — создано для вашей повседневной жизни",
        "Откройте для себя «{name}»: практично, надёжно и удобно",
        "«{name}»: продуманный дизайн и долгий срок службы",
    ),
    short_descriptions=(
        "«{name}» сочетает практичный дизайн и надёжное качество для каждого дня.",
        "«{name}» — удобный и прочный выбор на каждый день недели.",
        "С «{name}» вы получаете продуманный дизайн и качество, которое служит годами.",
    ),
    openers=(
        "«{name}» создан для тех, кто многого ждёт от вещей, которыми пользуется каждый день.",
        "Знакомьтесь: «{name}» — удачное сочетание практичного дизайна и надёжного качества.",
        "С «{name}» вы получаете продукт, который разработан с заботой и проверен в реальной "
        "жизни.",
    ),
    features=(
        "Продумана каждая деталь, от выбора материалов до финальной отделки.",
        "Им легко пользоваться с первого дня, и он надёжно служит долгие годы.",
        "Простой и элегантный дизайн естественно впишется в ваш дом, офис или дорожную сумку.",
        "Мы уделили особое внимание удобству и прочности, потому что хорошая вещь должна "
        "облегчать жизнь.",
        "Тщательный контроль качества позволяет быть уверенным в результате.",
        "Это практичный подарок для друзей и близких и разумное обновление для себя.",
    ),
    closers=(
        "Закажите «{name}» сегодня и почувствуйте разницу сами!",
        "Выберите его один раз и наслаждайтесь долгие годы.",
        "Ваша повседневная жизнь заслуживает лучшего, и это именно оно.",
    ),
    bullets=(
        "Прочные материалы, созданные на долгие годы",
        "Простой и понятный дизайн для каждого",
        "Легко чистить и удобно хранить",
        "Лёгкий и удобный для ежедневного использования",
        "Тщательно проверенное качество и безопасность",
        "Отличное соотношение цены и качества",
    ),
    meta_descriptions=(
        "«{name}»: прочный, практичный и удобный. Узнайте подробности и оформите заказ онлайн "
        "уже сегодня.",
        "Купите «{name}» онлайн: продуманный дизайн, надёжное качество и быстрая доставка.",
    ),
    headlines=(
        "«{name}» уже здесь!",
        "«{name}»: обновление, которого ждал ваш день",
        "Почему все говорят о «{name}»?",
    ),
    hooks=(
        "Представьте, что каждый ваш день начинается с вещи, которая действительно работает.",
        "А что, если привычные вещи могли бы сделать вашу жизнь немного проще?",
    ),
    calls_to_action=(
        "Закажите сегодня!",
        "Откройте для себя «{name}» прямо сейчас!",
        "Купите сейчас и наслаждайтесь уже завтра!",
    ),
    attributes_sentence="Основные характеристики: {attributes}.",
    price_sentence="Цена: {price}.",
    terms_sentence="Коротко о главном: {terms}.",
)

GERMAN = LanguagePack(
    titles=(
        "{name}: Qualität, die man jeden Tag spürt",
        "{name} – entwickelt für Ihren Alltag",
    ),
    short_descriptions=(
        "{name} verbindet praktisches Design mit zuverlässiger Qualität für jeden Tag.",
    ),
    openers=(
        "{name} ist für Menschen gemacht, die von den Dingen des Alltags viel erwarten.",
        "Mit {name} erhalten Sie ein Produkt, das mit Sorgfalt entwickelt und im echten Leben "
        "getestet wurde.",
    ),
    features=(
        "Jedes Detail wurde durchdacht, von der Auswahl der Materialien bis zur letzten "
        "Verarbeitung.",
        "Es ist vom ersten Tag an einfach zu bedienen und funktioniert auch nach Jahren noch "
        "zuverlässig.",
        "Das schlichte und elegante Design passt sich ganz natürlich in Ihr Zuhause, Ihr Büro "
        "oder Ihre Reisetasche ein.",
        "Wir haben besonders auf Komfort und Langlebigkeit geachtet, denn ein gutes Produkt "
        "soll das Leben leichter machen.",
    ),
    closers=(
        "Bestellen Sie {name} noch heute und überzeugen Sie sich selbst!",
        "Einmal ausgewählt, haben Sie lange Freude daran.",
    ),
    bullets=(
        "Robuste Materialien für eine lange Lebensdauer",
        "Einfaches und intuitives Design für jeden",
        "Leicht zu reinigen und zu pflegen",
        "Leicht und bequem für den täglichen Gebrauch",
    ),
    meta_descriptions=(
        "{name}: robust, praktisch und einfach zu bedienen. Entdecken Sie alle Details und "
        "bestellen Sie noch heute online.",
    ),
    headlines=("{name} ist da!", "Warum alle über {name} sprechen"),
    hooks=("Stellen Sie sich vor, jeder Tag beginnt mit etwas, das einfach funktioniert.",),
    calls_to_action=("Jetzt bestellen!", "Entdecken Sie {name} noch heute!"),
    attributes_sentence="Wichtige Merkmale: {attributes}.",
    price_sentence="Preis: {price}.",
    terms_sentence="Kurz gesagt: {terms}.",
)

FRENCH = LanguagePack(
    titles=(
        "{name} : une qualité que l'on ressent chaque jour",
        "{name}, conçu pour votre quotidien",
    ),
    short_descriptions=(
        "{name} allie un design pratique à une qualité fiable pour tous les jours.",
    ),
    openers=(
        "{name} est pensé pour celles et ceux qui attendent beaucoup des objets qu'ils "
        "utilisent chaque jour.",
        "Avec {name}, vous obtenez un produit conçu avec soin et testé dans la vie réelle.",
    ),
    features=(
        "Chaque détail a été soigné, du choix des matériaux jusqu'à la finition.",
        "Il est très simple à utiliser dès le premier jour et reste fiable au fil des années.",
        "Son design simple et élégant trouve naturellement sa place chez vous, au bureau ou "
        "dans votre sac de voyage.",
        "Nous avons accordé une attention particulière au confort et à la solidité, car un bon "
        "produit doit vous faciliter la vie.",
    ),
    closers=(
        "Commandez {name} dès aujourd'hui et voyez la différence par vous-même !",
        "Choisissez-le une fois et profitez-en longtemps.",
    ),
    bullets=(
        "Des matériaux résistants conçus pour durer",
        "Un design simple et intuitif pour tout le monde",
        "Facile à nettoyer et à entretenir",
        "Léger et confortable au quotidien",
    ),
    meta_descriptions=(
        "{name} : solide, pratique et facile à utiliser. Découvrez tous les détails et "
        "commandez en ligne dès aujourd'hui.",
    ),
    headlines=("{name} est arrivé !", "Pourquoi tout le monde parle de {name}"),
    hooks=("Imaginez commencer chaque journée avec un objet qui fonctionne, tout simplement.",),
    calls_to_action=("Commandez dès maintenant !", "Découvrez {name} aujourd'hui !"),
    attributes_sentence="Caractéristiques principales : {attributes}.",
    price_sentence="Prix : {price}.",
    terms_sentence="En bref : {terms}.",
)

LANGUAGE_PACKS: dict[str, LanguagePack] = {
    "en": ENGLISH,
    "es": SPANISH,
    "ru": RUSSIAN,
    "de": GERMAN,
    "fr": FRENCH,
}

# Few attributes, values cut short: specs are often in another language than the
# target, and too many of them would drown the prose a language check looks at.
MAX_ATTRIBUTES_IN_TEXT = 3
MAX_ATTRIBUTE_VALUE_CHARS = 40


# --- reading the prompt -----------------------------------------------------------

KIND_PATTERN = re.compile(r"Content kind:\s*([A-Za-z_\-]+)", re.IGNORECASE)
LOCALE_PATTERN = re.compile(r"Target locale:\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", re.IGNORECASE)
DATA_PATTERN = re.compile(r"<product_data>\s*(.*?)\s*</product_data>", re.DOTALL)
# The prompt builder lists brand terms as a heading followed by "- term" lines.
REQUIRED_TERMS_HEADING = "Always include these terms:"
BANNED_TERMS_HEADING = "Never use these terms:"
VARIANT_PATTERN = re.compile(r"This is variant (\d+) of (\d+)")


@dataclass
class PromptInfo:
    """What the simulator reads from the chat messages."""

    text_chars: int = 0
    image_parts: int = 0
    kind: str = PRODUCT_DESCRIPTION
    locale: str = DEFAULT_LANGUAGE
    data: dict[str, Any] = field(default_factory=dict)
    required_terms: list[str] = field(default_factory=list)
    banned_terms: list[str] = field(default_factory=list)
    variant: int = 1  # the A/B variant asked for, of `variant_count`
    variant_count: int = 1
    limits: dict[str, Limit] = field(default_factory=dict)  # the prompt's "Hard limits"
    # A kind the simulator has no copy for (a workspace's own): the JSON Schema its system
    # message gives, answered from as a model does when the route sends no schema.
    schema: dict[str, Any] | None = None
    # A localize prompt's source (its <source_content> block), source kind and glossary
    # words (renderings and kept terms), read by .localize; None for any other prompt.
    source: dict[str, Any] | None = None
    source_kind: str = ""
    glossary_terms: list[str] = field(default_factory=list)

    @property
    def language(self) -> str:
        return language_of(self.locale)


def language_of(locale: str) -> str:
    return re.split(r"[-_]", locale.strip(), maxsplit=1)[0].lower() or DEFAULT_LANGUAGE


def message_texts(message: Any) -> tuple[list[str], int]:
    """The text parts of one message and its number of image parts."""
    if not isinstance(message, dict):
        return [], 0
    content = message.get("content")
    if isinstance(content, str):
        return [content], 0
    if not isinstance(content, list):
        return [], 0
    texts: list[str] = []
    images = 0
    for part in content:
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, dict):
            if part.get("type") in ("image_url", "input_image", "image"):
                images += 1
            elif isinstance(part.get("text"), str):
                texts.append(part["text"])
    return texts, images


def read_prompt(messages: list[Any]) -> PromptInfo:
    """Counts the prompt and finds kind, locale and product data (last user message first)."""
    info = PromptInfo()
    texts_by_message: list[str] = []
    for message in messages:
        texts, images = message_texts(message)
        info.text_chars += sum(len(text) for text in texts)
        info.image_parts += images
        texts_by_message.append("\n".join(texts))

    search_order = _search_order(messages, texts_by_message)
    kind = _first_match(KIND_PATTERN, search_order)
    if kind:
        normalized = kind.lower().replace("-", "_")
        info.kind = normalized if normalized in KINDS else PRODUCT_DESCRIPTION
        if normalized not in KINDS:
            info.schema = _stated_schema(search_order)
    info.locale = _first_match(LOCALE_PATTERN, search_order) or DEFAULT_LANGUAGE
    info.data = _first_data_block(search_order)
    info.required_terms = _listed_terms(REQUIRED_TERMS_HEADING, search_order)
    info.banned_terms = _listed_terms(BANNED_TERMS_HEADING, search_order)
    last_user = search_order[0] if search_order else ""
    if match := VARIANT_PATTERN.search(last_user):
        info.variant, info.variant_count = int(match.group(1)), int(match.group(2))
    info.limits = read_limits(search_order)
    return info


SCHEMA_MARKER = "matching this JSON Schema:\n"


def _stated_schema(texts: list[str]) -> dict[str, Any] | None:
    for text in texts:
        start = text.rfind(SCHEMA_MARKER)
        if start < 0:
            continue
        try:
            schema = json.loads(text[start + len(SCHEMA_MARKER):].strip())
        except ValueError:
            continue
        if isinstance(schema, dict):
            return schema
    return None


def _search_order(messages: list[Any], texts: list[str]) -> list[str]:
    user_indexes = [
        index
        for index, message in enumerate(messages)
        if isinstance(message, dict) and message.get("role") == "user"
    ]
    last_user = [texts[user_indexes[-1]]] if user_indexes else []
    return last_user + list(reversed(texts))


def _first_match(pattern: re.Pattern[str], texts: list[str]) -> str | None:
    for text in texts:
        match = pattern.search(text)
        if match:
            return match.group(1)
    return None


def _listed_terms(heading: str, texts: list[str]) -> list[str]:
    for text in texts:
        start = text.find(heading)
        if start < 0:
            continue
        terms = []
        for line in text[start + len(heading) :].lstrip("\n").splitlines():
            if not line.startswith("- "):
                break
            terms.append(line[2:].strip())
        return [term for term in terms if term]
    return []


def _first_data_block(texts: list[str]) -> dict[str, Any]:
    for text in texts:
        match = DATA_PATTERN.search(text)
        if not match:
            continue
        try:
            data = json.loads(match.group(1))
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    return {}


# --- writing the content ----------------------------------------------------------


def generate_content(
    kind: str,
    language: str,
    data: dict[str, Any],
    schema: dict[str, Any] | None,
    *,
    locale: str | None = None,
    required_terms: list[str] | tuple[str, ...] = (),
    banned_terms: list[str] | tuple[str, ...] = (),
    variant: int = 1,
    limits: dict[str, Limit] | None = None,
) -> dict[str, Any]:
    """The JSON object a model would answer: the kind's fields, or the schema's properties.

    Brand terms are honoured like a compliant model would: required ones are named
    in the description/body, template sentences holding a banned one are avoided.
    `variant` turns every pool round (variant 1 is the text written without variants).
    """
    pack = LANGUAGE_PACKS.get(language, LANGUAGE_PACKS[DEFAULT_LANGUAGE])
    rng = _rng_for(data, locale or language)
    # Product keywords are for the text to use, as a model would (SEO).
    keywords = data.get("keywords") if isinstance(data.get("keywords"), list) else []
    wanted = tuple(dict.fromkeys([*required_terms, *(str(word) for word in keywords)]))
    terms = _Terms(wanted, tuple(banned_terms))
    draft = _Draft.write(pack, rng, data, terms, turn=max(variant, 1) - 1)
    if kind in CHANNEL_KINDS:
        properties = schema.get("properties") if isinstance(schema, dict) else None
        values = {**draft.values, "calls": [text.format(name=draft.name) for text in
                                            terms.allowed(pack.calls_to_action)]}
        return channel_content(kind, language, values, data, rng, limits or {},
                               list(properties) if isinstance(properties, dict) else None)
    if schema and isinstance(schema.get("properties"), dict):
        # Any other kind (a workspace's own) is answered from its schema, within the
        # limits its prompt states, as a compliant model would.
        return _fill_object(_with_limits(schema, limits or {}), kind, draft)
    fields = MARKETING_FIELDS if kind == MARKETING_COPY else PRODUCT_FIELDS
    return {name: draft.values[name] for name in fields}


def product_name(data: dict[str, Any]) -> str:
    name = data.get("name")
    return str(name).strip() if name not in (None, "") else DEFAULT_NAME


def _rng_for(data: dict[str, Any], locale: str) -> random.Random:
    sku = str(data.get("sku") or product_name(data))
    digest = hashlib.sha256(f"{sku}|{locale}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


@dataclass(frozen=True)
class _Terms:
    required: tuple[str, ...] = ()
    banned: tuple[str, ...] = ()

    def allowed(self, options: tuple[str, ...] | list[str]) -> list[str]:
        """The options free of banned terms; all of them if none is (nothing better to say)."""
        banned = [term.lower() for term in self.banned if term]
        clean = [option for option in options if not any(term in option.lower() for term in banned)]
        return clean or list(options)


@dataclass
class _Draft:
    """Every standard field written once; schema properties are mapped onto them."""

    values: dict[str, Any]
    fillers: list[str]
    spare_bullets: list[str]
    name: str

    @classmethod
    def write(
        cls, pack: LanguagePack, rng: random.Random, data: dict[str, Any], terms: _Terms,
        turn: int = 0,
    ) -> _Draft:
        """`turn` (the variant's number less one) shifts every pick along its pool: one
        sentence for single picks, two for the shuffled features and bullets, so three
        variants share at most one feature sentence and one bullet pairwise."""
        name = product_name(data)

        def pick(options: tuple[str, ...]) -> str:
            allowed = terms.allowed([option.format(name=name) for option in options])
            return allowed[(rng.randrange(len(allowed)) + turn) % len(allowed)]

        def turned(entries: list[str]) -> list[str]:
            shift = (2 * turn) % len(entries) if entries else 0
            return entries[shift:] + entries[:shift]

        features = turned(terms.allowed(rng.sample(pack.features, k=len(pack.features))))
        bullets = turned(terms.allowed(rng.sample(pack.bullets, k=len(pack.bullets))))
        details = _details_sentences(pack, data)
        if terms.required:
            details.append(pack.terms_sentence.format(terms=", ".join(terms.required)))
        description = [pick(pack.openers), *features[:3], *details, pick(pack.closers)]
        body = [pick(pack.hooks), pick(pack.openers), *features[3:5], *details, pick(pack.closers)]
        values = {
            "title": pick(pack.titles),
            "short_description": pick(pack.short_descriptions),
            "description": " ".join(description),
            "bullets": bullets[:3],
            "meta_description": pick(pack.meta_descriptions),
            "headline": pick(pack.headlines),
            "body": " ".join(body),
            "call_to_action": pick(pack.calls_to_action),
            "name": name,
        }
        return cls(values=values, fillers=features, spare_bullets=bullets[3:], name=name)

    def padding(self, index: int) -> str:
        return self.fillers[index % len(self.fillers)]


def _details_sentences(pack: LanguagePack, data: dict[str, Any]) -> list[str]:
    sentences = []
    attributes = data.get("attributes")
    if isinstance(attributes, dict) and attributes:
        shown = list(attributes.items())[:MAX_ATTRIBUTES_IN_TEXT]
        listed = ", ".join(
            f"{_attribute_label(key)}: {_attribute_value(value)}" for key, value in shown
        )
        sentences.append(pack.attributes_sentence.format(attributes=listed))
    price = data.get("price")
    if price not in (None, ""):
        currency = data.get("currency")
        shown_price = f"{price} {currency}" if currency else str(price)
        sentences.append(pack.price_sentence.format(price=shown_price))
    return sentences


def _attribute_label(key: Any) -> str:
    return str(key).replace("_", " ")


def _attribute_value(value: Any) -> str:
    if isinstance(value, list):
        value = ", ".join(str(item) for item in value)
    return str(value)[:MAX_ATTRIBUTE_VALUE_CHARS]


def _with_limits(schema: dict[str, Any], limits: dict[str, Limit]) -> dict[str, Any]:
    """The schema with the prompt's "Hard limits" as its length and count keywords."""
    properties = dict(schema["properties"])
    for name, limit in limits.items():
        sub = properties.get(name)
        if not isinstance(sub, dict):
            continue
        if _schema_type(sub) == "array":
            items = {**(sub.get("items") if isinstance(sub.get("items"), dict) else {}),
                     "maxLength": limit.max_chars}
            sub = {**sub, "items": items}
            if limit.min_entries is not None:
                sub |= {"minItems": limit.min_entries, "maxItems": limit.max_entries}
        else:
            sub = {**sub, "maxLength": limit.max_chars}
        properties[name] = sub
    return {**schema, "properties": properties}


def _fill_object(schema: dict[str, Any], kind: str, draft: _Draft) -> dict[str, Any]:
    return {
        name: _fill_value(name, subschema if isinstance(subschema, dict) else {}, kind, draft)
        for name, subschema in schema["properties"].items()
    }


def _fill_value(name: str, schema: dict[str, Any], kind: str, draft: _Draft) -> Any:
    kind_of_value = _schema_type(schema)
    if kind_of_value == "array":
        return _fill_array(schema, draft)
    if kind_of_value == "object":
        has_properties = isinstance(schema.get("properties"), dict)
        return _fill_object(schema, kind, draft) if has_properties else {}
    if kind_of_value in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind_of_value == "boolean":
        return True
    if "enum" in schema and schema["enum"]:
        return schema["enum"][0]
    source = _draft_key_for(name, kind)
    text = draft.values[source] if source else " ".join(draft.fillers[:2])
    return fit_text(text, schema.get("minLength"), schema.get("maxLength"), draft)


def _schema_type(schema: dict[str, Any]) -> str:
    declared = schema.get("type", "string")
    if isinstance(declared, list):
        declared = next((item for item in declared if item != "null"), "string")
    return declared


def _fill_array(schema: dict[str, Any], draft: _Draft) -> list[Any]:
    items_schema = schema.get("items") if isinstance(schema.get("items"), dict) else {}
    pool = list(draft.values["bullets"]) + draft.spare_bullets
    count = len(draft.values["bullets"])
    if isinstance(schema.get("minItems"), int):
        count = max(count, schema["minItems"])
    if isinstance(schema.get("maxItems"), int):
        count = min(count, schema["maxItems"])
    items = [pool[index % len(pool)] for index in range(count)]
    return [
        fit_text(item, items_schema.get("minLength"), items_schema.get("maxLength"), draft)
        for item in items
    ]


def _draft_key_for(property_name: str, kind: str) -> str | None:
    name = property_name.lower()
    is_marketing = kind == MARKETING_COPY
    rules = (
        (("meta",), "meta_description"),
        (("short", "summary", "subtitle", "tagline"), "short_description"),
        (("headline",), "headline"),
        (("title",), "headline" if is_marketing else "title"),
        (("call_to_action", "cta", "action"), "call_to_action"),
        (("body", "description", "text", "copy"), "body" if is_marketing else "description"),
        (("name",), "name"),
    )
    for needles, key in rules:
        if any(needle in name for needle in needles):
            return key
    return None


def fit_text(
    text: str, min_length: int | None, max_length: int | None, draft: _Draft | None = None
) -> str:
    """Pads with another sentence below min_length; above max_length, keeps the whole
    sentences that fit, else the draft's shorter texts (a title, a call to action) that
    do, else cuts at a word boundary."""
    index = 0
    while isinstance(min_length, int) and len(text) < min_length and draft is not None:
        text = f"{text.rstrip()} {draft.padding(index)}"
        index += 1
    if isinstance(max_length, int) and len(text) > max_length:
        text = _within(text, max_length, draft)
    return text


def _within(text: str, max_length: int, draft: _Draft | None) -> str:
    kept = ""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if len(f"{kept} {sentence}".strip()) > max_length:
            break
        kept = f"{kept} {sentence}".strip()
    if kept:
        return kept
    shorter = [value for value in (draft.values.values() if draft else ())
               if isinstance(value, str) and 0 < len(value) <= max_length]
    return max(shorter, key=len) if shorter else truncate_at_word(text, max_length)


def truncate_at_word(text: str, max_length: int) -> str:
    if max_length <= 0:
        return ""
    cut = text[: max_length + 1]
    boundary = cut.rfind(" ")
    shortened = cut[:boundary] if boundary > 0 else text[:max_length]
    return shortened.rstrip(" ,;:—–-«") or text[:max_length]
