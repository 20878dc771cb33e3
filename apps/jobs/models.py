import uuid
from functools import cached_property

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Workspace
from apps.brands.models import BrandTemplateVersion, CustomKindVersion
from apps.generation.kinds import KIND_CHOICES, LOCALIZE, KindSpec, kind_get

MONEY = {"max_digits": 14, "decimal_places": 8, "default": 0}


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        PARTIALLY_SUCCEEDED = "partially_succeeded", _("Partially succeeded")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        PAUSED = "paused", _("Paused (budget reached)")

    class Priority(models.TextChoices):
        STANDARD = "standard", _("Standard")
        ECONOMY = "economy", _("Economy (Batch API, half price, within 24 hours)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="jobs",
                                  verbose_name=_("workspace"))
    brand_version = models.ForeignKey(BrandTemplateVersion, on_delete=models.PROTECT,
                                      related_name="jobs", verbose_name=_("brand version"))
    # A kind of the registry (apps.generation.kinds), and the network a social post is for;
    # or the slug of a workspace's custom kind, whose version the job pins.
    kind = models.CharField(_("kind"), max_length=64, choices=KIND_CHOICES)
    kind_version = models.ForeignKey(
        CustomKindVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="jobs",
        verbose_name=_("custom kind version"),
        help_text=_("The custom kind's definition the job was submitted with."))
    channel = models.CharField(_("channel"), max_length=32, blank=True, default="")
    # A `localize` job: the kind of the content it adapts (a kind key, "social_post:x"),
    # and the finished job it took its sources from, if it did.
    source_kind = models.CharField(_("source kind"), max_length=64, blank=True, default="")
    source_job = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="localizations", verbose_name=_("source job"))
    locales = models.JSONField(_("locales"))
    model_policy = models.CharField(_("model policy"), max_length=64)
    fallback = models.BooleanField(
        _("fallback"), default=True,
        help_text=_("Text items may move to the other model while a route is down."))
    priority = models.CharField(_("priority"), max_length=16, choices=Priority.choices,
                                default=Priority.STANDARD)
    status = models.CharField(_("status"), max_length=32, choices=Status.choices,
                              default=Status.QUEUED)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, blank=True)
    request_hash = models.CharField(_("request hash"), max_length=64, blank=True, editable=False)
    webhook_url = models.URLField(_("webhook URL"), max_length=2000, blank=True)
    items_total = models.PositiveIntegerField(_("items"))
    items_succeeded = models.PositiveIntegerField(_("succeeded"), default=0)
    items_failed = models.PositiveIntegerField(_("failed"), default=0)
    items_needs_review = models.PositiveIntegerField(_("needs review"), default=0)
    items_cancelled = models.PositiveIntegerField(_("cancelled"), default=0)
    estimated_cost_usd = models.DecimalField(_("estimated cost (USD)"), **MONEY)
    actual_cost_usd = models.DecimalField(_("actual cost (USD)"), **MONEY)
    provider_cost_usd = models.DecimalField(_("provider-reported cost (USD)"), max_digits=14,
                                            decimal_places=8, null=True, blank=True)
    items_cached = models.PositiveIntegerField(_("served from cache"), default=0)
    input_tokens = models.BigIntegerField(_("input tokens"), default=0)
    output_tokens = models.BigIntegerField(_("output tokens"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["workspace", "-created_at"], name="job_workspace_recent")]
        constraints = [
            # A repeated Idempotency-Key finds its job; the key is per workspace.
            models.UniqueConstraint(fields=["workspace", "idempotency_key"],
                                    condition=~models.Q(idempotency_key=""),
                                    name="job_idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return str(self.id)

    @cached_property
    def kind_spec(self) -> KindSpec:
        """The kind the job writes, as written for its channel; a custom kind as the
        version the job pinned defines it, whatever was edited since (for `localize`: the
        source kind's fields and rules)."""
        if self.kind == LOCALIZE:
            return kind_get(self.kind, self.source_kind)
        if self.kind_version_id is not None:
            return KindSpec.from_dict(self.kind_version.spec)
        return kind_get(self.kind, self.channel)

    @property
    def kind_label(self) -> str:
        return str(self.kind_spec.label)

    @property
    def items_pending(self) -> int:
        return (self.items_total - self.items_succeeded - self.items_failed
                - self.items_needs_review - self.items_cancelled)


class JobItem(models.Model):
    """One product (or brief) in one locale, one A/B variant of it: the unit of work,
    retry and billing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        NEEDS_REVIEW = "needs_review", _("Needs review")
        FAILED = "failed", _("Failed")
        PAUSED = "paused", _("Paused (budget reached)")
        BATCHED = "batched", _("In a provider batch")
        CANCELLED = "cancelled", _("Cancelled")

    class Review(models.TextChoices):
        # Beside the generation status: what a person (or auto-approval) decided about
        # the stored content. Empty while there is no content to decide on.
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="items",
                            verbose_name=_("job"))
    position = models.PositiveIntegerField(_("position"))
    sku = models.CharField(_("SKU"), max_length=100)
    locale = models.CharField(_("locale"), max_length=16)
    variant = models.PositiveSmallIntegerField(
        _("variant"), default=1,
        help_text=_("Which of the product's A/B variants in this locale, from 1."))
    # How many variants the product has in each locale: the prompt asks for "variant 2 of
    # 3", and a single-variant item needs no look at siblings.
    variants = models.PositiveSmallIntegerField(_("variants"), default=1, editable=False)
    input = models.JSONField(_("input"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.PENDING)
    model = models.CharField(_("routed model"), max_length=64)
    model_used = models.CharField(_("model used"), max_length=64, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    from_cache = models.BooleanField(_("from cache"), default=False)
    input_tokens = models.BigIntegerField(_("input tokens"), default=0)
    output_tokens = models.BigIntegerField(_("output tokens"), default=0)
    cost_usd = models.DecimalField(_("cost (USD)"), **MONEY)
    provider_cost_usd = models.DecimalField(_("provider-reported cost (USD)"), max_digits=14,
                                            decimal_places=8, null=True, blank=True)
    estimated_cost_usd = models.DecimalField(_("estimated cost (USD)"), **MONEY)
    content = models.JSONField(_("content"), null=True, blank=True)
    checks = models.JSONField(_("check report"), null=True, blank=True,
                              help_text=_("The brand checks of the stored content."))
    quality = models.PositiveSmallIntegerField(
        _("quality"), null=True, blank=True,
        help_text=_("The quality score of the stored content, from 0 to 100."))
    error = models.TextField(_("error"), blank=True)
    review = models.CharField(_("review"), max_length=16, choices=Review.choices, blank=True)
    # "system", "user:<username>" or "api_key:<prefix>": kept as text so the record
    # outlives a deleted user or key.
    reviewed_by = models.CharField(_("reviewed by"), max_length=200, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    revision = models.PositiveIntegerField(
        _("revision"), default=0,
        help_text=_("The number of the latest human edit; 0 when nobody has edited the item."))
    edited = models.BooleanField(
        _("edited"), default=False,
        help_text=_("The content is a person's edit (the latest revision), not the model's."))
    # Who holds the item while it runs, and until when: a claim whose lease has
    # expired (its worker died) may be taken over by the next delivery.
    # When the item's last message was sent: the recovery sweep sends another if this
    # is old and the item is still pending (the message was lost; claims make a
    # duplicate harmless).
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    claim_id = models.UUIDField(null=True, blank=True, editable=False)
    lease_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job item")
        verbose_name_plural = _("job items")
        ordering = ["job", "position", "locale", "variant"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position", "locale", "variant"],
                                    name="job_item_unique"),
        ]
        indexes = [models.Index(fields=["status", "lease_expires_at"], name="item_status_lease"),
                   models.Index(fields=["status", "queued_at"], name="item_status_queued"),
                   models.Index(fields=["review", "job"], name="item_review")]

    def __str__(self) -> str:
        if self.variants > 1:
            return f"{self.sku} [{self.locale}] v{self.variant}"
        return f"{self.sku} [{self.locale}]"


class ItemRevision(models.Model):
    """One human edit of an item's content: every save is kept, numbered from 1, with
    the content before and after, so an edit can be audited and undone by hand."""

    item = models.ForeignKey(JobItem, on_delete=models.CASCADE, related_name="revisions",
                             verbose_name=_("item"))
    number = models.PositiveIntegerField(_("number"))
    author = models.CharField(_("author"), max_length=200)
    previous_content = models.JSONField(_("previous content"), null=True, blank=True)
    new_content = models.JSONField(_("new content"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("item revision")
        verbose_name_plural = _("item revisions")
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="item_revision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} r{self.number}"


class GenerationAttempt(models.Model):
    """One call to a model: the bill is the sum of attempts."""

    class Outcome(models.TextChoices):
        OK = "ok", _("OK")
        INVALID_OUTPUT = "invalid_output", _("Invalid output")
        CHECK_FAILED = "check_failed", _("Failed brand checks")
        REJECTED = "rejected", _("Rejected answer")
        TRANSIENT_ERROR = "transient_error", _("Transient error")
        PERMANENT_ERROR = "permanent_error", _("Permanent error")

    item = models.ForeignKey(JobItem, on_delete=models.CASCADE, related_name="generation_attempts",
                             verbose_name=_("item"))
    model = models.CharField(_("model"), max_length=64)
    provider_model = models.CharField(_("provider model"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=32, choices=Outcome.choices)
    input_tokens = models.BigIntegerField(_("input tokens"), default=0)
    output_tokens = models.BigIntegerField(_("output tokens"), default=0)
    cost_usd = models.DecimalField(_("cost (USD)"), **MONEY)
    provider_cost_usd = models.DecimalField(_("provider-reported cost (USD)"), max_digits=14,
                                            decimal_places=8, null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), default=0)
    error = models.TextField(_("error"), blank=True)
    checks = models.JSONField(_("check report"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("generation attempt")
        verbose_name_plural = _("generation attempts")
        ordering = ["item", "pk"]
        # Usage reports and the metrics' recent-latency window read attempts by time.
        indexes = [models.Index(fields=["created_at"], name="attempt_created")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.model} {self.outcome}"


class ContentCacheEntry(models.Model):
    """A finished, checked output, reused when the same product is submitted again
    with the same brand version, kind, locale, model and parameters."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("workspace"))
    key = models.CharField(_("key"), max_length=64)
    model = models.CharField(_("model"), max_length=64)
    content = models.JSONField(_("content"))
    checks = models.JSONField(_("check report"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cached output")
        verbose_name_plural = _("cached outputs")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="content_cache_unique"),
        ]

    def __str__(self) -> str:
        return self.key


class ProviderBatch(models.Model):
    """Items of an economy job sent together through a provider's Batch API."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the provider")
        DONE = "done", _("Folded back into the items")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="provider_batches",
                            verbose_name=_("job"))
    model = models.CharField(_("model"), max_length=64)
    batch_id = models.CharField(_("provider batch id"), max_length=200, unique=True)
    item_ids = models.JSONField(_("items"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.OPEN)
    provider_status = models.CharField(_("provider status"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("provider batch")
        verbose_name_plural = _("provider batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.batch_id


class WebhookDelivery(models.Model):
    """One attempt to deliver one webhook event: a retry is a new row (as Saleor's
    delivery attempts), so the log shows every request that was made and its answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="webhook_deliveries",
                            verbose_name=_("job"))
    # The same on every attempt of one event: receivers deduplicate on it
    # (the ContentGen-Delivery header).
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, editable=False, db_index=True)
    event = models.CharField(_("event"), max_length=64)
    url = models.URLField(_("URL"), max_length=2000)
    # The exact body sent, as text: every attempt sends (and signs) the same bytes,
    # which a JSONField would not keep (jsonb reorders keys).
    payload = models.TextField(_("payload (JSON)"))
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.PENDING)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    response_body = models.TextField(_("response body"), blank=True,
                                     help_text=_("The first 2,000 characters."))
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["job", "-created_at"], name="webhook_delivery_job_recent")]

    def __str__(self) -> str:
        return f"{self.event} #{self.attempt} {self.status}"
