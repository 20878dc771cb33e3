"""The admin of custom kinds: the kind, a row per field, and its history of versions.

Every form runs the checks of `apps.brands.custom_kinds` (the ones any API runs), so a
kind no model could satisfy is refused on the row and column at fault; a save that
passes freezes a new version, which the next jobs of the kind pin.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.brands.custom_kinds import (
    FieldDraft,
    custom_kind_version_create,
    field_problems,
    fields_problems,
    kind_head_problems,
)
from apps.brands.models import CustomKind, CustomKindField, CustomKindVersion


class CustomKindForm(forms.ModelForm):
    class Meta:
        model = CustomKind
        fields = ("workspace", "name", "slug", "instructions")

    def clean(self):
        cleaned = super().clean()
        problems = kind_head_problems(slug=cleaned.get("slug") or "",
                                      name=cleaned.get("name") or "",
                                      instructions=cleaned.get("instructions") or "")
        for name, messages in problems.items():
            if name not in self.errors:
                for message in messages:
                    self.add_error(name, message)
        return cleaned


def _draft(cleaned: dict) -> FieldDraft:
    is_list = cleaned.get("type") == CustomKindField.Type.LIST
    return FieldDraft(
        name=cleaned.get("name") or "", label=cleaned.get("label") or "", is_list=is_list,
        max_chars=cleaned.get("max_chars"), min_chars=cleaned.get("min_chars") or 0,
        min_entries=(cleaned.get("min_entries") or 0) if is_list else 1,
        max_entries=(cleaned.get("max_entries") or 0) if is_list else 1,
        required=bool(cleaned.get("required")))


class CustomKindFieldForm(forms.ModelForm):
    class Meta:
        model = CustomKindField
        fields = ("name", "label", "type", "min_chars", "max_chars", "min_entries",
                  "max_entries", "required")
        widgets = {name: forms.NumberInput(attrs={"style": "width: 7em"})
                   for name in ("min_chars", "max_chars", "min_entries", "max_entries")}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        for name, messages in field_problems(_draft(cleaned)).items():
            for message in messages:
                self.add_error(name, message)
        return cleaned


class CustomKindFieldFormSet(forms.BaseInlineFormSet):
    def _kept(self) -> list:
        return [form for form in self.forms
                if (form.has_changed() or form.instance.pk)
                and getattr(form, "cleaned_data", None) is not None
                and not form.cleaned_data.get("DELETE")]

    def clean(self):
        super().clean()
        kept = self._kept()
        if any(form.errors for form in kept):
            return
        problems = fields_problems([_draft(form.cleaned_data) for form in kept])
        for path, messages in problems.items():
            if path == "fields":
                raise forms.ValidationError(messages)
            index, attribute = path.split(".")[1:]
            for message in messages:
                kept[int(index)].add_error(attribute, message)

    def save_new(self, form, commit=True):
        # The rows keep the order the table shows them in: the output's order.
        form.instance.position = self.forms.index(form)
        return super().save_new(form, commit=commit)

    def save_existing(self, form, obj, commit=True):
        obj.position = self.forms.index(form)
        return super().save_existing(form, obj, commit=commit)


class CustomKindFieldInline(admin.TabularInline):
    model = CustomKindField
    form = CustomKindFieldForm
    formset = CustomKindFieldFormSet
    extra = 1
    verbose_name_plural = _("fields (in the order the model writes them)")


class CustomKindVersionInline(admin.TabularInline):
    model = CustomKindVersion
    extra = 0
    can_delete = False
    fields = ("number", "created_at")
    readonly_fields = fields
    verbose_name_plural = _("history (immutable versions; a job keeps the one it was "
                            "submitted with)")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CustomKind)
class CustomKindAdmin(admin.ModelAdmin):
    form = CustomKindForm
    list_display = ("name", "slug", "workspace", "latest_version", "updated_at")
    list_filter = ("workspace",)
    search_fields = ("name", "slug", "instructions")
    inlines = [CustomKindFieldInline, CustomKindVersionInline]

    @admin.display(description=_("version"))
    def latest_version(self, kind):
        return kind.versions.order_by("-number").values_list("number", flat=True).first()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The fields are saved by now, so the version freezes the whole kind.
        custom_kind_version_create(kind=form.instance)
