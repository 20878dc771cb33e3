"""Reading an uploaded CSV file: the part every CSV import shares (items, the brand
glossary): its text, its delimiter, and its errors by row and column, as a 400. What a
row means stays with each import."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.core.errors import InvalidInput


@dataclass(frozen=True)
class CsvCellError:
    row: int  # as a spreadsheet counts it: the header is row 1; 0 for the whole file
    column: str  # the header name, or "" for a problem with the row or the file
    message: str


class CsvInvalid(Exception):
    """The file cannot be imported; `errors` holds every problem found, in file order."""

    def __init__(self, errors: list[CsvCellError]):
        self.errors = errors
        super().__init__(f"{len(errors)} CSV error(s)")


def csv_invalid_input(exc: CsvInvalid) -> InvalidInput:
    """The API's 400 for a refused file: every problem at `file.<row>.<column>`
    (`file.<row>` for a whole row, `file` for the file), and the list in `rows`."""
    fields: dict[str, list[str]] = {}
    for cell in exc.errors:
        path = ".".join(str(part) for part in ("file", cell.row or "", cell.column) if part)
        fields.setdefault(path, []).append(cell.message)
    return InvalidInput(
        _("The CSV file has %(count)s errors; nothing was imported.") % {
            "count": len(exc.errors)},
        code="invalid_csv", fields=fields,
        extra={"rows": [{"row": e.row, "column": e.column, "message": e.message}
                        for e in exc.errors]})


def csv_text(data: bytes) -> str | None:
    """The file as text: UTF-8, with or without a BOM (Excel writes one). None when it
    is not UTF-8 text: UTF-16 without a BOM decodes as "UTF-8" full of NULs, and no CSV
    text has NULs."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def csv_delimiter(text: str) -> str:
    """Semicolon when the header line has more of them than commas outside quotes.

    Spreadsheets in locales with a decimal comma (de, ru, es …) save CSV with `;`.
    """
    counts = {",": 0, ";": 0}
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted  # a doubled "" inside quotes toggles twice: no change
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","
