"""A workspace's spend dashboard: the bill's figures per day and model, items per status
and the budget position, drawn as inline SVG on the server."""

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from apps.generation.catalog import catalog_get
from apps.generation.client import LLMUsage
from apps.jobs.admin.charts import Bar, Series, bars_svg, stacked_columns_svg
from apps.jobs.domain import Attempt
from apps.jobs.models import GenerationAttempt, JobItem
from apps.jobs.overview import DayCost, workspace_activity
from apps.jobs.services.ledger import item_record
from tests.conftest import product, submit

pytestmark = pytest.mark.django_db
OK = GenerationAttempt.Outcome.OK


def test_stacked_columns_put_each_series_on_the_one_below():
    svg = stacked_columns_svg(
        columns=["1 Dec", "2 Dec"], axis_label=lambda value: f"${value:.2f}",
        series=[Series("a", [Decimal("1"), Decimal("0")]),
                Series("<b>", [Decimal("1"), Decimal("2")]),
                Series("c", [Decimal("2"), Decimal("0")])], title="Cost")

    # 630 px wide plot over 2 columns; 200 px high, the tallest column (4) reaching the top.
    assert re.findall(r"<rect [^>]*>.*?</rect>", svg) == [
        "<rect x='81' y='160' width='313' height='50' fill='#0072B2'>"
        "<title>1 Dec · a · $1.00</title></rect>",
        "<rect x='81' y='110' width='313' height='50' fill='#E69F00'>"
        "<title>1 Dec · &lt;b&gt; · $1.00</title></rect>",
        "<rect x='81' y='10' width='313' height='100' fill='#009E73'>"
        "<title>1 Dec · c · $2.00</title></rect>",
        "<rect x='396' y='110' width='313' height='100' fill='#E69F00'>"
        "<title>2 Dec · &lt;b&gt; · $2.00</title></rect>",
    ]
    assert "<text x='76' y='14' text-anchor='end' font-size='11'>$4.00</text>" in svg
    assert "<text x='237.5' y='230' text-anchor='middle' font-size='11'>1 Dec</text>" in svg


def test_bars_are_as_long_as_their_share_of_the_longest():
    svg = bars_svg(bars=[Bar("Succeeded", 8), Bar("Needs <review>", 2)], title="Items")

    assert re.findall(r"<rect [^>]*>.*?</rect>", svg) == [
        "<rect x='160' y='4' width='500' height='18' fill='#0072B2'>"
        "<title>Succeeded: 8</title></rect>",
        "<rect x='160' y='28' width='125' height='18' fill='#E69F00'>"
        "<title>Needs &lt;review&gt;: 2</title></rect>",
    ]


@pytest.fixture
def billed(brand, workspace):
    """Calls billed at the catalog's prices: Hermes 3 $1.00/$0.30 and GPT-4o-mini
    $0.15/$0.60 per million input/output tokens."""
    workspace.monthly_budget_usd = Decimal("2.00")
    workspace.save()
    job = submit(workspace, items=[product(1)], locales=("en", "es"))
    english, spanish = job.items.order_by("locale")
    catalog, now = catalog_get(), timezone.now()

    def bill(item, model, days_ago, input_tokens, output_tokens):
        item_record(item=item, route=catalog[model], attempt=Attempt(
            outcome=OK, usage=LLMUsage(input_tokens=input_tokens, output_tokens=output_tokens)))
        GenerationAttempt.objects.filter(pk=item.generation_attempts.latest("pk").pk).update(
            created_at=now - datetime.timedelta(days=days_ago))

    bill(english, "hermes-3-405b", 0, 2000, 500)  # $0.002 + $0.00015
    bill(english, "hermes-3-405b", 0, 2000, 500)  # $0.00215 again
    bill(spanish, "gpt-4o-mini", 0, 2000, 500)  # $0.0003 + $0.0003
    bill(spanish, "gpt-4o-mini", 29, 10_000, 1000)  # $0.0015 + $0.0006
    bill(spanish, "hermes-3-405b", 30, 1_000_000, 0)  # $1.00, a day before the window
    english.__class__.objects.filter(pk=english.pk).update(status=JobItem.Status.SUCCEEDED)
    spanish.__class__.objects.filter(pk=spanish.pk).update(status=JobItem.Status.NEEDS_REVIEW)
    return now.date()


def test_activity_sums_the_bill_per_day_and_model_over_thirty_days(workspace, billed):
    today = billed

    activity = workspace_activity(workspace=workspace, today=today)

    assert activity.days[0] == today - datetime.timedelta(days=29)
    assert activity.days[-1] == today
    assert len(activity.days) == 30
    assert activity.costs == [
        DayCost(today - datetime.timedelta(days=29), "gpt-4o-mini", 1, Decimal("0.0021")),
        DayCost(today, "gpt-4o-mini", 1, Decimal("0.0006")),
        DayCost(today, "hermes-3-405b", 2, Decimal("0.0043")),
    ]
    assert activity.total_usd == Decimal("0.0070")
    assert activity.items_by_status == {"succeeded": 1, "needs_review": 1}


def test_dashboard_shows_totals_chart_statuses_and_budget(admin_client, workspace, billed):
    html = admin_client.get(f"/admin/jobs/job/spend/{workspace.pk}/").content.decode()

    rows = re.findall(r"<tr><td><span class=\"legend-swatch\" style=\"background: (#\w+)\">"
                      r"</span>([^<]+)</td><td>(\d+)</td><td>([^<]+)</td></tr>", html)
    assert rows == [("#0072B2", "gpt-4o-mini", "2", "$0.0027"),
                    ("#E69F00", "hermes-3-405b", "2", "$0.0043")]
    assert "<tfoot><tr><th>total</th><th></th><th>$0.007</th></tr></tfoot>" in html
    # The tallest day (today, $0.0049) reaches the top; the oldest day is the first column.
    assert "<rect x='690' y='10' width='19' height='175.5' fill='#E69F00'>" in html
    assert "<rect x='690' y='185.5' width='19' height='24.5' fill='#0072B2'>" in html
    assert "<rect x='81' y='124.3' width='19' height='85.7' fill='#0072B2'>" in html
    assert "<title>Needs review: 1</title>" in html
    assert "<title>Succeeded: 1</title>" in html
    # Every call of this month is spent, the one before the window included.
    assert "$1.007 spent of $2.00 (50%)." in html
    assert "Running work has $0.00 committed; $0.993 remains." in html
    assert '<span style="width: 50%"></span>' in html


@pytest.mark.parametrize("language, spent", [("es", "1,007\xa0US$ gastados de 2,00\xa0US$ (50 %)."),
                                             ("ru", "Потрачено 1,007\xa0$ из 2,00\xa0$ (50 %).")])
def test_dashboard_speaks_the_admins_language(admin_client, workspace, billed, language, spent):
    html = admin_client.get(f"/admin/jobs/job/spend/{workspace.pk}/",
                            HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert spent in html


def test_dashboard_of_a_workspace_without_budget_or_calls(admin_client, other_workspace):
    html = admin_client.get(f"/admin/jobs/job/spend/{other_workspace.pk}/").content.decode()

    assert "This workspace has no monthly budget." in html
    assert "No model calls in these days." in html
    assert "<rect" not in html


def test_dashboard_is_refused_to_a_user_who_may_not_see_jobs(client, workspace):
    user = User.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(user)

    response = client.get(f"/admin/jobs/job/spend/{workspace.pk}/")

    assert response.status_code == 403


def test_dashboard_of_an_unknown_workspace_is_a_404(admin_client):
    assert admin_client.get("/admin/jobs/job/spend/999/").status_code == 404
