"""Provider-call metrics read a rollup plus the calls since its mark, never the whole
attempts table, and count every call exactly once across folds."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from apps.jobs.models import GenerationAttempt
from apps.ops.models import AttemptRollup
from apps.ops.rollup import attempt_rollup_advance
from tests.conftest import product, submit

HERMES = ("model", "hermes-3-405b")


def calls_and_cost(client) -> tuple[float, float]:
    text = client.get("/metrics").content.decode()
    values = {(s.name, tuple(sorted(s.labels.items()))): s.value
              for family in text_string_to_metric_families(text) for s in family.samples}
    return (values[("contentgen_provider_calls_total", (HERMES, ("outcome", "ok")))],
            values[("contentgen_cost_usd_total", (HERMES,))])


@pytest.fixture
def item(workspace, brand):
    return submit(workspace, items=[product(1)]).items.get()


def attempt(item, *, cost: str, minutes_ago: int) -> GenerationAttempt:
    row = GenerationAttempt.objects.create(item=item, model="hermes-3-405b", outcome="ok",
                                           input_tokens=100, output_tokens=50,
                                           cost_usd=Decimal(cost))
    GenerationAttempt.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago))
    return row


def test_settled_calls_are_folded_and_recent_ones_read_live(client, item):
    # Given two calls settled long ago and one made seconds ago
    old = [attempt(item, cost="0.001", minutes_ago=10), attempt(item, cost="0.002", minutes_ago=5)]
    recent = attempt(item, cost="0.004", minutes_ago=0)

    # When the rollup advances
    mark = attempt_rollup_advance()

    # Then it holds the settled calls only, and the scrape adds the recent one
    assert mark == old[-1].pk < recent.pk
    rollup = AttemptRollup.objects.get(model="hermes-3-405b", outcome="ok")
    assert (rollup.calls, rollup.cost_usd) == (2, Decimal("0.003"))
    assert calls_and_cost(client) == (3, pytest.approx(0.007))


def test_the_scrape_reads_the_rollup_not_the_folded_rows(client, item):
    attempt(item, cost="0.001", minutes_ago=10)
    attempt(item, cost="0.002", minutes_ago=10)
    attempt_rollup_advance()

    # Folded rows are not summed again: with them gone, the totals stand.
    GenerationAttempt.objects.all().delete()

    assert calls_and_cost(client) == (2, pytest.approx(0.003))


def test_advancing_twice_counts_nothing_twice(client, item):
    attempt(item, cost="0.001", minutes_ago=10)
    attempt_rollup_advance()
    attempt(item, cost="0.002", minutes_ago=3)

    attempt_rollup_advance()
    attempt_rollup_advance()

    assert calls_and_cost(client) == (2, pytest.approx(0.003))
