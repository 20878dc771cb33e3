"""Check reports for people: one line per failed check (its name, the field, the
offending text) and the content with that text marked, never the paragraph written
for the model.

An item stores its report as `CheckReport.as_dict()`: per failure the check, the field
and an English sentence for the model that quotes what it found ('cheap', '59 €', the
over-long field's size and limit). Nothing more is stored, so the offending text is
read back from those quotes and kept only where it really stands in the field, as a
whole word or token: a quote that is not in the text (a term's base form, a field's
name) is never marked.
"""

import re
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from apps.jobs.models import JobItem

CHECK_LABELS = {
    "length": _("Length"),
    "banned_term": _("Banned term"),
    "required_term": _("Missing required term"),
    "language": _("Wrong language"),
    "placeholder": _("Leftover placeholder"),
    "markdown": _("Markdown"),
    "price": _("Price not in the data"),
    "debris": _("Code, markup or a cut-off sentence"),
    "gibberish": _("Words that do not exist"),
    "figure": _("Figure not in the data"),
    "echo": _("Only repeats the product data"),
    "repetition": _("Repetition"),
    "distinct": _("Too similar to another variant"),
    "quality": _("Quality below the threshold"),
    "glossary": _("Brand glossary not followed"),
    "length_ratio": _("Length out of proportion to the source"),
}

# A quote in a check's sentence: up to the quote mark that ends a word ("it's" stays whole).
QUOTED_RE = re.compile(r"'(.+?)'(?=[\s,;:.)]|$)")
# sample() cuts long excerpts with an ellipsis: the part before it is the text's own.
ELLIPSIS = "…"
OVER_MAXIMUM_RE = re.compile(r"characters; the maximum is (\d+)$")


@dataclass(frozen=True)
class Finding:
    """One failed check as a person reads it."""

    check: str
    field: str | None  # "bullets.2"; None when about the whole content
    excerpts: tuple[str, ...]  # the offending text, as it stands in the content
    spans: tuple[tuple[str, int, int], ...]  # (field, start, end) to mark

    @property
    def label(self) -> str:
        return CHECK_LABELS.get(self.check, self.check)


def content_strings(content: dict | None) -> dict[str, str]:
    """Every string of the content by its report name (list entries as `field.N`)."""
    strings = {}
    for key, value in (content or {}).items():
        if isinstance(value, str):
            strings[key] = value
        elif isinstance(value, list):
            strings.update((f"{key}.{n}", entry) for n, entry in enumerate(value)
                           if isinstance(entry, str))
    return strings


def report_findings(checks: dict | None, content: dict | None) -> list[Finding]:
    """The report's failures, each with the text it is about."""
    strings = content_strings(content)
    return [_finding(failure, strings) for failure in (checks or {}).get("failures", [])]


def _finding(failure: dict, strings: dict[str, str]) -> Finding:
    check, field, detail = failure.get("check", ""), failure.get("field"), failure.get(
        "detail", "")
    fields = [field] if field in strings else list(strings)
    overflow = OVER_MAXIMUM_RE.search(detail) if check == "length" else None
    if overflow and field in strings:
        start = int(overflow.group(1))
        text = strings[field]
        return Finding(check, field, (text[start:],), ((field, start, len(text)),))
    if check == "length" and field in strings:
        return Finding(check, field, (strings[field],), ((field, 0, len(strings[field])),))
    quotes = [quote for quote in dict.fromkeys(QUOTED_RE.findall(detail))
              if quote.removesuffix(ELLIPSIS) and quote not in strings]
    spans = tuple((name, start, end) for name in fields for quote in quotes
                  for start, end in _occurrences(quote, strings[name]))
    excerpts = tuple(dict.fromkeys(strings[name][start:end] for name, start, end in spans))
    if check == "required_term":
        # The missing term is the finding; it is not in the text to mark.
        excerpts = tuple(quotes)
    return Finding(check, field, excerpts, spans)


def _occurrences(quote: str, text: str) -> list[tuple[int, int]]:
    """Where `quote` stands in `text` as whole tokens, not inside a longer word; a quote
    cut short with an ellipsis runs on to the end of the word it was cut in."""
    cut = quote.endswith(ELLIPSIS)
    quote = quote.removesuffix(ELLIPSIS)
    before = r"(?<!\w)" if quote[0].isalnum() else ""
    after = r"\w*" if cut else r"(?!\w)" if quote[-1].isalnum() else ""
    pattern = re.compile(before + re.escape(quote) + after)
    return [(match.start(), match.end()) for match in pattern.finditer(text)]


def problem_summary(item: JobItem):
    """The failed checks' names, or the error of an item that has no report to show."""
    findings = report_findings(item.checks, item.content)
    if findings:
        return ", ".join(dict.fromkeys(str(finding.label) for finding in findings))
    return item.error or "—"


def problem_detail(item: JobItem):
    findings = report_findings(item.checks, item.content)
    if findings:
        return findings_html(findings)
    return item.error or "—"


def content_marked(item: JobItem):
    """Each field of the content, offending text marked with its check."""
    strings = content_strings(item.content)
    if not strings:
        return "—"
    findings = report_findings(item.checks, item.content)
    return format_html("<dl class='item-content'>{}</dl>", format_html_join(
        "", "<dt>{}</dt><dd>{}</dd>",
        ((name, marked_html(text, name, findings)) for name, text in strings.items())))


def findings_html(findings: list[Finding]):
    """One line per failed check: name, field, the offending text."""
    if not findings:
        return "—"
    return format_html("<ul class='check-findings'>{}</ul>", format_html_join(
        "", "<li><strong>{}</strong> · <code>{}</code>{}</li>",
        ((finding.label, finding.field or _("whole content"), _excerpts_html(finding))
         for finding in findings)))


def _excerpts_html(finding: Finding):
    if not finding.excerpts:
        return ""
    return format_html(" · {}", format_html_join(
        ", ", "<q>{}</q>", ((excerpt,) for excerpt in finding.excerpts)))


def marked_html(text: str, field: str, findings: list[Finding]):
    """`text` escaped, with each offending span in a <mark> naming its check. Where
    spans overlap the first (leftmost, then longest) wins."""
    spans = sorted(((start, -end, finding) for finding in findings
                    for name, start, end in finding.spans if name == field),
                   key=lambda span: (span[0], span[1]))
    parts, position = [], 0
    for start, negative_end, finding in spans:
        if start < position:
            continue
        end = -negative_end
        parts.append(format_html("{}<mark data-check='{}' title='{}'>{}</mark>",
                                 text[position:start], finding.check, finding.label,
                                 text[start:end]))
        position = end
    parts.append(format_html("{}", text[position:]))
    return format_html_join("", "{}", ((part,) for part in parts))
