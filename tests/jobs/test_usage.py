"""Usage of a workspace read directly from the selector: the window rules (default,
order, length) and the totals per model, brand and UTC day."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from apps.core.errors import InvalidInput
from apps.jobs.models import GenerationAttempt
from apps.jobs.selectors import UsageReport, UsageTotals, usage_for_workspace
from tests.conftest import product, submit

UTC = datetime.UTC
TODAY = datetime.datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def today_is_march_15(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: TODAY)


def attempt_at(item, when: datetime.datetime, *, model: str, tokens: int, cost: str):
    attempt = GenerationAttempt.objects.create(
        item=item, model=model, outcome=GenerationAttempt.Outcome.OK, input_tokens=tokens,
        output_tokens=tokens // 2, cost_usd=Decimal(cost))
    # created_at is auto_now_add: set the moment afterwards.
    GenerationAttempt.objects.filter(pk=attempt.pk).update(created_at=when)


def test_usage_defaults_to_this_month_so_far_in_utc_days(workspace, brand, today_is_march_15):
    item = submit(workspace, items=[product(1)]).items.get()
    attempt_at(item, datetime.datetime(2026, 2, 28, 23, 59, tzinfo=UTC), model="gpt-4o-mini",
               tokens=1000, cost="0.5")  # last month
    attempt_at(item, datetime.datetime(2026, 3, 1, 0, 0, tzinfo=UTC), model="gpt-4o-mini",
               tokens=100, cost="0.00010000")
    attempt_at(item, datetime.datetime(2026, 3, 15, 8, 0, tzinfo=UTC), model="hermes-3-405b",
               tokens=200, cost="0.00020000")
    attempt_at(item, datetime.datetime(2026, 3, 15, 9, 0, tzinfo=UTC), model="gpt-4o-mini",
               tokens=300, cost="0.00030000")
    attempt_at(item, datetime.datetime(2026, 3, 16, 0, 0, tzinfo=UTC), model="gpt-4o-mini",
               tokens=1000, cost="0.5")  # tomorrow (a clock ahead of ours)

    report = usage_for_workspace(workspace=workspace)

    assert report == UsageReport(
        start=datetime.date(2026, 3, 1), end=datetime.date(2026, 3, 15),
        by_model=[UsageTotals("gpt-4o-mini", 2, 400, 200, Decimal("0.00040000")),
                  UsageTotals("hermes-3-405b", 1, 200, 100, Decimal("0.00020000"))],
        by_brand=[UsageTotals("nordic-home", 3, 600, 300, Decimal("0.00060000"))],
        by_day=[UsageTotals(datetime.date(2026, 3, 1), 1, 100, 50, Decimal("0.00010000")),
                UsageTotals(datetime.date(2026, 3, 15), 2, 500, 250, Decimal("0.00050000"))])


def test_usage_of_a_workspace_without_calls_is_empty_for_the_window_asked(workspace,
                                                                         today_is_march_15):
    report = usage_for_workspace(workspace=workspace, start=datetime.date(2025, 3, 15))

    assert report == UsageReport(start=datetime.date(2025, 3, 15), end=datetime.date(2026, 3, 15),
                                 by_model=[], by_brand=[], by_day=[])


@pytest.mark.parametrize("start, end, field, message", [
    (datetime.date(2026, 2, 1), datetime.date(2026, 1, 1), "from",
     "“from” must not be after “to”."),
    # Only `to` given, before the default `from` (the 1st of this month).
    (None, datetime.date(2026, 2, 28), "from", "“from” must not be after “to”."),
    (datetime.date(2025, 1, 1), datetime.date(2026, 1, 3), "to",
     "Ask for at most 366 days at a time."),
    # Only `from` given, more than 366 days before the default `to` (today).
    (datetime.date(2025, 3, 13), None, "to", "Ask for at most 366 days at a time."),
])
def test_a_window_backwards_or_too_long_names_the_field_and_queries_nothing(
        workspace, today_is_march_15, django_assert_num_queries, start, end, field, message):
    with django_assert_num_queries(0), pytest.raises(InvalidInput) as caught:
        usage_for_workspace(workspace=workspace, start=start, end=end)

    assert caught.value.code == "invalid"
    assert str(caught.value.message) == message
    assert caught.value.fields == {field: [message]}


def test_a_window_of_exactly_366_days_is_allowed(workspace, today_is_march_15):
    report = usage_for_workspace(workspace=workspace, start=datetime.date(2025, 1, 1),
                                 end=datetime.date(2026, 1, 2))

    assert (report.start, report.end) == (datetime.date(2025, 1, 1), datetime.date(2026, 1, 2))


def test_window_errors_are_in_the_callers_language(workspace, today_is_march_15):
    with translation.override("es"), pytest.raises(InvalidInput) as caught:
        usage_for_workspace(workspace=workspace, start=datetime.date(2024, 1, 1))

    assert caught.value.fields == {"to": ["Pide como máximo 366 días a la vez."]}
