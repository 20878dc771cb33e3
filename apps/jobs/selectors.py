import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, F, Max, Min, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Workspace
from apps.core.errors import InvalidInput
from apps.jobs.domain import ACTIVE_JOB_STATUSES
from apps.jobs.models import GenerationAttempt, Job, JobItem


def job_list_for_workspace(*, workspace: Workspace) -> QuerySet[Job]:
    return (Job.objects.filter(workspace=workspace)
            .select_related("brand_version__brand", "kind_version")
            .order_by("-created_at", "-pk"))


def job_get_for_workspace(*, workspace: Workspace, job_id: str) -> Job | None:
    try:
        pk = uuid.UUID(str(job_id))
    except ValueError:
        return None
    return job_list_for_workspace(workspace=workspace).filter(pk=pk).first()


def item_list_for_job(*, job: Job) -> QuerySet[JobItem]:
    return JobItem.objects.filter(job=job).order_by("position", "locale", "variant", "pk")


def item_get_for_job(*, job: Job, item_id) -> JobItem | None:
    """One item of the job (None when it is another job's, or the id is not one), with
    what its check rules read."""
    text = str(item_id)
    if not text.isdecimal() or len(text) > 18:  # a bigint, parsed without surprises
        return None
    return (item_list_for_job(job=job).select_related("job__brand_version", "job__workspace")
            .filter(pk=int(text)).first())


# --- Usage: what a workspace's model calls cost --------------------------------

USAGE_MAX_DAYS = 366  # the error message spells the number out


@dataclass(frozen=True)
class UsageTotals:
    key: str | datetime.date  # the model, the brand's slug or the (UTC) day
    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal


@dataclass(frozen=True)
class UsageReport:
    start: datetime.date
    end: datetime.date
    by_model: list[UsageTotals]
    by_brand: list[UsageTotals]
    by_day: list[UsageTotals]


def usage_for_workspace(*, workspace: Workspace, start: datetime.date | None = None,
                        end: datetime.date | None = None) -> UsageReport:
    """Tokens and cost of every model call in [start, end] (UTC days), three ways.

    The window defaults to this month so far (the 1st to today, UTC). A window that
    runs backwards or spans more than USAGE_MAX_DAYS raises InvalidInput, before any
    query, naming the API's query parameter at fault (`from` or `to`).
    """
    today = timezone.now().date()
    start = today.replace(day=1) if start is None else start
    end = today if end is None else end
    if start > end:
        message = _("“from” must not be after “to”.")
        raise InvalidInput(message, fields={"from": [message]})
    if (end - start).days > USAGE_MAX_DAYS:
        message = _("Ask for at most 366 days at a time.")
        raise InvalidInput(message, fields={"to": [message]})

    attempts = GenerationAttempt.objects.filter(
        item__job__workspace=workspace, created_at__date__gte=start, created_at__date__lte=end)
    totals = {"calls": Count("pk"), "input_tokens": Sum("input_tokens"),
              "output_tokens": Sum("output_tokens"), "cost_usd": Sum("cost_usd")}

    def rows(grouped, key: str) -> list[UsageTotals]:
        return [UsageTotals(key=row[key], calls=row["calls"], input_tokens=row["input_tokens"],
                            output_tokens=row["output_tokens"], cost_usd=row["cost_usd"])
                for row in grouped.annotate(**totals).order_by(key)]

    return UsageReport(
        start=start, end=end,
        by_model=rows(attempts.values("model"), "model"),
        by_brand=rows(attempts.values(brand=F("item__job__brand_version__brand__slug")), "brand"),
        by_day=rows(attempts.annotate(day=TruncDate("created_at")).values("day"), "day"),
    )


# --- Operations: readiness and metrics ----------------------------------------
# Aggregates only (one GROUP BY each): they run on every probe and every scrape.


