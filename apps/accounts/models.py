import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


def default_max_regenerations() -> int:
    return settings.GENERATION_MAX_REGENERATIONS


# The quality gate's pass mark: a failed check leaves a score under 50 (see
# apps.generation.quality.score), so 60 also holds back content that only came close.
DEFAULT_QUALITY_THRESHOLD = 60


def default_webhook_secret() -> str:
    return secrets.token_hex(32)


class Workspace(models.Model):
    """The tenant: every brand, job and key belongs to exactly one workspace."""

    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    max_regenerations = models.PositiveSmallIntegerField(
        _("regenerations per item"), default=default_max_regenerations,
        help_text=_("How many times an answer that fails the brand checks is rewritten "
                    "before the item goes to review."))
    quality_threshold = models.PositiveSmallIntegerField(
        _("quality threshold"), default=DEFAULT_QUALITY_THRESHOLD,
        validators=[MaxValueValidator(100)],
        help_text=_("Content scoring below this (0 to 100) goes to review even when no "
                    "single check failed."))
    auto_approve = models.BooleanField(
        _("approve automatically"), default=True,
        help_text=_("Content that passes every check is approved without a person; content "
                    "that fails them always waits for review."))
    monthly_budget_usd = models.DecimalField(
        _("monthly budget (USD)"), max_digits=12, decimal_places=2, null=True, blank=True,
        help_text=_("Jobs that would pass it are refused; running jobs pause when it is reached."))
    # Signs the workspace's webhooks (apps.jobs.webhooks); never shown in forms or logs.
    webhook_secret = models.CharField(_("webhook signing secret"), max_length=64,
                                      default=default_webhook_secret, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """An API key, stored as a SHA-256 digest: the key itself is shown once, at creation."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="api_keys",
                                  verbose_name=_("workspace"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=16, help_text=_("Shown to tell keys apart."))
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…"


class WorkspaceMonthlySpend(models.Model):
    """What a workspace has spent on model calls in one calendar month (UTC), kept up
    to date with every attempt so that budget checks read one row."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="spend",
                                  verbose_name=_("workspace"))
    month = models.DateField(_("month"))
    cost_usd = models.DecimalField(_("cost (USD)"), max_digits=14, decimal_places=8, default=0)

    class Meta:
        verbose_name = _("monthly spend")
        verbose_name_plural = _("monthly spend")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "month"], name="spend_month_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.workspace} {self.month:%Y-%m}"
