"""An item in the admin as a person reads it: the check report one line per failed check
(never the paragraph written for the model), the offending text marked in the content,
and model calls counted as the bill counts them."""

import re
from decimal import Decimal
from unittest.mock import ANY

import pytest

from apps.generation.checks import CheckRules, content_check
from apps.jobs.models import GenerationAttempt, JobItem
from tests.conftest import product, submit

pytestmark = pytest.mark.django_db

READONLY_RE = re.compile(r'<label>([^<]+):</label>\s*<div class="readonly">(.*?)</div>', re.S)

CONTENT = {"title": "A cheap lamp", "description": "Warm <light> for 3 rooms.",
           "bullets": ["Oak base"]}


def readonly_fields(html: str) -> list[tuple[str, str]]:
    """(label, value) of each read-only field of a change page, in order."""
    return READONLY_RE.findall(html)


@pytest.fixture
def flagged_item(brand, workspace):
    """An item that failed the brand checks on each of three calls made in one run."""
    report = content_check(CONTENT, CheckRules(language="en", banned_terms=("cheap",)))
    item = submit(workspace, items=[product(1)]).items.get()
    JobItem.objects.filter(pk=item.pk).update(
        status=JobItem.Status.NEEDS_REVIEW, content=CONTENT, checks=report.as_dict(), attempts=1,
        error=f"failed the brand checks after 3 tries: {report.feedback()}")
    for _ in range(3):
        GenerationAttempt.objects.create(
            item=item, model="hermes-3-405b", outcome=GenerationAttempt.Outcome.CHECK_FAILED,
            input_tokens=1000, output_tokens=200, cost_usd=Decimal("0.00106"),
            checks=report.as_dict(), error=report.feedback())
    return item


def test_item_page_shows_the_report_for_people_not_the_models_prompt(admin_client, flagged_item):
    html = admin_client.get(f"/admin/jobs/jobitem/{flagged_item.pk}/change/").content.decode()

    assert "Your previous answer" not in html
    assert "failed the brand checks after 3 tries" not in html
    assert ("<li><strong>Banned term</strong> · <code>title</code> · <q>cheap</q></li>"
            in html)
    assert ("<li><strong>Leftover placeholder</strong> · <code>description</code>"
            " · <q>&lt;light&gt;</q></li>") in html
    assert ("<dt>title</dt><dd>A <mark data-check='banned_term' title='Banned term'>cheap</mark>"
            " lamp</dd>") in html


def test_item_page_counts_model_calls_as_the_bill_does(admin_client, flagged_item):
    html = admin_client.get(f"/admin/jobs/jobitem/{flagged_item.pk}/change/").content.decode()

    assert readonly_fields(html)[:5] == [("Job", ANY), ("SKU", "SKU-001"), ("Locale", "en"),
                                         ("Status", "Needs review"), ("Model calls", "3")]
    assert ("Runs", "1") in readonly_fields(html)
    assert "Attempts" not in dict(readonly_fields(html))


def test_item_list_shows_calls_beside_the_status_and_the_failed_checks(admin_client,
                                                                      flagged_item):
    html = admin_client.get("/admin/jobs/jobitem/").content.decode()

    assert ('<td class="field-status">Needs review</td><td class="field-billed_calls">3</td>'
            in html)
    assert ('<td class="field-problem">Banned term, Leftover placeholder</td>'
            in html)
    assert "Your previous answer" not in html


def test_an_item_without_a_report_shows_its_error(admin_client, brand, workspace):
    item = submit(workspace, items=[product(1)]).items.get()
    JobItem.objects.filter(pk=item.pk).update(status=JobItem.Status.FAILED,
                                              error="gave up after 5 attempts: HTTP 503")

    html = admin_client.get("/admin/jobs/jobitem/").content.decode()

    assert ('<td class="field-billed_calls">0</td>' in html)
    assert '<td class="field-problem">gave up after 5 attempts: HTTP 503</td>' in html


def test_each_model_call_shows_its_failed_checks_not_the_prompt(admin_client, flagged_item):
    html = admin_client.get(f"/admin/jobs/jobitem/{flagged_item.pk}/change/").content.decode()

    assert "Model calls (each one billed)" in html
    assert html.count("<li><strong>Banned term</strong> · <code>title</code></li>") == 3
