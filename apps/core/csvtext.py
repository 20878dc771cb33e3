"""Reading an uploaded CSV file's text: the part every CSV import shares (items, the
brand glossary). What a row means stays with each import."""


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
