"""A job's results as CSV, one record at a time for a StreamingHttpResponse."""

import csv
import io
from collections.abc import Iterable, Iterator, Mapping

from apps.generation.kinds import KindSpec, UnknownKind, kind_resolve
from apps.jobs.csv_io.reading import LIST_SEPARATOR

# Excel reads a CSV without a BOM in the machine's ANSI code page, which turns
# Cyrillic, Greek or CJK content into mojibake; with the BOM it reads UTF-8.
BOM = "\ufeff"
ESCAPE = "\\"
HEAD_COLUMNS = ("sku", "locale", "variant", "status", "model")
TAIL_COLUMNS = ("checks_passed", "quality", "input_tokens", "output_tokens", "cost_usd",
                "error")


def _spec(kind: "str | KindSpec") -> KindSpec:
    try:
        return kind_resolve(kind)
    except UnknownKind:
        raise ValueError(f"Unknown content kind: {kind!r}") from None


def items_csv_columns(kind: "str | KindSpec") -> list[str]:
    """Every field of the kind, a list field (bullets, headlines) as one |-joined cell."""
    return [*HEAD_COLUMNS, *_spec(kind).field_names, *TAIL_COLUMNS]


def items_csv_rows(kind: "str | KindSpec", items: Iterable) -> Iterator[str]:
    """The CSV of a job's results, one record (with its "\\r\\n") per yielded string.

    `items` are objects or mappings; they are read one at a time, so a database
    iterator streams straight through. Unknown kinds fail here, before the first byte.
    """
    columns = items_csv_columns(kind)
    return _rows(_spec(kind).field_names, columns, items)


def _rows(content_fields: list[str], columns: list[str], items: Iterable) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def record(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_inert(value) for value in values])
        return buffer.getvalue()

    yield BOM + record(columns)
    for item in items:
        content = _field(item, "content") or {}
        checks = _field(item, "checks") or {}
        passed = checks.get("passed")
        # The item's column, or the score in its check report when read without it.
        quality = _field(item, "quality")
        yield record([
            *(_cell(_field(item, name)) for name in HEAD_COLUMNS),
            *(_content_cell(name, content.get(name)) for name in content_fields),
            "" if passed is None else ("true" if passed else "false"),
            _cell(checks.get("quality") if quality is None else quality),
            *(_cell(_field(item, name)) for name in TAIL_COLUMNS[2:]),
        ])


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: str) -> str:
    # Generated text (or a hostile product name) that starts like a formula would run
    # in a spreadsheet; a leading apostrophe makes it text (OWASP's CSV injection advice).
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _field(item, name: str):
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def _cell(value) -> str:
    return "" if value is None else str(value)


def _content_cell(name: str, value) -> str:
    """List fields (bullets, headlines) as one cell: parts joined by "|".

    A literal "|" inside a part is written "\\|" and a literal backslash "\\\\", so
    the cell splits back unambiguously on every "|" not preceded by a backslash.
    """
    if isinstance(value, list):
        return LIST_SEPARATOR.join(
            str(part).replace(ESCAPE, ESCAPE * 2).replace(LIST_SEPARATOR, ESCAPE + LIST_SEPARATOR)
            for part in value)
    return _cell(value)
