from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Workspace


class BrandTemplate(models.Model):
    """A brand's voice and rules. Every save makes an immutable BrandTemplateVersion."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="brands",
                                  verbose_name=_("workspace"))
    slug = models.SlugField(_("slug"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    voice = models.TextField(_("voice and tone"), help_text=_("How the brand sounds, in a few sentences."))
    audience = models.TextField(_("audience"), blank=True)
    do_list = models.JSONField(_("do"), default=list, blank=True)
    dont_list = models.JSONField(_("don't"), default=list, blank=True)
    banned_terms = models.JSONField(_("banned terms"), default=list, blank=True)
    required_terms = models.JSONField(_("required terms"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("brand template")
        verbose_name_plural = _("brand templates")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "slug"], name="brand_slug_unique_per_workspace"),
        ]

    def __str__(self) -> str:
        return self.name


class BrandTemplateVersion(models.Model):
    """A frozen copy of a template; jobs pin one so later edits never change their work."""

    brand = models.ForeignKey(BrandTemplate, on_delete=models.CASCADE, related_name="versions",
                              verbose_name=_("brand template"))
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("snapshot"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("brand template version")
        verbose_name_plural = _("brand template versions")
        ordering = ["brand", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "number"], name="brand_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.brand} v{self.number}"
