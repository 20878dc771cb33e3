from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Workspace


class BrandTemplate(models.Model):
    """A brand's voice and rules. Every save makes an immutable BrandTemplateVersion."""

    class Formality(models.TextChoices):
        FORMAL = "formal", _("Formal")
        NEUTRAL = "neutral", _("Neutral")
        INFORMAL = "informal", _("Informal")

    class Energy(models.TextChoices):
        CALM = "calm", _("Calm")
        BALANCED = "balanced", _("Balanced")
        ENERGETIC = "energetic", _("Energetic")

    class Humour(models.TextChoices):
        NONE = "none", _("None")
        LIGHT = "light", _("Light")
        PLAYFUL = "playful", _("Playful")

    class KeywordsPolicy(models.TextChoices):
        IGNORE = "ignore", _("Ignore the product's keywords")
        NATURAL = "natural", _("Use them where they read naturally")
        REQUIRED = "required", _("Every keyword must appear")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="brands",
                                  verbose_name=_("workspace"))
    slug = models.SlugField(_("slug"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    voice = models.TextField(_("voice and tone"),
                             help_text=_("How the brand sounds, in a few sentences."))
    formality = models.CharField(_("formality"), max_length=16, choices=Formality.choices,
                                 default=Formality.NEUTRAL)
    energy = models.CharField(_("energy"), max_length=16, choices=Energy.choices,
                              default=Energy.BALANCED)
    humour = models.CharField(_("humour"), max_length=16, choices=Humour.choices,
                              default=Humour.NONE)
    audience = models.TextField(_("audience"), blank=True)
    do_list = models.JSONField(_("do"), default=list, blank=True,
                               help_text=_("A JSON list of short rules, "
                                           "e.g. [\"Name the material\"]."))
    dont_list = models.JSONField(_("don't"), default=list, blank=True,
                                 help_text=_("A JSON list of short rules."))
    banned_terms = models.JSONField(_("banned terms"), default=list, blank=True,
                                    help_text=_("Words that must never appear, in any inflection."))
    required_terms = models.JSONField(_("required terms"), default=list, blank=True,
                                      help_text=_("Words that every text must contain."))
    keywords_policy = models.CharField(_("SEO keywords"), max_length=16,
                                       choices=KeywordsPolicy.choices,
                                       default=KeywordsPolicy.NATURAL)
    length_bounds = models.JSONField(
        _("length bounds"), default=dict, blank=True,
        help_text=_("Characters per content field, e.g. {\"title\": {\"min\": 20, \"max\": 80}}."))
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("brand template")
        verbose_name_plural = _("brand templates")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "slug"],
                                    name="brand_slug_unique_per_workspace"),
        ]

    def __str__(self) -> str:
        return self.name


class BrandLocaleOverride(models.Model):
    """What changes for one market: form of address, notes, banned terms, currency."""

    class Address(models.TextChoices):
        INFORMAL = "informal", _("Informal (tú / ты)")
        FORMAL = "formal", _("Formal (usted / вы)")

    brand = models.ForeignKey(BrandTemplate, on_delete=models.CASCADE,
                              related_name="locale_overrides",
                              verbose_name=_("brand template"))
    locale = models.CharField(_("locale"), max_length=16)
    address = models.CharField(_("form of address"), max_length=16, choices=Address.choices,
                               blank=True)
    notes = models.TextField(_("locale notes"), blank=True)
    banned_terms = models.JSONField(_("banned terms in this market"), default=list, blank=True)
    currency = models.CharField(_("preferred currency"), max_length=3, blank=True)

    class Meta:
        verbose_name = _("locale override")
        verbose_name_plural = _("locale overrides")
        ordering = ["brand", "locale"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "locale"], name="brand_locale_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.brand} [{self.locale}]"


