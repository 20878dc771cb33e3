"""The jobs app's plain data: what a submission is, the records the ledger takes, the
status sets, and the one "try again later" signal. No queries and no side effects,
so serializers, services and tasks can all import it without importing each other.
"""

from dataclasses import dataclass, field
from datetime import datetime

from apps.generation.client import LLMUsage
from apps.generation.kinds import LOCALIZE, KindSpec, kind_get
from apps.generation.prompts import ItemInput
from apps.jobs.models import Job, JobItem

ItemStatus = JobItem.Status
ItemReview = JobItem.Review
JobStatus = Job.Status

# A job that still has work to do (a paused job waits for its budget, not for workers).
ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
# A job that may still change (cancel, resume and pause act on these).
OPEN_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.PAUSED)
FINAL_JOB_STATUSES = (JobStatus.SUCCEEDED, JobStatus.PARTIALLY_SUCCEEDED, JobStatus.FAILED,
                      JobStatus.CANCELLED)
# Items with content a person can edit, approve or reject.
REVIEWABLE_ITEM_STATUSES = (ItemStatus.SUCCEEDED, ItemStatus.NEEDS_REVIEW)
# Items whose estimate is still owed to the budget.
COMMITTED_ITEM_STATUSES = (ItemStatus.PENDING, ItemStatus.RUNNING, ItemStatus.BATCHED)
# The job counter each final item status moves.
STATUS_COUNTER = {
    ItemStatus.SUCCEEDED: "items_succeeded",
    ItemStatus.NEEDS_REVIEW: "items_needs_review",
    ItemStatus.FAILED: "items_failed",
}


@dataclass(frozen=True)
class JobSubmission:
    """A validated job request, however it arrived (JSON, CSV, the admin)."""

    kind: str
    brand: str
    locales: list[str]
    model: str
    items: list[ItemInput] = field(default_factory=list)
    fallback: bool = True
    priority: str = Job.Priority.STANDARD
    fresh: bool = False  # True: never serve a cached output
    webhook_url: str = ""
    variants: int = 1  # A/B variants of every item in every locale
    # position -> the item's own number of variants, where it overrides the job's
    item_variants: dict[int, int] = field(default_factory=dict)
    channel: str = ""  # the network of a social_post; empty for the other kinds
    # `localize`: the source content's kind (a kind key), and the job whose finished
    # items are the sources (their id), when the items are not given.
    source_kind: str = ""
    source_job: str = ""

    def variants_of(self, position: int) -> int:
        return self.item_variants.get(position, self.variants)

    @property
    def kind_spec(self) -> KindSpec:
        if self.kind == LOCALIZE:
            return kind_get(self.kind, self.source_kind)
        return kind_get(self.kind, self.channel)


@dataclass(frozen=True)
class Actor:
    """Who edited, approved or rejected an item, as the item and its revisions record it:
    text, so the record outlives the user or key, and names both kinds of caller."""

    label: str

    @classmethod
    def system(cls) -> "Actor":
        """The pipeline itself (auto-approval)."""
        return cls(SYSTEM_ACTOR)

    @classmethod
    def for_user(cls, user) -> "Actor":
        """A person signed in to the admin."""
        return cls(f"user:{user.get_username()}")

    @classmethod
    def for_api_key(cls, api_key) -> "Actor":
        """An API caller: the key's prefix, which the admin shows to tell keys apart."""
        return cls(f"api_key:{api_key.prefix}")


SYSTEM_ACTOR = "system"


@dataclass(frozen=True)
class ReviewState:
    """An item's review fields: the state ("" while there is no content), who, when."""

    state: str
    by: str = ""
    at: datetime | None = None


class RetryLater(Exception):
    """The item went back to its queue untouched or after a transient failure; its task
    should run again after `countdown` seconds."""

    def __init__(self, countdown: float, reason: str):
        self.countdown = countdown
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Attempt:
    """One call to a model, as billed."""

    outcome: str
    usage: LLMUsage
    latency_ms: int = 0
    provider_model: str = ""
    error: str = ""
    checks: dict | None = None


@dataclass(frozen=True)
class Finish:
    """How an item ends."""

    status: str
    content: dict | None = None
    checks: dict | None = None
    model_used: str = ""
    error: str = ""
    # 0-100; when not given, the score in `checks` (CheckReport.as_dict()) is the one.
    quality: int | None = None

    def __post_init__(self):
        if self.quality is None and self.checks:
            object.__setattr__(self, "quality", self.checks.get("quality"))
