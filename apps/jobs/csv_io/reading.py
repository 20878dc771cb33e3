"""A job's items from an uploaded CSV file.

Every cell is validated so that a spreadsheet user gets all problems of the file at
once, by row and column, and nothing is written unless the whole file is clean.
"""

import csv
import io
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from apps.core.csvtext import CsvCellError, CsvInvalid, csv_delimiter, csv_text
from apps.core.validation import CURRENCY_CODE_MESSAGE, CURRENCY_CODE_RE
from apps.jobs import limits

# A campaign brief's text columns and their limits (its `products` are JSON-only).
BRIEF_COLUMNS = (("campaign", limits.CAMPAIGN_MAX_CHARS), ("audience", limits.AUDIENCE_MAX_CHARS),
                 ("offer", limits.OFFER_MAX_CHARS), ("landing_url", limits.LANDING_URL_MAX_CHARS),
                 ("tone_override", limits.TONE_OVERRIDE_MAX_CHARS))
KNOWN_COLUMNS = ("sku", "name", "brief", "price", "currency", "keywords", "image_urls",
                 "variants")
# Taken too, but not listed in the unknown-column message, which names a product's columns.
ACCEPTED_COLUMNS = (*KNOWN_COLUMNS, *(column for column, _limit in BRIEF_COLUMNS))
REQUIRED_COLUMNS = ("sku", "name")
ATTRIBUTE_PREFIXES = ("attributes.", "attr_")
# A `localize` job's file: the sku, the name if wanted, the source's locale and one
# `source.<field>` column per field of the source content (a list field |-separated).
LOCALIZE_COLUMNS = ("sku", "name", "source_locale")
LOCALIZE_REQUIRED_COLUMNS = ("sku", "source_locale")
SOURCE_PREFIX = "source."
LIST_SEPARATOR = "|"

DIGITS_RE = re.compile(r"[0-9]+")
# Spreadsheets in ru, fr and others group thousands with a (narrow) no-break space.
SPACE_SEPARATORS = frozenset(" \u00a0\u202f")


# --- Import ------------------------------------------------------------------


def items_from_csv(data: bytes, *, max_rows: int, max_bytes: int,
                   source_lists: frozenset[str] | None = None) -> list[dict]:
    """The items of an uploaded CSV, each shaped like an item of the JSON API.

    Optional keys are present only when the file gives them a value. Raises
    CsvInvalid with all the errors of the file when anything is wrong. With
    `source_lists` (the list fields of its source kind), the file is a `localize` job's:
    sku, name, source_locale and `source.<field>` columns.
    """
    if len(data) > max_bytes:
        raise CsvInvalid([CsvCellError(0, "", _(
            "The file has %(size)s bytes; the limit is %(limit)s bytes.") % {
            "size": len(data), "limit": max_bytes})])
    text = csv_text(data)
    if text is None:
        raise CsvInvalid([CsvCellError(0, "", _("The file is not UTF-8 text."))])

    # strict: an unclosed quote is an error rather than silently eating the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text),
                        quotechar='"', skipinitialspace=True, strict=True)
    errors: list[CsvCellError] = []
    items: list[dict] = []
    try:
        header = next(reader, None)
    except csv.Error:
        raise CsvInvalid([CsvCellError(1, "", _(
            "This row is not valid CSV: check its quotes."))]) from None
    if header is None or _is_blank(header):
        raise CsvInvalid([CsvCellError(0, "", _(
            "The file has no header row; the first row names the columns, such as “sku,name”."))])
    localizing = source_lists is not None
    columns = _columns(header, errors, localizing=localizing)

    first_row_of_sku: dict[str, int] = {}
    row = 1
    while True:
        row += 1
        try:
            record = next(reader, None)
        except csv.Error:
            # The reader cannot resynchronise reliably after a quoting error.
            errors.append(CsvCellError(row, "", _("This row is not valid CSV: check its quotes.")))
            break
        if record is None:
            break
        if _is_blank(record):
            continue
        if len(items) >= max_rows:
            # Stop reading: the file has to be split anyway, and cell errors of a
            # file this size would only bury the one message that matters.
            raise CsvInvalid([CsvCellError(0, "", _(
                "The file has more than %(limit)s item rows; split it into several jobs.") % {
                "limit": max_rows})])
        item = (_source_item(row, record, columns, errors, source_lists) if localizing
                else _item(row, record, columns, errors))
        sku = item.get("sku")
        if sku:
            if sku in first_row_of_sku:
                errors.append(CsvCellError(row, columns.names["sku"], _(
                    "This SKU already appears in row %(row)s.") % {"row": first_row_of_sku[sku]}))
            else:
                first_row_of_sku[sku] = row
        items.append(item)

    if errors:
        raise CsvInvalid(errors)
    return items


