"""CSV import of a job's items and CSV export of its results (no database needed)."""

import csv
import inspect
import io
import itertools
from decimal import Decimal
from types import SimpleNamespace

import pytest

from apps.jobs.csv_io import (
    CsvCellError,
    CsvInvalid,
    items_csv_rows,
    items_from_csv,
    price_normalise,
)

LIMITS = {"max_rows": 100, "max_bytes": 100_000}


def errors_of(data: bytes, **limits) -> list[CsvCellError]:
    with pytest.raises(CsvInvalid) as caught:
        items_from_csv(data, **{**LIMITS, **limits})
    return caught.value.errors


def where(errors: list[CsvCellError]) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in errors]


# --- Import: files that become items -------------------------------------------


def test_a_comma_file_becomes_items_shaped_like_the_json_api():
    data = (b"sku,name,brief,price,currency,keywords,image_urls,attr_color\r\n"
            b"LAMP-1,Desk lamp,Warm light,49.90,EUR,lamp|desk,https://img.example/1.jpg,oak\r\n"
            b"LAMP-2,Floor lamp,,,,,,\r\n")

    items = items_from_csv(data, **LIMITS)

    assert items == [
        {"sku": "LAMP-1", "name": "Desk lamp", "brief": "Warm light",
         "attributes": {"color": "oak"}, "price": "49.90", "currency": "EUR",
         "keywords": ["lamp", "desk"], "image_urls": ["https://img.example/1.jpg"]},
        {"sku": "LAMP-2", "name": "Floor lamp"},  # empty optional cells leave no key
    ]


def test_a_semicolon_file_with_bom_cyrillic_quotes_lists_and_decimal_comma():
    text = ("SKU ; Name;Brief;Price;Currency;Keywords;Image_URLs;attributes.материал\r\n"
            "SAM-1;Самовар «Тула»;\"Медный; на 5 литров\nручная работа\";1299,50;RUB;"
            " чай | самовар ||подарок ;https://img.example/a.jpg|http://img.example/b.jpg;медь\r\n")
    data = "\ufeff".encode() + text.encode("utf-8")

    items = items_from_csv(data, **LIMITS)

    assert items == [{
        "sku": "SAM-1", "name": "Самовар «Тула»",
        "brief": "Медный; на 5 литров\nручная работа",
        "attributes": {"материал": "медь"}, "price": "1299.50", "currency": "RUB",
        "keywords": ["чай", "самовар", "подарок"],
        "image_urls": ["https://img.example/a.jpg", "http://img.example/b.jpg"],
    }]


def test_empty_lines_and_rows_of_empty_cells_are_skipped_but_still_counted_as_rows():
    data = b"sku;name;price\r\n\r\nA;Alpha;\r\n;;\r\n  ;  ;\r\nA;Again;\r\n\r\n"

    errors = errors_of(data)

    # The repeated SKU sits on spreadsheet row 6: blank rows keep their numbers.
    assert errors == [CsvCellError(6, "sku", "This SKU already appears in row 3.")]


def test_blank_lines_do_not_count_against_the_row_limit():
    data = b"sku,name\n\nA,Alpha\n\n,\nB,Beta\n\n"

    assert items_from_csv(data, max_rows=2, max_bytes=1000) == [
        {"sku": "A", "name": "Alpha"}, {"sku": "B", "name": "Beta"}]


@pytest.mark.parametrize(("cell", "price"), [
    ("1299", "1299"),
    ("1299.50", "1299.50"),
    ("1299,50", "1299.50"),
    ("1.299,50", "1299.50"),
    ("1,299.50", "1299.50"),
    ("1\u00a0299,50", "1299.50"),
    ("1 234 567", "1234567"),
    ("1,234,567", "1234567"),
    ("1.234.567,8", "1234567.8"),
    ("1,299", "1.299"),  # one separator is always the decimal one
    ("0,5", "0.5"),
    ("007.10", "7.10"),
    ("0", "0"),
])
def test_price_forms_that_are_accepted(cell, price):
    assert price_normalise(cell) == price


@pytest.mark.parametrize("cell", [
    "12,34,5", "1.299.5", "1,2.3", "1.234,567.5", "1,29,50", "12,", ".5", "-5", "+5",
    "1e3", "12 EUR", "1_000", "１２", "12345678901", "1.23456",
])
def test_price_forms_that_are_refused(cell):
    assert price_normalise(cell) is None


# --- Import: files that are refused whole ------------------------------------------


