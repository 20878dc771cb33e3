"""The glossary as CSV, in the columns translators' tools know (TBX-lite):

    term,source_language,language,translation,note,do_not_translate,case_sensitive

One row per rendering: "throw" with an es-ES and an es-MX rendering is two rows. A
do-not-translate term is one row with `do_not_translate` "yes" and `language` and
`translation` empty. `case_sensitive` and `do_not_translate` read yes/no (also
true/false, 1/0; empty is no) and are the same on every row of a term; `note` is the
term's, written on each of its rows (a later row may leave it empty). `term`,
`language` and `translation` are required columns; without a `source_language` column
(or with the cell empty) the term is English, as most master catalogs are.

The import checks the whole file before anything is written and reports every problem
by row (the header is row 1) and column, as the job CSV import does. The export
escapes a cell that a spreadsheet would run as a formula with a leading apostrophe, and
the import removes it again, so export → import gives the same glossary.
"""

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.brands import limits
from apps.brands.glossary import (
    NO_TRANSLATION_MESSAGE,
    TRANSLATED_DNT_MESSAGE,
    entry_as_dict,
    glossary_duplicates,
    source_language_normalise,
    translation_locale,
    unsupported_language_message,
    unsupported_locale_message,
)
from apps.core.csvtext import CsvCellError, CsvInvalid, csv_delimiter, csv_text
from apps.localization.locales import locale_tags

COLUMNS = ("term", "source_language", "language", "translation", "note", "do_not_translate",
           "case_sensitive")
REQUIRED_COLUMNS = ("term", "language", "translation")
DEFAULT_SOURCE_LANGUAGE = "en"
YES, NO = "yes", "no"
BOOLEANS = {"yes": True, "y": True, "true": True, "1": True,
            "no": False, "n": False, "false": False, "0": False, "": False}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_ESCAPE = "'"




# --- Export ----------------------------------------------------------------------------


def _cell(value: str) -> str:
    return FORMULA_ESCAPE + value if value.startswith(FORMULA_STARTS) else value


def glossary_to_csv(entries: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in entries:
        flags = [YES if entry["do_not_translate"] else NO, YES if entry["case_sensitive"] else NO]
        renderings = list(entry["translations"].items()) or [("", "")]
        for tag, rendering in renderings:
            writer.writerow([_cell(entry["term"]), entry["source_language"], tag,
                             _cell(rendering), _cell(entry["notes"]), *flags])
    return buffer.getvalue()


# --- Import ----------------------------------------------------------------------------


@dataclass
class _Entry:
    term: str
    source_language: str
    first_row: int
    do_not_translate: bool
    case_sensitive: bool
    notes: str
    translations: dict[str, str]
    translation_rows: dict[str, int]


def _text(value: str) -> str:
    value = value.strip()
    if value.startswith(FORMULA_ESCAPE) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _decode(data: bytes) -> str:
    text = csv_text(data)
    if text is None:
        raise CsvInvalid([CsvCellError(0, "", _("The file is not UTF-8 text."))])
    return text


def glossary_from_csv(data: bytes) -> list[dict]:
    """The glossary entries of a CSV file (as apps.brands.glossary shapes them).

    Raises CsvInvalid with every problem of the file when anything is wrong.
    """
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""),
                        delimiter=csv_delimiter(text), strict=True)
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
    except csv.Error:
        raise CsvInvalid([CsvCellError(1, "", _(
            "This row is not valid CSV: check its quotes."))]) from None
    errors: list[CsvCellError] = []
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    for name in missing:
        errors.append(CsvCellError(1, name, _(
            "The column “%(column)s” is missing; the columns are %(columns)s.") % {
            "column": name, "columns": ", ".join(COLUMNS)}))
    for name in unknown:
        errors.append(CsvCellError(1, name or "", _(
            "Unknown column “%(column)s”; the columns are %(columns)s.") % {
            "column": name, "columns": ", ".join(COLUMNS)}))
    for name in sorted({name for name in header if name and header.count(name) > 1}):
        errors.append(CsvCellError(1, name, _("The column “%(column)s” appears twice.") % {
            "column": name}))
    if errors:
        raise CsvInvalid(errors)

    entries: dict[tuple[str, str], _Entry] = {}
    max_rows = limits.GLOSSARY_MAX_ENTRIES * len(locale_tags())
    row = 1
    while True:
        row += 1
        try:
            record = next(reader, None)
        except csv.Error:
            errors.append(CsvCellError(row, "", _(
                "This row is not valid CSV: check its quotes.")))
            break
        if record is None:
            break
        if not any(cell.strip() for cell in record):
            continue
        if row - 1 > max_rows or len(entries) > limits.GLOSSARY_MAX_ENTRIES:
            raise CsvInvalid([CsvCellError(0, "", _(
                "The glossary has more than %(limit)s terms.") % {
                "limit": limits.GLOSSARY_MAX_ENTRIES})])
        if len(record) > len(header):
            errors.append(CsvCellError(row, "", _(
                "This row has %(count)s cells; the header names %(columns)s.") % {
                "count": len(record), "columns": len(header)}))
            continue
        cells = {name: _text(record[index]) if index < len(record) else ""
                 for index, name in enumerate(header)}
        _read_row(row, cells, entries, errors)

    if len(entries) > limits.GLOSSARY_MAX_ENTRIES:
        raise CsvInvalid([CsvCellError(0, "", _(
            "The glossary has more than %(limit)s terms.") % {
            "limit": limits.GLOSSARY_MAX_ENTRIES})])
    found = list(entries.values())
    for entry in found:
        problem = None if entry.do_not_translate or entry.translations else NO_TRANSLATION_MESSAGE
        if problem:
            errors.append(CsvCellError(entry.first_row, "translation", str(problem)))
    result = [entry_as_dict(term=e.term, source_language=e.source_language,
                            translations=e.translations, do_not_translate=e.do_not_translate,
                            case_sensitive=e.case_sensitive, notes=e.notes) for e in found]
    for index, earlier in glossary_duplicates(result):
        errors.append(CsvCellError(found[index].first_row, "term", _(
            "This term is already in the glossary, in row %(row)s.") % {
            "row": found[earlier].first_row}))
    if errors:
        raise CsvInvalid(sorted(errors, key=lambda error: error.row))
    return result


