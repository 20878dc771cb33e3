"""The two ways an item comes in, the JSON API and a CSV upload, draw the line in the
same place: each limit itself passes both, one past it fails both (no database needed)."""

import csv
import io

import pytest

from apps.brands.serializers import LocaleOverrideSerializer
from apps.jobs.csv_io import CsvInvalid, items_from_csv
from apps.jobs.serializers import ItemInputSerializer

IMAGE = "https://img.example/"


def url_of_length(length: int) -> str:
    return IMAGE + "a" * (length - len(IMAGE))


def json_errors(field: str, value) -> list[str]:
    serializer = ItemInputSerializer(data={"sku": "S-1", "name": "Lamp", field: value})
    serializer.is_valid()
    return list(serializer.errors)


def csv_errors(field: str, value) -> list[str]:
    row = {"sku": "S-1", "name": "Lamp", field: "|".join(value) if isinstance(value, list)
           else value}
    out = io.StringIO()
    csv.writer(out).writerows([list(row), list(row.values())])
    try:
        items_from_csv(out.getvalue().encode(), max_rows=10, max_bytes=1_000_000)
    except CsvInvalid as exc:
        return [error.column for error in exc.errors]
    return []


LIMITS = [  # field, the longest value allowed, one past it
    pytest.param("sku", "S" * 100, "S" * 101, id="sku 100 chars"),
    pytest.param("name", "N" * 300, "N" * 301, id="name 300 chars"),
    pytest.param("brief", "B" * 5000, "B" * 5001, id="brief 5000 chars"),
    pytest.param("keywords", [f"k{n}" for n in range(30)], [f"k{n}" for n in range(31)],
                 id="30 keywords"),
    pytest.param("keywords", ["k" * 100], ["k" * 101], id="keyword 100 chars"),
    pytest.param("image_urls", [f"{IMAGE}{n}.jpg" for n in range(10)],
                 [f"{IMAGE}{n}.jpg" for n in range(11)], id="10 image urls"),
    pytest.param("image_urls", [url_of_length(2000)], [url_of_length(2001)],
                 id="image url 2000 chars"),
    pytest.param("currency", "EUR", "EURO", id="currency 3 letters"),
    pytest.param("currency", "RUB", "rub", id="currency upper case"),
]


@pytest.mark.parametrize("field, allowed, refused", LIMITS)
def test_json_and_csv_accept_the_limit_and_refuse_one_past_it(field, allowed, refused):
    assert (json_errors(field, allowed), csv_errors(field, allowed)) == ([], [])
    assert (json_errors(field, refused), csv_errors(field, refused)) == ([field], [field])


@pytest.mark.parametrize("code, valid", [("EUR", True), ("EURO", False), ("eur", False),
                                         ("EU", False)])
def test_a_brand_override_takes_the_same_currency_codes_as_an_item(code, valid):
    serializer = LocaleOverrideSerializer(data={"currency": code})

    assert serializer.is_valid() is valid
    assert serializer.errors == ({} if valid else {"currency": [
        "Use a three-letter ISO 4217 code such as EUR."]})
