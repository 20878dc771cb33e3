"""Check reports for people: from a stored report and content, one line per failed check
with the offending text as it stands, and that text marked in the content."""

from decimal import Decimal

from apps.generation.checks import CHECK_NAMES, CheckRules, SourceData, content_check
from apps.jobs.admin.reports import (
    CHECK_LABELS,
    Finding,
    findings_html,
    marked_html,
    report_findings,
)

CONTENT = {
    "title": "A cheap oak lamp for every desk today",
    "description": "This lamp is 45 cm tall and weighs 3 kg. Its glow <b>warms</b> the room. "
                   "Only 59 EUR, cheaper than Cheap ones.",
    "bullets": ["Oak base", "Dimmable light"],
}
RULES = CheckRules(language="en", banned_terms=("cheap",), required_terms=("solid oak",),
                   length_bounds={"title": (None, 20)}, prices=(Decimal("49.90"),),
                   source=SourceData(texts=("Oak desk lamp", "height_cm", "45", "49.90", "EUR")))


def test_every_check_has_a_name_people_read():
    assert set(CHECK_LABELS) == set(CHECK_NAMES)


def test_findings_carry_the_offending_text_of_the_real_checks():
    checks = content_check(CONTENT, RULES).as_dict()

    findings = report_findings(checks, CONTENT)

    assert findings == [
        Finding("length", "title", (" every desk today",), (("title", 20, 37),)),
        Finding("banned_term", "title", ("cheap",), (("title", 2, 7),)),
        # "cheaper" is another word: only the whole word the check found is marked.
        Finding("banned_term", "description", ("Cheap",), (("description", 99, 104),)),
        Finding("debris", "description", ("<b>",), (("description", 50, 53),)),
        Finding("price", "description", ("59 EUR",), (("description", 78, 84),)),
        Finding("figure", "description", ("3",), (("description", 35, 36),)),
        # The missing term is the finding, and there is nothing in the text to mark.
        Finding("required_term", None, ("solid oak",), ()),
    ]


def test_a_finding_about_the_whole_content_marks_its_words_in_every_field():
    checks = {"failures": [{
        "check": "gibberish", "field": None,
        "detail": "the content uses words that do not exist: 'flurbo', 'zanq…'; "
                  "write only real words"}]}
    content = {"title": "Flurbo lamp", "body": "A flurbo glow, zanquetic and warm.",
               "bullets": ["flurbo"]}

    findings = report_findings(checks, content)

    # A truncated quote (sample() cuts with "…") is found by its start, to the word's end;
    # case counts: "Flurbo" is not what the check quoted.
    assert findings == [Finding("gibberish", None, ("flurbo", "zanquetic"), (
        ("body", 2, 8), ("body", 15, 24), ("bullets.0", 0, 6)))]


def test_a_quote_naming_another_field_is_not_offending_text():
    checks = {"failures": [{
        "check": "repetition", "field": "body",
        "detail": "field 'body' repeats field 'title' word for word; write each field for its "
                  "own purpose"}]}

    findings = report_findings(checks, {"title": "Lamp title", "body": "Lamp title"})

    assert findings == [Finding("repetition", "body", (), ())]


def test_a_quote_with_an_apostrophe_inside_stays_whole():
    checks = {"failures": [{
        "check": "repetition", "field": "body",
        "detail": "field 'body' repeats itself ('it's bright it's bright'); say each thing once"}]}

    findings = report_findings(checks, {"body": "Well, it's bright it's bright."})

    assert findings == [Finding("repetition", "body", ("it's bright it's bright",),
                                (("body", 6, 29),))]


def test_lines_name_the_check_the_field_and_the_text_and_escape_it():
    findings = [Finding("banned_term", "title", ("<i>cheap</i>",), ()),
                Finding("required_term", None, ("solid oak",), ()),
                Finding("language", "body", (), ())]

    html = findings_html(findings)

    assert html == (
        "<ul class='check-findings'>"
        "<li><strong>Banned term</strong> · <code>title</code> · "
        "<q>&lt;i&gt;cheap&lt;/i&gt;</q></li>"
        "<li><strong>Missing required term</strong> · <code>whole content</code> · "
        "<q>solid oak</q></li>"
        "<li><strong>Wrong language</strong> · <code>body</code></li></ul>")


def test_marked_text_escapes_everything_and_marks_each_span_once():
    text = "<script>x</script> cheap & cheap"
    findings = [Finding("banned_term", "title", ("cheap",), (("title", 19, 24), ("title", 27, 32))),
                # Overlapping the first mark: the leftmost span wins.
                Finding("gibberish", "title", ("eap",), (("title", 21, 24),)),
                Finding("figure", "body", ("x",), (("body", 8, 9),))]

    html = marked_html(text, "title", findings)

    assert html == (
        "&lt;script&gt;x&lt;/script&gt; "
        "<mark data-check='banned_term' title='Banned term'>cheap</mark> &amp; "
        "<mark data-check='banned_term' title='Banned term'>cheap</mark>")