def test_a_broken_file_reports_every_error_by_row_and_column():
    data = (b"sku,name,price,currency,image_urls\n"
            b"OK-1,Fine,10,EUR,https://img.example/ok.jpg\n"  # row 2
            b"NO-NAME,,,,\n"  # row 3
            b'BAD-PRICE,Broken price,"12,34,5",EUR\n'  # row 4
            b"BAD-URL,Broken URL,,,ftp://img.example/x.jpg|https://ok.example/y.jpg\n"  # row 5
            b"NO-CUR,No currency,9.99,,\n"  # row 6
            b"LOW-CUR,Lower case,9.99,eur,\n")  # row 7

    errors = errors_of(data)

    assert where(errors) == [(3, "name"), (4, "price"), (5, "image_urls"), (6, "currency"),
                             (7, "currency")]
    assert [error.message for error in errors] == [
        "Enter a name.",
        "Enter a price such as 1299.50 or 1299,50 (thousands may be grouped as 1,299.50 or "
        "1.299,50), with at most 4 decimals and 10 digits before them.",
        "“ftp://img.example/x.jpg” is not an http or https URL.",
        "A price needs its currency.",
        "Use a three-letter ISO 4217 code such as EUR.",
    ]


def test_header_problems_are_reported_on_row_1_with_row_errors_after_them():
    data = b"SKU,colour,sku,attributes.,price\nA,red,A,x,-3\n"

    errors = errors_of(data)

    assert errors == [
        CsvCellError(1, "colour", "Unknown column “colour”. Use sku, name, brief, price, "
                                  "currency, keywords, image_urls, variants, or "
                                  "attributes.<name> or "
                                  "attr_<name> for an attribute."),
        CsvCellError(1, "sku", "The column “sku” appears more than once."),
        CsvCellError(1, "attributes.", "The column “attributes.” needs an attribute name after "
                                       "the prefix, such as “attributes.color”."),
        CsvCellError(1, "name", "The required column “name” is missing."),
        CsvCellError(2, "price", "A price cannot be negative."),
        CsvCellError(2, "currency", "A price needs its currency."),
    ]


def test_the_same_attribute_under_both_prefixes_is_a_duplicate_column():
    errors = errors_of("sku,name,attr_Цвет,attributes.цвет\nA,B,x,y\n".encode())

    assert where(errors) == [(1, "attributes.цвет")]


def test_a_duplicate_sku_is_reported_on_the_later_row_naming_the_first():
    data = b"sku,name\nA,One\nB,Two\nA,Three\n"

    assert errors_of(data) == [CsvCellError(4, "sku", "This SKU already appears in row 2.")]


def test_a_row_with_more_cells_than_the_header_is_a_row_error():
    data = b"sku,name\nA,One,surplus\nB,Two,,\n"  # empty trailing cells are harmless

    assert errors_of(data) == [CsvCellError(
        2, "", "This row has 3 cells but the header has only 2 columns.")]


def test_cell_limits_of_the_json_api_are_checked_per_cell():
    keywords = "|".join(f"k{n}" for n in range(31))
    data = (f"sku,name,keywords\n{'S' * 101},{'N' * 301},{keywords}\n"
            f"B,Two,ok|{'x' * 101}\n").encode()

    errors = errors_of(data)

    assert errors == [
        CsvCellError(2, "sku", "Use at most 100 characters; this value has 101."),
        CsvCellError(2, "name", "Use at most 300 characters; this value has 301."),
        CsvCellError(2, "keywords", "At most 30 keywords per item; this row has 31."),
        CsvCellError(3, "keywords", f"The keyword “{'x' * 100}…” is longer than 100 characters."),
    ]


def test_more_rows_than_the_limit_is_one_file_error():
    data = b"sku,name\nA,One\nB,Two\nC,Three\n,\n"

    assert errors_of(data, max_rows=2) == [CsvCellError(
        0, "", "The file has more than 2 item rows; split it into several jobs.")]


def test_a_file_over_the_byte_limit_is_one_file_error_before_parsing():
    data = b"sku,name\nA,One\n"  # 15 bytes

    assert errors_of(data, max_bytes=14) == [CsvCellError(
        0, "", "The file has 15 bytes; the limit is 14 bytes.")]
    assert items_from_csv(data, max_rows=1, max_bytes=15) == [{"sku": "A", "name": "One"}]


@pytest.mark.parametrize("data", [
    "sku;name\nA;Café\n".encode("cp1252"),
    "sku;name\nA;Самовар\n".encode("cp1251"),
    "sku,name\nA,One\n".encode("utf-16-le"),  # valid UTF-8 bytes, but full of NULs
])
def test_a_file_that_is_not_utf8_is_one_file_error(data):
    assert errors_of(data) == [CsvCellError(0, "", "The file is not UTF-8 text.")]


def test_a_file_without_a_header_row_is_refused():
    assert where(errors_of(b"")) == [(0, "")]
    assert where(errors_of(b"\xef\xbb\xbf\r\n")) == [(0, "")]


def test_an_unclosed_quote_is_an_error_instead_of_eating_the_rest_of_the_file():
    data = b'sku,name\nA,"One\nB,Two\n'

    assert errors_of(data) == [CsvCellError(2, "", "This row is not valid CSV: check its quotes.")]


