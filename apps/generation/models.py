from django.db import models
from django.utils.translation import gettext_lazy as _


class ModelPrice(models.Model):
    """Catalog figures that override the settings defaults for one model route:
    edited in the admin, or refreshed from the provider's /models listing."""

    class Source(models.TextChoices):
        ADMIN = "admin", _("Edited in the admin")
        LISTING = "listing", _("Provider's model listing")

    model = models.CharField(_("model"), max_length=64, unique=True)
    input_usd_per_mtok = models.DecimalField(_("input, USD per million tokens"), max_digits=12,
                                             decimal_places=6)
    output_usd_per_mtok = models.DecimalField(_("output, USD per million tokens"), max_digits=12,
                                              decimal_places=6)
    context_tokens = models.PositiveIntegerField(_("context window (tokens)"), null=True,
                                                 blank=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices,
                              default=Source.ADMIN)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("model price")
        verbose_name_plural = _("model prices")
        ordering = ["model"]

    def __str__(self) -> str:
        return self.model
