import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.brands import (
    custom_kinds_admin,  # noqa: F401  (registers the custom kinds' admin)
    limits,
)
from apps.brands.custom_kinds import custom_kind_specs_for_workspace
from apps.brands.glossary import entry_shape_problem, glossary_duplicates
from apps.brands.glossary_csv import COLUMNS as GLOSSARY_CSV_COLUMNS
from apps.brands.glossary_csv import glossary_from_csv, glossary_to_csv
from apps.brands.models import (
    BrandExample,
    BrandGlossaryEntry,
    BrandLocaleOverride,
    BrandTemplate,
    BrandTemplateVersion,
)
from apps.brands.selectors import brand_glossary
from apps.brands.services import (
    brand_archive,
    brand_duplicate,
    brand_store,
    brand_update,
    brand_version_create,
)
from apps.core.admin_diff import json_diff_table
from apps.core.csvtext import CsvInvalid
from apps.generation.kinds import KIND_KEY_CHOICES
from apps.generation.prompts import ItemInput, prompt_build
from apps.localization.locales import locale_languages, locale_tags

SAMPLE_PRODUCT = {
    "sku": "SAMPLE-1",
    "name": "Oak desk lamp",
    "brief": "Dimmable LED desk lamp with a solid oak base.",
    "attributes": {"material": "oak", "height_cm": 45},
    "price": "49.90",
    "currency": "EUR",
    "keywords": ["desk lamp", "oak"],
}


class LocaleOverrideForm(forms.ModelForm):
    locale = forms.ChoiceField(label=_("locale"), choices=())

    class Meta:
        model = BrandLocaleOverride
        fields = ("locale", "address", "notes", "banned_terms", "currency")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A language covers every market of it; a full tag wins over its language.
        self.fields["locale"].choices = [
            (language, language) for language in locale_languages()] + [
            (tag, tag) for tag in locale_tags()]


class LocaleOverrideInline(admin.StackedInline):
    model = BrandLocaleOverride
    form = LocaleOverrideForm
    extra = 0
    verbose_name_plural = _("per-market overrides")


class ExampleInline(admin.StackedInline):
    model = BrandExample
    extra = 0
    fields = ("locale", "product", "output", "position")
    verbose_name_plural = _("few-shot examples (a product and its approved text)")


def _translation_field(tag: str) -> str:
    return "translation_" + tag.replace("-", "_")


class GlossaryEntryFormBase(forms.ModelForm):
    """One glossary entry as a table row: a column per market for its rendering."""

    source_language = forms.ChoiceField(label=_("source language"), initial="en", choices=[
        (language, language) for language in locale_languages()])

    class Meta:
        model = BrandGlossaryEntry
        fields = ("term", "source_language", "do_not_translate", "case_sensitive", "notes")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for tag, rendering in (self.instance.translations or {}).items():
            if _translation_field(tag) in self.fields:
                self.fields[_translation_field(tag)].initial = rendering

    def clean(self):
        cleaned = super().clean()
        translations = {tag: cleaned[_translation_field(tag)] for tag in locale_tags()
                        if cleaned.get(_translation_field(tag))}
        problem = entry_shape_problem(do_not_translate=bool(cleaned.get("do_not_translate")),
                                      translations=translations)
        if problem:
            raise forms.ValidationError(problem)
        self.instance.translations = translations
        return cleaned


GlossaryEntryForm = type("GlossaryEntryForm", (GlossaryEntryFormBase,), {
    **{_translation_field(tag): forms.CharField(
        label=tag, required=False, max_length=limits.GLOSSARY_TERM_MAX_CHARS,
        widget=forms.TextInput(attrs={"size": 12})) for tag in locale_tags()},
    "notes": forms.CharField(label=_("notes"), required=False,
                             max_length=limits.GLOSSARY_NOTES_MAX_CHARS,
                             widget=forms.Textarea(attrs={"rows": 2, "cols": 30})),
})


class GlossaryFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [form for form in self.forms if form.has_changed() or form.instance.pk]
        kept = [form for form in kept if getattr(form, "cleaned_data", None)
                and not form.cleaned_data.get("DELETE") and not form.errors]
        entries = [{"term": form.cleaned_data["term"],
                    "source_language": form.cleaned_data["source_language"],
                    "case_sensitive": bool(form.cleaned_data.get("case_sensitive"))}
                   for form in kept]
        for index, _earlier in glossary_duplicates(entries):
            kept[index].add_error("term", _("This term is already in the glossary."))

    def save_new(self, form, commit=True):
        # New rows go after the ones above them, as the table shows them.
        form.instance.position = self.forms.index(form)
        return super().save_new(form, commit=commit)