def _read_row(row: int, cells: dict[str, str], entries: dict[tuple[str, str], _Entry],
              errors: list[CsvCellError]) -> None:
    row_errors: list[CsvCellError] = []

    def refuse(column: str, message) -> None:
        row_errors.append(CsvCellError(row, column, str(message)))

    term = cells["term"]
    if not term:
        refuse("term", _("The term is empty."))
    elif len(term) > limits.GLOSSARY_TERM_MAX_CHARS:
        refuse("term", _too_long(limits.GLOSSARY_TERM_MAX_CHARS))
    source_language = source_language_normalise(
        cells.get("source_language") or DEFAULT_SOURCE_LANGUAGE)
    if source_language is None:
        refuse("source_language", unsupported_language_message(cells["source_language"]))
    flags = {}
    for column in ("do_not_translate", "case_sensitive"):
        value = cells.get(column, "").lower()
        if value not in BOOLEANS:
            refuse(column, _("Write yes or no."))
        flags[column] = BOOLEANS.get(value, False)
    note = cells.get("note", "")
    if len(note) > limits.GLOSSARY_NOTES_MAX_CHARS:
        refuse("note", _too_long(limits.GLOSSARY_NOTES_MAX_CHARS))
    language, translation = cells["language"], cells["translation"]
    tag = None
    if flags["do_not_translate"]:
        if language or translation:
            refuse("translation" if translation else "language", TRANSLATED_DNT_MESSAGE)
    else:
        tag = translation_locale(language)
        if not language:
            refuse("language", _("Give the locale of the translation, such as es-MX."))
        elif tag is None:
            refuse("language", unsupported_locale_message(language))
        if not translation:
            refuse("translation", _("The translation is empty."))
        elif len(translation) > limits.GLOSSARY_TERM_MAX_CHARS:
            refuse("translation", _too_long(limits.GLOSSARY_TERM_MAX_CHARS))
    if row_errors:
        errors.extend(row_errors)
        return

    entry = entries.get((term, source_language))
    if entry is None:
        entries[(term, source_language)] = _Entry(
            term=term, source_language=source_language, first_row=row,
            do_not_translate=flags["do_not_translate"], case_sensitive=flags["case_sensitive"],
            notes=note, translations={tag: translation} if tag else {},
            translation_rows={tag: row} if tag else {})
        return
    differs = _("This differs from row %(row)s of the same term.") % {"row": entry.first_row}
    if flags["do_not_translate"] != entry.do_not_translate:
        refuse("do_not_translate", differs)
    if flags["case_sensitive"] != entry.case_sensitive:
        refuse("case_sensitive", differs)
    if note and entry.notes and note != entry.notes:
        refuse("note", differs)
    if tag in entry.translation_rows:
        refuse("language", _("The term already has a translation for %(tag)s, in row "
                             "%(row)s.") % {"tag": tag, "row": entry.translation_rows[tag]})
    if row_errors:
        errors.extend(row_errors)
        return
    if flags["do_not_translate"]:
        refuse("term", _("A term that is not translated takes one row."))
        errors.extend(row_errors)
        return
    entry.notes = entry.notes or note
    entry.translations[tag] = translation
    entry.translation_rows[tag] = row


def _too_long(limit: int) -> str:
    return _("At most %(limit)s characters.") % {"limit": limit}
