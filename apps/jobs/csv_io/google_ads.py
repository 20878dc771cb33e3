"""A google_rsa job's results as the CSV Google Ads Editor imports (File › Import › CSV):
one responsive search ad per row, one row per item × locale × variant.

The columns are Google Ads Editor's own headers for responsive search ads (its help page
"CSV file columns", support.google.com/google-ads/editor/answer/57747: English headers,
case and spaces ignored; a blank cell changes nothing): Campaign, Ad group, Ad type,
Labels, Headline 1..15, Description 1..4, Path 1, Path 2, Final URL. The campaign is the
item's `campaign` (the brand's slug when it has none), the ad group its SKU and locale
(each market's ads in their own group), the final URL its `landing_url`.

Only content fit to publish is exported: an item that succeeded (every limit checked) or
that a person approved, and never a rejected one; so every cell is within Google's limits.
Cells are written as they are, without the spreadsheet formula guard of the plain CSV: a
leading apostrophe would end up in the ad's text.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Mapping

from apps.generation.kinds import GOOGLE_RSA
from apps.jobs.csv_io.writing import BOM

MAX_HEADLINES = GOOGLE_RSA.field("headlines").max_entries
MAX_DESCRIPTIONS = GOOGLE_RSA.field("descriptions").max_entries
AD_TYPE = "Responsive search ad"
GOOGLE_ADS_COLUMNS = (
    "Campaign", "Ad group", "Ad type", "Labels",
    *(f"Headline {n}" for n in range(1, MAX_HEADLINES + 1)),
    *(f"Description {n}" for n in range(1, MAX_DESCRIPTIONS + 1)),
    "Path 1", "Path 2", "Final URL",
)


def item_is_exportable(item) -> bool:
    """Content a person may publish: succeeded or approved, not rejected."""
    review, status = _field(item, "review"), _field(item, "status")
    return bool(_field(item, "content")) and review != "rejected" and (
        status == "succeeded" or review == "approved")


def google_ads_csv_rows(*, brand: str, items: Iterable) -> Iterator[str]:
    """The CSV, one record (with its "\\r\\n") per yielded string; `items` are objects or
    mappings with sku, locale, status, review, content, input (and variant, when any)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def record(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield BOM + record(GOOGLE_ADS_COLUMNS)
    for item in items:
        if not item_is_exportable(item):
            continue
        content, data = _field(item, "content"), _field(item, "input") or {}
        variant = _field(item, "variant") or 1
        sku, locale = _field(item, "sku"), _field(item, "locale")
        headlines = list(content.get("headlines") or [])[:MAX_HEADLINES]
        descriptions = list(content.get("descriptions") or [])[:MAX_DESCRIPTIONS]
        yield record([
            data.get("campaign") or brand,
            f"{sku} {locale}" + (f" v{variant}" if variant != 1 else ""),
            AD_TYPE,
            f"contentgen;{locale};variant {variant}",
            *headlines, *[""] * (MAX_HEADLINES - len(headlines)),
            *descriptions, *[""] * (MAX_DESCRIPTIONS - len(descriptions)),
            content.get("path1", ""), content.get("path2", ""),
            data.get("landing_url", ""),
        ])


def _field(item, name: str):
    # The variants of an item arrive with JobItem.variant; before it, every item is one.
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)
