import datetime
from decimal import Decimal

import pytest

from apps.localization.figures import (
    find_prices,
    format_count,
    format_date_text,
    format_money,
    format_number,
    format_quantity,
    localize_attributes,
)
from apps.localization.locales import locale_get

NBSP = "\u00a0"
NNBSP = "\u202f"  # CLDR puts a narrow no-break space before "г."


@pytest.mark.parametrize("tag, currency, expected", [
    ("ru-RU", "RUB", f"1{NBSP}299,00{NBSP}₽"),
    ("es-ES", "EUR", f"1.299,00{NBSP}€"),
    ("en-US", "USD", "$1,299.00"),
    ("en-GB", "GBP", "£1,299.00"),
    ("es-MX", "MXN", "$1,299.00"),
    ("ru-RU", "EUR", f"1{NBSP}299,00{NBSP}€"),
])
def test_money_is_formatted_the_way_each_market_writes_it(tag, currency, expected):
    assert format_money(Decimal("1299"), currency, locale_get(tag)) == expected


@pytest.mark.parametrize("tag, expected", [
    ("ru-RU", f"12{NBSP}345,5"), ("es-ES", "12.345,5"), ("en-US", "12,345.5"),
    ("es-MX", "12,345.5"),
])
def test_numbers_use_the_markets_separators(tag, expected):
    assert format_number(Decimal("12345.5"), locale_get(tag)) == expected


@pytest.mark.parametrize("tag, value, unit, expected", [
    ("ru-RU", 350, "ml", "350 мл"), ("es-ES", 350, "ml", "350 ml"), ("en-US", 350, "ml", "350 mL"),
    ("ru-RU", Decimal("1.5"), "kg", "1,5 кг"), ("en-GB", Decimal("1.5"), "kg", "1.5 kg"),
    ("ru-RU", 45, "cm", "45 см"), ("ru-RU", 60, "w", "60 Вт"),
])
def test_units_are_localised(tag, value, unit, expected):
    assert format_quantity(value, unit, locale_get(tag)) == expected


@pytest.mark.parametrize("tag, count, expected", [
    ("ru-RU", 1, "1 штука"), ("ru-RU", 3, "3 штуки"), ("ru-RU", 5, "5 штук"),
    ("ru-RU", 11, "11 штук"), ("ru-RU", 21, "21 штука"), ("ru-RU", 22, "22 штуки"),
    ("es-ES", 1, "1 pieza"), ("es-ES", 4, "4 piezas"), ("en-US", 1, "1 piece"),
    ("en-US", 2, "2 pieces"), ("ru-RU", 2, "2 человека"), ("ru-RU", 5, "5 человек"),
])
def test_counts_take_the_right_plural_form(tag, count, expected):
    noun = "person" if expected.endswith(("человек", "человека")) else "piece"
    assert format_count(count, noun, locale_get(tag)) == expected


@pytest.mark.parametrize("tag, expected", [
    ("ru-RU", f"1 марта 2026{NNBSP}г."), ("es-ES", "1 de marzo de 2026"),
    ("en-US", "March 1, 2026"),
    ("en-GB", "1 March 2026"),
])
def test_dates_are_written_out_per_locale(tag, expected):
    assert format_date_text(datetime.date(2026, 3, 1), locale_get(tag)) == expected


def test_attributes_are_named_and_formatted_for_the_locale():
    attributes = {"capacity_ml": 350, "weight": {"value": "1.5", "unit": "kg"}, "pieces": 6,
                  "released": "2026-03-01", "material": "керамика", "rating": 4.5}

    assert localize_attributes(attributes, locale_get("ru-RU")) == {
        "capacity": "350 мл", "weight": "1,5 кг", "pieces": "6 штук",
        "released": f"1 марта 2026{NNBSP}г.", "material": "керамика", "rating": "4,5"}


@pytest.mark.parametrize("text, expected", [
    (f"Всего 1{NBSP}299,00{NBSP}₽ за штуку", Decimal("1299.00")),
    ("Solo 1.299,00 € hoy", Decimal("1299.00")),
    ("Only $1,299.00 today", Decimal("1299.00")),
    ("49.90 EUR", Decimal("49.90")),
    ("12 руб.", Decimal("12")),
])
def test_prices_quoted_in_a_text_are_found_in_any_convention(text, expected):
    (quoted, readings), = find_prices(text)

    assert expected in readings


@pytest.mark.parametrize("text", ["USB 3 ports", "45 cm tall", "SKU-001", "Model X200"])
def test_figures_that_are_not_prices_are_not_taken_for_prices(text):
    assert find_prices(text) == []