# --- Export ------------------------------------------------------------------------


def product_item(**overrides) -> dict:
    return {"sku": "LAMP-1", "locale": "ru-RU", "variant": 2, "status": "succeeded",
            "model": "gpt-4o-mini",
            "content": {"title": "Лампа", "short_description": "Тёплый свет",
                        "description": "Строка 1\nстрока 2, с запятой",
                        "bullets": ["Дуб", "A | B", "C:\\tmp"], "meta_description": "Мета"},
            "checks": {"passed": True, "violations": []}, "input_tokens": 120,
            "output_tokens": 80, "cost_usd": Decimal("0.00036000"), "error": "", **overrides}


def test_export_header_for_each_kind():
    product = next(items_csv_rows("product_description", []))
    marketing = next(items_csv_rows("marketing_copy", []))

    assert product == ("\ufeffsku,locale,variant,status,model,title,short_description,description,"
                       "bullets,meta_description,checks_passed,quality,input_tokens,"
                       "output_tokens,cost_usd,error\r\n")
    assert marketing == ("\ufeffsku,locale,variant,status,model,headline,body,call_to_action,"
                         "checks_passed,quality,input_tokens,output_tokens,cost_usd,error\r\n")


def test_export_rows_quote_and_escape_and_leave_missing_content_empty():
    failed = SimpleNamespace(sku="LAMP-2", locale="en", variant=1, status="failed",
                             model="gpt-4o",
                             content=None, checks=None, input_tokens=0, output_tokens=0,
                             cost_usd="0.00000000", error='Refused: "unsafe"')

    chunks = list(items_csv_rows("product_description", [product_item(), failed]))

    assert chunks[1:] == [
        'LAMP-1,ru-RU,2,succeeded,gpt-4o-mini,Лампа,Тёплый свет,"Строка 1\nстрока 2, с запятой",'
        "Дуб|A \\| B|C:\\\\tmp,Мета,true,,120,80,0.00036000,\r\n",
        'LAMP-2,en,1,failed,gpt-4o,,,,,,,,0,0,0.00000000,"Refused: ""unsafe"""\r\n',
    ]
    parsed = csv.reader(io.StringIO("".join(chunks).removeprefix("\ufeff"), newline=""))
    assert list(parsed)[1][5:10] == [
        "Лампа", "Тёплый свет", "Строка 1\nстрока 2, с запятой", "Дуб|A \\| B|C:\\\\tmp", "Мета"]


def test_export_checks_failed_and_marketing_copy_fields():
    item = {"sku": "AD-1", "locale": "es-ES", "variant": 3, "status": "needs_review",
            "model": "gpt-4o",
            "content": {"headline": "¡Hola!", "body": "Texto", "call_to_action": "Compra"},
            "checks": {"passed": False, "quality": 41}, "input_tokens": 1, "output_tokens": 2,
            "cost_usd": "0.10000000", "error": ""}

    chunks = list(items_csv_rows("marketing_copy", [item]))

    assert chunks[1] == ("AD-1,es-ES,3,needs_review,gpt-4o,¡Hola!,Texto,Compra,false,41,1,2,"
                         "0.10000000,\r\n")


def test_export_puts_the_bom_on_the_first_chunk_only():
    chunks = list(items_csv_rows("product_description", [product_item(), product_item()]))

    assert [chunk.startswith("\ufeff") for chunk in chunks] == [True, False, False]
    assert all("\ufeff" not in chunk for chunk in chunks[1:])


def test_export_is_a_lazy_generator_reading_items_only_as_far_as_it_is_read():
    consumed = []

    def endless_items():
        for number in itertools.count():
            consumed.append(number)
            yield product_item(sku=f"SKU-{number}")

    rows = items_csv_rows("product_description", endless_items())
    first = list(itertools.islice(rows, 4))  # header + 3 records

    assert inspect.isgenerator(rows)
    assert [chunk.split(",", 1)[0] for chunk in first] == ["\ufeffsku", "SKU-0", "SKU-1", "SKU-2"]
    assert consumed == [0, 1, 2]


def test_export_refuses_an_unknown_kind_before_the_first_byte():
    with pytest.raises(ValueError):
        items_csv_rows("poem", [])


def test_cells_that_would_run_as_spreadsheet_formulas_are_made_inert():
    item = {"sku": "=HYPERLINK(\"http://evil\")", "locale": "en-US", "status": "succeeded",
            "model": "gpt-4o-mini", "content": {"headline": "+1 lamp", "body": "@SUM(A1)",
                                                "call_to_action": "Buy"},
            "checks": None, "input_tokens": 1, "output_tokens": 1, "cost_usd": "0", "error": ""}

    row = list(items_csv_rows("marketing_copy", [item]))[1]

    assert row.startswith("\"'=HYPERLINK(\"\"http://evil\"\")\",en-US")
    assert ",'+1 lamp,'@SUM(A1),Buy," in row