@dataclass(frozen=True)
class _Columns:
    by_index: dict[int, tuple[str, str]]  # cell index -> ("sku", "") or ("attributes", key)
    names: dict[str, str]  # known column -> its header text, for error reports
    unnamed: frozenset[int]  # indexes of header cells left empty
    width: int


def _is_blank(record: list[str]) -> bool:
    # Spreadsheets save an empty row as ";;;", not as an empty line.
    return all(not cell.strip() for cell in record)


def _columns(header: list[str], errors: list[CsvCellError], *,
             localizing: bool = False) -> _Columns:
    """What each header cell is, for a product file or (`localizing`) a localize file;
    every unknown, repeated or missing column is an error of row 1."""
    read = _localize_column if localizing else _product_column
    by_index, names, unnamed, seen = {}, {}, set(), set()
    for index, cell in enumerate(header):
        title = cell.strip().strip("\ufeff").strip()
        if not title:
            unnamed.add(index)
            continue
        column = read(title, errors)
        if column is None:
            continue
        target, identity = column
        if identity in seen:
            errors.append(CsvCellError(1, title, _(
                "The column “%(column)s” appears more than once.") % {"column": title}))
            continue
        seen.add(identity)
        by_index[index] = target
        # A named column by its name, a source field's by its title (an attribute's is
        # not named: a file need not have any).
        if target[0] != "attributes":
            names[title if target[0] == "source" else target[0]] = title
    for column in LOCALIZE_REQUIRED_COLUMNS if localizing else REQUIRED_COLUMNS:
        if column not in names:
            errors.append(CsvCellError(1, column, _(
                "The required column “%(column)s” is missing.") % {"column": column}))
    if localizing and not any(target[0] == "source" for target in by_index.values()):
        errors.append(CsvCellError(1, "", _(
            "The file has no source.<field> column, such as “source.title”.")))
    return _Columns(by_index=by_index, names=names, unnamed=frozenset(unnamed), width=len(header))


def _product_column(title: str, errors: list[CsvCellError]) -> tuple[tuple, str] | None:
    """(target, identity) of a product file's column; None (and an error) for another."""
    lowered = title.casefold()
    prefix = next((p for p in ATTRIBUTE_PREFIXES if lowered.startswith(p)), None)
    if lowered in ACCEPTED_COLUMNS:
        return (lowered, ""), lowered
    if prefix is not None and title[len(prefix):].strip():
        key = title[len(prefix):].strip()
        return ("attributes", key), "attributes." + key.casefold()
    if prefix is not None:
        errors.append(CsvCellError(1, title, _(
            "The column “%(column)s” needs an attribute name after the prefix, "
            "such as “attributes.color”.") % {"column": title}))
    else:
        errors.append(CsvCellError(1, title, _(
            "Unknown column “%(column)s”. Use %(known)s, or attributes.<name> "
            "or attr_<name> for an attribute.") % {
            "column": title, "known": ", ".join(KNOWN_COLUMNS)}))
    return None


def _localize_column(title: str, errors: list[CsvCellError]) -> tuple[tuple, str] | None:
    """(target, identity) of a localize file's column; None (and an error) for another."""
    lowered = title.casefold()
    if lowered in LOCALIZE_COLUMNS:
        return (lowered, ""), lowered
    if lowered.startswith(SOURCE_PREFIX) and title[len(SOURCE_PREFIX):].strip():
        key = title[len(SOURCE_PREFIX):].strip()
        return ("source", key), SOURCE_PREFIX + key.casefold()
    errors.append(CsvCellError(1, title, _(
        "Unknown column “%(column)s”. A localization takes %(known)s and a "
        "source.<field> column per field of the source, such as “source.title”.") % {
        "column": title, "known": ", ".join(LOCALIZE_COLUMNS)}))
    return None


