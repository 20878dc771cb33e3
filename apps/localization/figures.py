"""Figures in the reader's conventions, with Babel (CLDR): money, numbers, units,
counts and dates; and the reverse, finding the prices a text quotes.

The model never sees a raw figure: every number the customer gives is formatted
for the target locale first, so "1299.00 RUB" reaches a Russian prompt as
"1 299,00 ₽" and "capacity_ml: 350" as "350 мл".
"""

import datetime
import re
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, get_currency_symbol
from babel.units import format_unit

from apps.core.validation import decimal_parse_bounded
from apps.localization.locales import ContentLocale

# Attribute-name suffixes that carry a unit, and the CLDR unit each stands for.
UNIT_SUFFIXES = {
    "ml": "volume-milliliter", "l": "volume-liter", "mm": "length-millimeter",
    "cm": "length-centimeter", "m": "length-meter", "km": "length-kilometer",
    "in": "length-inch", "g": "mass-gram", "kg": "mass-kilogram", "lb": "mass-pound",
    "oz": "mass-ounce", "w": "power-watt", "kw": "power-kilowatt", "v": "electric-volt",
    "mah": "electric-milliampere-hour", "h": "duration-hour", "min": "duration-minute",
}
# Attributes that count things, the noun counted, and its forms per CLDR plural
# category. CLDR has no countable "item" unit in Spanish, so the nouns are ours.
COUNT_ATTRIBUTES = {"pieces": "piece", "pack_size": "piece", "set_size": "piece",
                    "seats": "seat", "persons": "person", "people": "person"}