class BrandExample(models.Model):
    """A few-shot example: a product and the approved text for it."""

    brand = models.ForeignKey(BrandTemplate, on_delete=models.CASCADE, related_name="examples",
                              verbose_name=_("brand template"))
    locale = models.CharField(_("locale"), max_length=16)
    product = models.JSONField(_("product"), help_text=_("The product data, as sent to the API."))
    output = models.JSONField(_("approved output"), help_text=_("The approved content fields."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("example")
        verbose_name_plural = _("examples")
        ordering = ["brand", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.brand} example [{self.locale}]"


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


class BrandGlossaryEntry(models.Model):
    """A term and how the brand renders it in each market, or that it is never translated.

    `translations` maps a full locale tag ("es-MX") to the rendering; a do-not-translate
    entry has none. Validation lives in `apps.brands.glossary`, shared by the API, the CSV
    import and the admin."""

    brand = models.ForeignKey(BrandTemplate, on_delete=models.CASCADE,
                              related_name="glossary_entries",
                              verbose_name=_("brand template"))
    term = models.CharField(_("term"), max_length=200)
    source_language = models.CharField(_("source language"), max_length=8)
    do_not_translate = models.BooleanField(
        _("do not translate"), default=False,
        help_text=_("Keep the term exactly as written in every market."))
    case_sensitive = models.BooleanField(
        _("case sensitive"), default=False,
        help_text=_("Match the term only with the same capitals (“Apple”, not “apple”)."))
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("glossary entry")
        verbose_name_plural = _("glossary entries")
        ordering = ["brand", "position", "pk"]

    def __str__(self) -> str:
        return self.term


class CustomKind(models.Model):
    """A content kind a workspace defines itself (a push notification, a marketplace
    listing): its instructions and fields. Every save makes an immutable CustomKindVersion,
    which a job of the kind pins, as it pins its brand version. Validation lives in
    `apps.brands.custom_kinds`, shared by the admin and any API."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE,
                                  related_name="custom_kinds", verbose_name=_("workspace"))
    slug = models.SlugField(
        _("slug"), max_length=64,
        help_text=_("What the API calls the kind (“kind”: “push_notification”): lowercase "
                    "letters, digits, - and _, starting with a letter."))
    name = models.CharField(_("name"), max_length=200)
    instructions = models.TextField(
        _("instructions"),
        help_text=_("What to write and how, as you would brief a copywriter. The brand's "
                    "voice and rules are added to it."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("custom kind")
        verbose_name_plural = _("custom kinds")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "slug"],
                                    name="custom_kind_slug_unique_per_workspace"),
        ]

    def __str__(self) -> str:
        return self.name


class CustomKindField(models.Model):
    """One field of a custom kind's output: text, or a list of texts."""

    class Type(models.TextChoices):
        TEXT = "text", _("Text")
        LIST = "list", _("List of texts")

    kind = models.ForeignKey(CustomKind, on_delete=models.CASCADE, related_name="kind_fields",
                             verbose_name=_("custom kind"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(
        _("field name"), max_length=40,
        help_text=_("The key in the output: lowercase letters, digits and _, starting with a "
                    "letter."))
    label = models.CharField(_("label"), max_length=100)
    type = models.CharField(_("type"), max_length=8, choices=Type.choices, default=Type.TEXT)
    min_chars = models.PositiveIntegerField(_("min characters"), default=1)
    max_chars = models.PositiveIntegerField(_("max characters"),
                                            help_text=_("For a list, of each entry."))
    min_entries = models.PositiveSmallIntegerField(_("min entries"), default=1,
                                                   help_text=_("Lists only."))
    max_entries = models.PositiveSmallIntegerField(_("max entries"), default=1,
                                                   help_text=_("Lists only."))
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["kind", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class CustomKindVersion(models.Model):
    """A frozen custom kind: `spec` is its KindSpec as JSON (apps.generation.kinds). Jobs
    pin one, so an edit never changes a running or finished job."""

    kind = models.ForeignKey(CustomKind, on_delete=models.CASCADE, related_name="versions",
                             verbose_name=_("custom kind"))
    number = models.PositiveIntegerField(_("version"))
    spec = models.JSONField(_("definition"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("custom kind version")
        verbose_name_plural = _("custom kind versions")
        ordering = ["kind", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"],
                                    name="custom_kind_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} v{self.number}"