def _source_item(row: int, record: list[str], columns: _Columns, errors: list[CsvCellError],
                 source_lists: frozenset[str]) -> dict:
    """A localize job's row: sku, name, source_locale and the source's fields (a list
    field's entries |-separated); the job checks the fields against the source kind."""
    item: dict = {"source": {}}
    for index, raw in enumerate(record[:columns.width]):
        target = columns.by_index.get(index)
        value = raw.strip()
        if target is None or not value:
            continue
        name, key = target
        if name == "source":
            item["source"][key] = _split_list(value) if key in source_lists else value
        else:
            item[name] = value
    if len(record) > columns.width and any(cell.strip() for cell in record[columns.width:]):
        errors.append(CsvCellError(row, "", _(
            "This row has %(count)s cells but the header has only %(columns)s "
            "columns.") % {"count": len(record), "columns": columns.width}))
    for column, limit in (("sku", limits.SKU_MAX_CHARS), ("name", limits.NAME_MAX_CHARS)):
        if len(item.get(column, "")) > limit:
            errors.append(CsvCellError(row, columns.names[column],
                                       _too_long(item[column], limit)))
    if "sku" in columns.names and not item.get("sku"):
        errors.append(CsvCellError(row, columns.names["sku"], _("Enter a SKU.")))
    if "source_locale" in columns.names and not item.get("source_locale"):
        errors.append(CsvCellError(row, columns.names["source_locale"],
                                   _("Enter the locale the source is written for.")))
    return item


def _item(row: int, record: list[str], columns: _Columns, errors: list[CsvCellError]) -> dict:
    values: dict[str, str] = {}
    attributes: dict[str, str] = {}
    for index, raw in enumerate(record):
        value = raw.strip()
        if index >= columns.width:
            if value:
                errors.append(CsvCellError(row, "", _(
                    "This row has %(count)s cells but the header has only %(columns)s "
                    "columns.") % {"count": len(record), "columns": columns.width}))
                break
        elif index in columns.unnamed:
            if value:
                errors.append(CsvCellError(row, "", _(
                    "This row has a value in column %(number)s, which has no name in "
                    "the header.") % {"number": index + 1}))
        elif index in columns.by_index:
            name, key = columns.by_index[index]
            if name == "attributes":
                if value:
                    attributes[key] = value
            else:
                values[name] = value
        # Cells under rejected header columns are skipped: the header error covers them.

    def fail(column: str, message: str) -> None:
        errors.append(CsvCellError(row, columns.names.get(column, column), message))

    item: dict = {}
    for column, limit, missing in (("sku", limits.SKU_MAX_CHARS, _("Enter a SKU.")),
                                   ("name", limits.NAME_MAX_CHARS, _("Enter a name."))):
        value = values.get(column, "")
        if column not in columns.names:
            pass  # the missing header column is reported once, on row 1
        elif not value:
            fail(column, missing)
        elif len(value) > limit:
            fail(column, _too_long(value, limit))
        item[column] = value
    if brief := values.get("brief"):
        if len(brief) > limits.BRIEF_MAX_CHARS:
            fail("brief", _too_long(brief, limits.BRIEF_MAX_CHARS))
        item["brief"] = brief
    if attributes:
        item["attributes"] = attributes
    for column, limit in BRIEF_COLUMNS:
        # The JSON body's checks (a public landing URL) run on the item after the file's.
        if value := values.get(column):
            if len(value) > limit:
                fail(column, _too_long(value, limit))
            item[column] = value

    if price_text := values.get("price"):
        price = price_normalise(price_text)
        if price is None:
            fail("price", _price_message(price_text))
        item["price"] = price if price is not None else price_text
        if not values.get("currency"):
            fail("currency", _("A price needs its currency."))
    if currency := values.get("currency"):
        if not CURRENCY_CODE_RE.fullmatch(currency):
            fail("currency", str(CURRENCY_CODE_MESSAGE))
        item["currency"] = currency

    if keywords := _split_list(values.get("keywords", "")):
        if len(keywords) > limits.KEYWORDS_MAX:
            fail("keywords", _("At most %(limit)s keywords per item; this row has %(count)s.") % {
                "limit": limits.KEYWORDS_MAX, "count": len(keywords)})
        elif long := next((k for k in keywords if len(k) > limits.KEYWORD_MAX_CHARS), None):
            fail("keywords", _("The keyword “%(keyword)s” is longer than %(limit)s characters.") % {
                "keyword": long[:limits.KEYWORD_MAX_CHARS] + "…",
                "limit": limits.KEYWORD_MAX_CHARS})
        item["keywords"] = keywords
    if image_urls := _split_list(values.get("image_urls", "")):
        if len(image_urls) > limits.IMAGE_URLS_MAX:
            fail("image_urls", _("At most %(limit)s image URLs per item; this row has "
                                 "%(count)s.") % {
                "limit": limits.IMAGE_URLS_MAX, "count": len(image_urls)})
        elif bad := next((u for u in image_urls if not _is_http_url(u)), None):
            fail("image_urls", _("“%(url)s” is not an http or https URL.") % {"url": bad[:200]})
        item["image_urls"] = image_urls
    if variants := values.get("variants"):
        if variants.isdecimal() and 1 <= int(variants) <= limits.VARIANTS_MAX:
            item["variants"] = int(variants)
        else:
            fail("variants", _("Enter a whole number of variants from 1 to %(limit)s.") % {
                "limit": limits.VARIANTS_MAX})
            item["variants"] = variants
    return item