def item_oldest_pending_since() -> datetime.datetime | None:
    """When the longest-waiting pending item of an active job was last put on a queue.

    The recovery sweep uses the same clock (last send, else creation): past
    RECOVERY_STALE_S it re-sends the item, presuming its message lost."""
    return JobItem.objects.filter(
        status=JobItem.Status.PENDING, job__status__in=ACTIVE_JOB_STATUSES,
    ).aggregate(since=Min(Coalesce("queued_at", "created_at")))["since"]


def job_counts_by_status() -> dict[str, int]:
    rows = Job.objects.order_by().values_list("status").annotate(n=Count("pk"))
    return dict(rows)


def item_counts_by_status() -> dict[str, int]:
    rows = JobItem.objects.order_by().values_list("status").annotate(n=Count("pk"))
    return dict(rows)


@dataclass(frozen=True)
class AttemptTally:
    model: str
    outcome: str
    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal


def attempt_tallies(*, after_id: int = 0, through_id: int | None = None) -> list[AttemptTally]:
    """Model calls per model and outcome, with their tokens and cost (what was billed),
    over the attempts whose id is in (after_id, through_id]: one GROUP BY on the id index."""
    attempts = GenerationAttempt.objects.order_by().filter(pk__gt=after_id)
    if through_id is not None:
        attempts = attempts.filter(pk__lte=through_id)
    rows = attempts.values_list("model", "outcome").annotate(
        calls=Count("pk"), input_tokens=Sum("input_tokens"), output_tokens=Sum("output_tokens"),
        cost_usd=Sum("cost_usd"))
    return [AttemptTally(model=model, outcome=outcome, calls=calls,
                         input_tokens=input_tokens or 0, output_tokens=output_tokens or 0,
                         cost_usd=cost_usd or Decimal(0))
            for model, outcome, calls, input_tokens, output_tokens, cost_usd in rows]


def attempt_id_settled(*, before: datetime.datetime) -> int:
    """The highest attempt id created before `before` (0 when none): ids below it will
    not appear any more, since every transaction that wrote one has long committed."""
    return (GenerationAttempt.objects.filter(created_at__lt=before)
            .aggregate(top=Max("pk"))["top"]) or 0


@dataclass(frozen=True)
class RecentLatency:
    model: str
    avg_ms: float
    recent_ms: list[int]  # the newest calls' latencies, at most `sample_size`, newest first


def attempt_latency_by_model(*, since: datetime.datetime, sample_size: int) -> list[RecentLatency]:
    """Latency of the model calls made since `since`: the exact mean per model, and a
    bounded sample of the newest latencies for percentiles (SQL has no portable p95)."""
    recent = GenerationAttempt.objects.order_by().filter(created_at__gte=since)
    averages = recent.values_list("model").annotate(avg=Avg("latency_ms"))
    return [RecentLatency(model=model, avg_ms=float(avg or 0),
                          recent_ms=list(recent.filter(model=model).order_by("-pk")
                                         .values_list("latency_ms", flat=True)[:sample_size]))
            for model, avg in averages]


def items_to_localize(*, job: Job) -> list[JobItem]:
    """The items of a finished job that a `localize` job takes as its sources: succeeded
    and not rejected by a reviewer (approved, or waiting for review: needs_review content
    failed its checks and is no source), one per product, from the first of the job's
    locales that has one (and its first variant)."""
    rows = (JobItem.objects.filter(job=job, status=JobItem.Status.SUCCEEDED,
                                   content__isnull=False)
            .exclude(review=JobItem.Review.REJECTED).order_by("position", "variant", "pk"))
    order = {tag: index for index, tag in enumerate(job.locales)}
    chosen: dict[int, JobItem] = {}
    for item in rows:
        best = chosen.get(item.position)
        if best is None or (order.get(item.locale, len(order)), item.variant) < (
                order.get(best.locale, len(order)), best.variant):
            chosen[item.position] = item
    return [chosen[position] for position in sorted(chosen)]
