"""Side-by-side differences of two JSON documents for the admin (a brand's versions, an
item's revisions): one look, one way of reading a change."""

import difflib
import json


def json_diff_table(before, after, *, fromdesc: str, todesc: str) -> str:
    """An HTML table (difflib's, which escapes the text) of the changed lines and two
    lines around each, keys sorted so only real changes show."""

    def lines(document) -> list[str]:
        return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True).splitlines()

    return difflib.HtmlDiff(wrapcolumn=70).make_table(
        lines(before), lines(after), fromdesc=fromdesc, todesc=todesc, context=True,
        numlines=2)