def _split_list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def _is_http_url(value: str) -> bool:
    if len(value) > limits.IMAGE_URL_MAX_CHARS or any(char.isspace() for char in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _too_long(value: str, limit: int) -> str:
    return _("Use at most %(limit)s characters; this value has %(length)s.") % {
        "limit": limit, "length": len(value)}


def _price_message(text: str) -> str:
    if text.startswith("-"):
        return _("A price cannot be negative.")
    return _("Enter a price such as 1299.50 or 1299,50 (thousands may be grouped as "
             "1,299.50 or 1.299,50), with at most %(places)s decimals and %(digits)s digits "
             "before them.") % {
        "places": limits.PRICE_DECIMAL_PLACES, "digits": limits.PRICE_MAX_INTEGER_DIGITS}


def price_normalise(text: str) -> str | None:
    """A price cell as a plain decimal string ("1.299,50" -> "1299.50"), or None if invalid.

    The rule, so that no price is read two ways:
    - digits with at most one kind of decimal separator, "." or ",", and at most one kind
      of thousands separator: ".", "," or a space (also no-break and narrow no-break);
    - a separator that occurs once, and is "." or ",", and is not followed later by
      another separator, is the decimal separator: "1299,50", "1299.5" and "1,299" = 1.299;
    - the other separator groups thousands: 1 to 3 leading digits, then groups of exactly
      3 ("1.299,50", "1,299.50", "1 299,50", "1,234,567" = 1234567);
    - anything else is refused, e.g. "12,34,5", "1,2.3", "1.299.5", ".5", "12,", "-3".
    """
    if not text or not (text[0].isdigit() and text[0].isascii()):
        return None
    separators = [char for char in text if not ("0" <= char <= "9")]
    if any(char not in ".," and char not in SPACE_SEPARATORS for char in separators):
        return None
    kinds = list(dict.fromkeys(separators))
    decimal = thousands = None
    if len(kinds) == 1:
        only = kinds[0]
        if only in ".," and len(separators) == 1:
            decimal = only
        else:
            thousands = only
    elif len(kinds) == 2:
        last = separators[-1]
        if last not in ".," or separators.count(last) != 1:
            return None
        decimal, thousands = last, next(kind for kind in kinds if kind != last)
    elif kinds:
        return None

    integer, fraction = text.split(decimal) if decimal else (text, "")
    if decimal and not DIGITS_RE.fullmatch(fraction):
        return None
    if thousands:
        groups = integer.split(thousands)
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            return None
        integer = "".join(groups)
    if not DIGITS_RE.fullmatch(integer):
        return None
    integer = integer.lstrip("0") or "0"
    if (len(integer) > limits.PRICE_MAX_INTEGER_DIGITS
            or len(fraction) > limits.PRICE_DECIMAL_PLACES):
        return None
    return f"{integer}.{fraction}" if fraction else integer