class GlossaryInline(admin.TabularInline):
    model = BrandGlossaryEntry
    form = GlossaryEntryForm
    formset = GlossaryFormSet
    extra = 1
    max_num = limits.GLOSSARY_MAX_ENTRIES
    validate_max = True
    fields = ("term", "source_language", *[_translation_field(tag) for tag in locale_tags()],
              "do_not_translate", "case_sensitive", "notes")
    verbose_name_plural = _("glossary (how the brand renders its terms in each market)")


class VersionInline(admin.TabularInline):
    model = BrandTemplateVersion
    extra = 0
    can_delete = False
    fields = ("number", "created_at", "compare")
    readonly_fields = fields
    verbose_name_plural = _("history (immutable versions)")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("compare"))
    def compare(self, version):
        if version.number == 1:
            return "—"
        url = reverse("admin:brands_brandtemplate_diff", args=[version.brand_id])
        return format_html('<a href="{}?a={}&b={}">{}</a>', url, version.number - 1,
                           version.number, _("changes from the previous version"))


class PreviewForm(forms.Form):
    # Every built-in kind, a social post once per channel ("social_post:x"), then the
    # workspace's own kinds by slug.
    kind = forms.ChoiceField(label=_("kind"), choices=KIND_KEY_CHOICES)
    product = forms.JSONField(label=_("sample product"), initial=SAMPLE_PRODUCT,
                              widget=forms.Textarea(attrs={"rows": 10, "cols": 80}))

    def __init__(self, *args, custom_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.custom_kinds = {spec.slug: spec for spec in custom_kinds}
        self.fields["kind"].choices = [*KIND_KEY_CHOICES, *(
            (spec.slug, spec.label) for spec in custom_kinds)]

    def kind_spec(self):
        """The chosen kind: a built-in's key, or a custom kind's spec."""
        key = self.cleaned_data["kind"]
        return self.custom_kinds.get(key, key)

    def clean_product(self):
        product = self.cleaned_data["product"]
        if not isinstance(product, dict) or not product.get("name"):
            raise forms.ValidationError(
                _("Give the product as a JSON object with at least a name."))
        return product


class GlossaryImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), max_length=255)


