"""The content locales the service writes in, and what the prompt needs to know of each.

Locales are full tags with a region (es-ES, es-MX, ru-RU, en-US, en-GB). A bare
language is accepted as shorthand for its default region: es → es-ES, ru → ru-RU,
en → en-US.
"""

from dataclasses import dataclass, field
from functools import cached_property

from babel import Locale


@dataclass(frozen=True)
class ContentLocale:
    tag: str  # BCP 47: "es-MX"
    english_name: str  # used inside prompts, which are written in English
    writing_notes: str
    default_currency: str
    # How to address the reader, by register, in the prompt's words.
    address: dict[str, str] = field(default_factory=dict)

    @property
    def language(self) -> str:
        return self.tag.split("-")[0]

    @cached_property
    def babel(self) -> Locale:
        return Locale.parse(self.tag, sep="-")


_SPANISH_ADDRESS = {"informal": 'Address the reader as "tú".',
                    "formal": 'Address the reader as "usted".'}
_RUSSIAN_ADDRESS = {"informal": 'Address the reader as "ты".',
                    "formal": 'Address the reader as "вы" (lower case).'}
_SPANISH_TYPOGRAPHY = ("Use opening ¿ and ¡ marks where Spanish requires them, and Spanish "
                       "quotation marks « » or “ ”.")

CONTENT_LOCALES: dict[str, ContentLocale] = {
    locale.tag: locale
    for locale in (
        ContentLocale(
            tag="es-ES", english_name="Spanish (Spain)", default_currency="EUR",
            address=_SPANISH_ADDRESS,
            writing_notes=(
                "Write natively in the Spanish of Spain, not as a translation: Peninsular "
                "vocabulary (ordenador, móvil, coche) and vosotros for the plural you. "
                + _SPANISH_TYPOGRAPHY + " Numbers use a decimal comma and a point for "
                "thousands (1.299,00 €)."
            ),
        ),
        ContentLocale(
            tag="es-MX", english_name="Spanish (Mexico)", default_currency="MXN",
            address=_SPANISH_ADDRESS,
            writing_notes=(
                "Write natively in the Spanish of Mexico, not as a translation: Mexican "
                "vocabulary (computadora, celular, carro) and ustedes for the plural you. "
                + _SPANISH_TYPOGRAPHY + " Numbers use a decimal point and a comma for "
                "thousands ($1,299.00)."
            ),
        ),
        ContentLocale(
            tag="ru-RU", english_name="Russian", default_currency="RUB",
            address=_RUSSIAN_ADDRESS,
            writing_notes=(
                "Write natively in Russian, not as a translation. Use « » quotation marks, "
                "the em dash (—) with spaces around it, a decimal comma, a space between "
                "thousands (1 299,00 ₽), and units in Russian (мл, см, кг)."
            ),
        ),
        ContentLocale(
            tag="en-US", english_name="English (United States)", default_currency="USD",
            writing_notes=(
                "Write natively in American English: American spelling (color, center) and "
                "a decimal point with commas for thousands ($1,299.00)."
            ),
        ),
        ContentLocale(
            tag="en-GB", english_name="English (United Kingdom)", default_currency="GBP",
            writing_notes=(
                "Write natively in British English: British spelling (colour, centre), "
                "single quotation marks, and a decimal point with commas for thousands "
                "(£1,299.00)."
            ),
        ),
    )
}

# The documented default region of each bare language.
SHORTHANDS = {"es": "es-ES", "ru": "ru-RU", "en": "en-US"}


def locale_resolve(tag: str) -> ContentLocale | None:
    """The locale for a tag or shorthand, case- and separator-tolerant; None if unsupported."""
    if not isinstance(tag, str):
        return None
    parts = tag.strip().replace("_", "-").split("-")
    if len(parts) == 1:
        canonical = SHORTHANDS.get(parts[0].lower(), "")
    elif len(parts) == 2:
        canonical = f"{parts[0].lower()}-{parts[1].upper()}"
    else:
        return None
    return CONTENT_LOCALES.get(canonical)


def locale_get(tag: str) -> ContentLocale:
    locale = locale_resolve(tag)
    if locale is None:
        raise KeyError(tag)
    return locale


def locale_tags() -> list[str]:
    return list(CONTENT_LOCALES)


def locale_languages() -> list[str]:
    return list(dict.fromkeys(locale.language for locale in CONTENT_LOCALES.values()))
