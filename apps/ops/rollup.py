"""Provider-call totals for /metrics without summing the whole attempts table.

The rollup holds the totals up to one attempt id; a scrape adds only the attempts after
it. A periodic task (beat, ROLLUP_INTERVAL_S) moves the mark forward over attempts
older than a minute, so a slow transaction that commits an older id late is still
counted once: the tail is read live until the mark passes it.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.jobs import selectors
from apps.ops.models import AttemptRollup

SETTLE_AFTER = timedelta(seconds=60)


@dataclass(frozen=True)
class CallTotals:
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: Decimal = Decimal(0)

    def plus(self, calls: int, input_tokens: int, output_tokens: int,
             cost_usd: Decimal) -> "CallTotals":
        return CallTotals(self.calls + calls, self.input_tokens + input_tokens,
                          self.output_tokens + output_tokens, self.cost_usd + cost_usd)


def attempt_rollup_advance() -> int:
    """Fold the settled attempts into the rollup; returns the new mark."""
    with transaction.atomic():
        rows = list(AttemptRollup.objects.select_for_update().order_by("pk"))
        mark = max((row.through_id for row in rows), default=0)
        through = selectors.attempt_id_settled(before=timezone.now() - SETTLE_AFTER)
        if through <= mark:
            return mark
        for tally in selectors.attempt_tallies(after_id=mark, through_id=through):
            row, _created = AttemptRollup.objects.get_or_create(
                model=tally.model, outcome=tally.outcome)
            AttemptRollup.objects.filter(pk=row.pk).update(
                calls=F("calls") + tally.calls,
                input_tokens=F("input_tokens") + tally.input_tokens,
                output_tokens=F("output_tokens") + tally.output_tokens,
                cost_usd=F("cost_usd") + tally.cost_usd)
        AttemptRollup.objects.update(through_id=through)
    return through


def attempt_totals() -> dict[tuple[str, str], CallTotals]:
    """(model, outcome) -> every call ever made: the rollup plus the live tail."""
    totals: dict[tuple[str, str], CallTotals] = {}
    mark = 0
    for row in AttemptRollup.objects.all():
        mark = max(mark, row.through_id)
        totals[(row.model, row.outcome)] = CallTotals(
            row.calls, row.input_tokens, row.output_tokens, row.cost_usd)
    for tally in selectors.attempt_tallies(after_id=mark):
        key = (tally.model, tally.outcome)
        totals[key] = totals.get(key, CallTotals()).plus(
            tally.calls, tally.input_tokens, tally.output_tokens, tally.cost_usd)
    return totals