@admin.register(BrandTemplate)
class BrandTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "workspace", "formality", "latest_version", "archived_at",
                    "updated_at")
    list_filter = ("workspace", "formality", "energy", ("archived_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "slug", "voice", "audience")
    actions = ["duplicate", "archive"]
    inlines = [LocaleOverrideInline, ExampleInline, GlossaryInline, VersionInline]
    readonly_fields = ("archived_at", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("workspace", "name", "slug")}),
        (_("Voice and tone"), {
            "fields": ("voice", ("formality", "energy", "humour")),
            "description": _("How every text should sound."),
        }),
        (_("Audience"), {"fields": ("audience",)}),
        (_("Rules"), {"fields": ("do_list", "dont_list", "banned_terms", "required_terms",
                                 "keywords_policy")}),
        (_("Length"), {"fields": ("length_bounds",), "classes": ("collapse",)}),
        (_("Status"), {"fields": ("archived_at", "created_at", "updated_at"),
                       "classes": ("collapse",)}),
    )

    @admin.display(description=_("version"))
    def latest_version(self, brand):
        return brand.versions.order_by("-number").values_list("number", flat=True).first()

    def save_model(self, request, obj, form, change):
        brand_store(brand=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The inlines are saved by now, so the version freezes the whole template.
        brand_version_create(brand=form.instance)

    @admin.action(description=_("Duplicate the selected templates"))
    def duplicate(self, request, queryset):
        for brand in queryset:
            brand_duplicate(brand=brand)
        self._report(request, queryset.count(), ngettext(
            "%(count)d template duplicated.", "%(count)d templates duplicated.", queryset.count()))

    @admin.action(description=_("Archive the selected templates"))
    def archive(self, request, queryset):
        for brand in queryset:
            brand_archive(brand=brand)
        self._report(request, queryset.count(), ngettext(
            "%(count)d template archived.", "%(count)d templates archived.", queryset.count()))

    def _report(self, request, count: int, message: str) -> None:
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def get_urls(self):
        own = [
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view),
                 name="brands_brandtemplate_preview"),
            path("<int:pk>/diff/", self.admin_site.admin_view(self.diff_view),
                 name="brands_brandtemplate_diff"),
            path("<int:pk>/glossary.csv", self.admin_site.admin_view(self.glossary_export_view),
                 name="brands_brandtemplate_glossary_export"),
            path("<int:pk>/glossary/import/",
                 self.admin_site.admin_view(self.glossary_import_view),
                 name="brands_brandtemplate_glossary_import"),
        ]
        return own + super().get_urls()

    def _brand_or_404(self, request, pk) -> BrandTemplate:
        brand = self.get_object(request, str(pk))
        if brand is None or not self.has_view_permission(request, brand):
            raise Http404
        return brand

    def preview_view(self, request, pk):
        """The exact prompt the pipeline would send for a sample product, per locale."""
        brand = self._brand_or_404(request, pk)
        version = brand.versions.order_by("-number").first()
        form = PreviewForm(request.GET or None, custom_kinds=custom_kind_specs_for_workspace(
            workspace=brand.workspace))
        kind, spec, product = "product_description", "product_description", SAMPLE_PRODUCT
        if form.is_valid():
            kind, spec = form.cleaned_data["kind"], form.kind_spec()
            product = form.cleaned_data["product"]
        item = ItemInput.from_product(product)
        prompts = [
            (tag, prompt_build(brand=version.snapshot, kind=spec, locale=tag, item=item).messages)
            for tag in locale_tags()
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "original": brand, "version": version,
            "title": _("Prompt preview: %(name)s") % {"name": brand.name},
            "form": form, "prompts": prompts, "kind": kind,
            "product_json": json.dumps(product, ensure_ascii=False),
            "sample_url": reverse("admin:jobs_job_sample"),
        }
        return TemplateResponse(request, "admin/brands/brandtemplate/preview.html", context)

    def diff_view(self, request, pk):
        brand = self._brand_or_404(request, pk)
        numbers = list(brand.versions.order_by("number").values_list("number", flat=True))
        try:
            a = int(request.GET.get("a", numbers[-2] if len(numbers) > 1 else numbers[-1]))
            b = int(request.GET.get("b", numbers[-1]))
        except ValueError as exc:
            raise Http404 from exc
        versions = {v.number: v for v in brand.versions.filter(number__in=[a, b])}
        if a not in versions or b not in versions:
            raise Http404

        table = json_diff_table(versions[a].snapshot, versions[b].snapshot,
                                fromdesc=_("version %(n)s") % {"n": a},
                                todesc=_("version %(n)s") % {"n": b})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "original": brand, "numbers": numbers, "a": a, "b": b,
            "title": _("Changes in %(name)s") % {"name": brand.name}, "diff_table": table,
        }
        return TemplateResponse(request, "admin/brands/brandtemplate/diff.html", context)

    def glossary_export_view(self, request, pk):
        brand = self._brand_or_404(request, pk)
        response = HttpResponse(glossary_to_csv(brand_glossary(brand=brand)),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{brand.slug}-glossary.csv"'
        return response

    def glossary_import_view(self, request, pk):
        """Replace the glossary from a CSV file: all of it, or nothing when a row is wrong."""
        brand = self._brand_or_404(request, pk)
        if not self.has_change_permission(request, brand):
            raise PermissionDenied
        form = GlossaryImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                entries = glossary_from_csv(form.cleaned_data["file"].read())
            except CsvInvalid as exc:
                errors = exc.errors
            else:
                brand_update(brand=brand, glossary=entries)
                self.message_user(request, ngettext(
                    "%(count)d glossary term imported.", "%(count)d glossary terms imported.",
                    len(entries)) % {"count": len(entries)}, messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:brands_brandtemplate_change", args=[brand.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "original": brand, "form": form, "errors": errors,
            "title": _("Import a glossary: %(name)s") % {"name": brand.name},
            "columns": ", ".join(GLOSSARY_CSV_COLUMNS),
        }
        return TemplateResponse(request, "admin/brands/brandtemplate/glossary_import.html",
                                context)