COUNT_NOUNS = {
    "piece": {"en": {"one": "piece", "other": "pieces"},
              "es": {"one": "pieza", "other": "piezas"},
              "ru": {"one": "штука", "few": "штуки", "many": "штук", "other": "штуки"}},
    "seat": {"en": {"one": "seat", "other": "seats"},
             "es": {"one": "plaza", "other": "plazas"},
             "ru": {"one": "место", "few": "места", "many": "мест", "other": "места"}},
    "person": {"en": {"one": "person", "other": "people"},
               "es": {"one": "persona", "other": "personas"},
               "ru": {"one": "человек", "few": "человека", "many": "человек", "other": "человека"}},
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _decimal(value) -> Decimal | None:
    # Bounded before any conversion: "1e1000000" is a short string and a million digits,
    # which int() or Babel would spend minutes on; such a value stays text.
    return decimal_parse_bounded(value)


# Babel reads its patterns on every call, and a catalog repeats its figures (the same
# sizes, prices and materials on a thousand products): each formatting is kept, keyed
# by the figure as written, so "45" and "45.0" stay apart.
FORMAT_CACHE_SIZE = 8192


def format_money(amount, currency: str, locale: ContentLocale) -> str:
    return _format_money(str(amount), currency, locale.babel)


@lru_cache(maxsize=FORMAT_CACHE_SIZE)
def _format_money(amount: str, currency: str, locale: Locale) -> str:
    return format_currency(Decimal(amount), currency, locale=locale)


def format_number(value, locale: ContentLocale) -> str:
    return _format_number(str(value), locale.babel)


@lru_cache(maxsize=FORMAT_CACHE_SIZE)
def _format_number(value: str, locale: Locale) -> str:
    return format_decimal(Decimal(value), locale=locale)


def format_quantity(value, unit: str, locale: ContentLocale) -> str:
    """350, "ml" → "350 мл" (ru), "350 ml" (es), "350 mL" (en-US)."""
    return _format_quantity(str(value), unit.lower(), locale.babel)


@lru_cache(maxsize=FORMAT_CACHE_SIZE)
def _format_quantity(value: str, unit: str, locale: Locale) -> str:
    return format_unit(Decimal(value), UNIT_SUFFIXES[unit], length="short", locale=locale)


def format_count(count: int, noun: str, locale: ContentLocale) -> str:
    """3, "piece" → "3 штуки"; 5 → "5 штук"; 21 → "21 штука" (Russian's three forms)."""
    forms = COUNT_NOUNS[noun][locale.language]
    category = locale.babel.plural_form(count)
    word = forms.get(category, forms["other"])
    return f"{format_decimal(count, locale=locale.babel)} {word}"


def format_date_text(value: datetime.date, locale: ContentLocale) -> str:
    return format_date(value, format="long", locale=locale.babel)


def localize_value(name: str, value, locale: ContentLocale) -> tuple[str, object]:
    """One attribute, named and formatted for the locale:
    ("capacity_ml", 350) → ("capacity", "350 мл")."""
    base, _, suffix = name.rpartition("_")
    number = _decimal(value)
    if number is not None and base and suffix.lower() in UNIT_SUFFIXES:
        return base, format_quantity(number, suffix, locale)
    if isinstance(value, dict) and {"value", "unit"} <= set(value) and \
            str(value["unit"]).lower() in UNIT_SUFFIXES and _decimal(value["value"]) is not None:
        return name, format_quantity(_decimal(value["value"]), str(value["unit"]), locale)
    if name in COUNT_ATTRIBUTES and number is not None and number == number.to_integral():
        return name, format_count(int(number), COUNT_ATTRIBUTES[name], locale)
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return name, format_date_text(datetime.date.fromisoformat(value), locale)
        except ValueError:
            return name, value
    if number is not None and not isinstance(value, str):
        return name, format_number(number, locale)
    return name, value


def localize_attributes(attributes: dict, locale: ContentLocale) -> dict:
    localized = {}
    for name, value in attributes.items():
        key, formatted = localize_value(str(name), value, locale)
        localized[key] = formatted
    return localized


# --- Prices quoted in a text --------------------------------------------------------

# Codes of the currencies customers sell in, not any three capitals ("USB 3" is no price).
_CURRENCY_CODES = ("EUR", "USD", "GBP", "RUB", "MXN", "JPY", "CNY", "CHF", "PLN", "SEK", "NOK",
                   "DKK", "CZK", "TRY", "BRL", "ARS", "CLP", "COP", "PEN", "CAD", "AUD", "KZT",
                   "UAH", "BYN", "INR")
_CURRENCY_WORDS = "|".join([*_CURRENCY_CODES, r"руб\.?", r"р\.", "€", r"US\$", r"MX\$", r"\$",
                            "£", "₽", "¥"])
_AMOUNT = r"\d[\d\s\u00a0\u202f.,']*\d|\d"
_PRICE = re.compile(
    rf"(?:(?P<pre>{_CURRENCY_WORDS})\s?(?P<a>{_AMOUNT}))|(?:(?P<b>{_AMOUNT})\s?(?P<post>{_CURRENCY_WORDS}))"
)


def number_readings(text: str) -> set[Decimal]:
    """Every value the digits can mean: "1.299" is 1299 in Spain and 1.299 in the US.
    A figure past the parsing bounds has no reading (it stays text)."""
    compact = re.sub(r"[\s\u00a0\u202f']", "", text)
    values = set()
    for decimal_mark, group_mark in ((",", "."), (".", ",")):
        candidate = compact.replace(group_mark, "").replace(decimal_mark, ".")
        if candidate.count(".") <= 1:
            number = _decimal(candidate)
            if number is not None:
                values.add(number)
    return values


def find_prices(text: str) -> list[tuple[str, set[Decimal]]]:
    """The amounts a text quotes next to a currency sign or code, with their readings."""
    found = []
    for match in _PRICE.finditer(text):
        amount = match.group("a") or match.group("b")
        readings = number_readings(amount)
        if readings:
            found.append((match.group(0).strip(), readings))
    return found


def currency_symbols(currency: str, locale: ContentLocale) -> set[str]:
    return {currency, get_currency_symbol(currency, locale=locale.babel)}
