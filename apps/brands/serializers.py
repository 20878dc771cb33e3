import json

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.brands import limits
from apps.brands.glossary import (
    duplicate_entry_message,
    entry_shape_problem,
    glossary_duplicates,
    source_language_normalise,
    translation_locale,
    unsupported_language_message,
    unsupported_locale_message,
)
from apps.brands.models import BrandLocaleOverride, BrandTemplate
from apps.brands.selectors import brand_glossary
from apps.core.validation import (
    CURRENCY_CODE_MESSAGE,
    CURRENCY_CODE_RE,
    BoundedListField,
    StrictFieldsMixin,
    json_value_validate,
)
from apps.generation.kinds import BUILTIN_KINDS
from apps.localization.locales import locale_languages, locale_resolve, locale_tags

CONTENT_FIELD_NAMES = sorted({name for spec in BUILTIN_KINDS.values() for name in spec.field_names})


def term_list() -> serializers.ListField:
    return BoundedListField(child=serializers.CharField(max_length=limits.TERM_MAX_CHARS),
                            required=False, max_length=limits.TERMS_MAX)


def _size_checked(value, *, max_entries: int):
    """A map counted before its entries are validated."""
    if isinstance(value, dict) and len(value) > max_entries:
        raise serializers.ValidationError(
            _("At most %(limit)s entries.") % {"limit": max_entries}, code="max_length")
    return value


def example_json_validate(value: dict) -> dict:
    json_value_validate(value, max_depth=limits.EXAMPLE_JSON_MAX_DEPTH)
    if len(json.dumps(value, ensure_ascii=False)) > limits.EXAMPLE_JSON_MAX_CHARS:
        raise serializers.ValidationError(
            _("At most %(limit)s characters as JSON.") % {"limit": limits.EXAMPLE_JSON_MAX_CHARS},
            code="max_length")
    return value


class LocaleOverrideSerializer(StrictFieldsMixin, serializers.Serializer):
    address = serializers.ChoiceField(choices=BrandLocaleOverride.Address.choices, required=False,
                                      allow_blank=True, default="")
    notes = serializers.CharField(max_length=limits.LOCALE_NOTES_MAX_CHARS, required=False,
                                  allow_blank=True, default="")
    banned_terms = term_list()
    currency = serializers.RegexField(CURRENCY_CODE_RE, required=False, allow_blank=True,
                                      default="", error_messages={"invalid": CURRENCY_CODE_MESSAGE})

    def validate_banned_terms(self, value):
        return value or []


def override_key(tag) -> str | None:
    """A bare language ("es": every Spanish market) or a full tag ("es-MX"), normalised."""
    if isinstance(tag, str) and tag.strip().lower() in locale_languages():
        return tag.strip().lower()
    locale = locale_resolve(tag) if isinstance(tag, str) and "-" in tag.replace("_", "-") else None
    return locale.tag if locale else None


class ExampleSerializer(StrictFieldsMixin, serializers.Serializer):
    locale = serializers.CharField(max_length=16)
    product = serializers.DictField(validators=[example_json_validate])
    output = serializers.DictField(validators=[example_json_validate])

    def validate_locale(self, value):
        key = override_key(value)
        if key is None:
            raise serializers.ValidationError(
                _("Unsupported locale “%(tag)s”.") % {"tag": value})
        return key

    def validate(self, attrs):
        # A PATCH makes DRF treat nested fields as optional too; an example is whole or nothing.
        missing = {name: [_("This field is required.")] for name in ("locale", "product", "output")
                   if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class LengthBoundSerializer(StrictFieldsMixin, serializers.Serializer):
    min = serializers.IntegerField(min_value=0, max_value=10_000, required=False, allow_null=True)
    max = serializers.IntegerField(min_value=1, max_value=10_000, required=False, allow_null=True)

    def validate(self, attrs):
        low, high = attrs.get("min"), attrs.get("max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"min": _("The minimum is above the maximum.")})
        return attrs


class GlossaryEntrySerializer(StrictFieldsMixin, serializers.Serializer):
    """One glossary entry; the rules are apps.brands.glossary's."""

    term = serializers.CharField(max_length=limits.GLOSSARY_TERM_MAX_CHARS)
    source_language = serializers.CharField(max_length=16)
    translations = serializers.DictField(
        child=serializers.CharField(max_length=limits.GLOSSARY_TERM_MAX_CHARS),
        required=False, default=dict,
        help_text="Locale tag (es-ES, es-MX, ru-RU, en-US, en-GB) → the brand's rendering.")
    do_not_translate = serializers.BooleanField(required=False, default=False)
    case_sensitive = serializers.BooleanField(required=False, default=False)
    notes = serializers.CharField(max_length=limits.GLOSSARY_NOTES_MAX_CHARS, required=False,
                                  allow_blank=True, default="")

    def to_internal_value(self, data):
        if hasattr(data, "get"):
            try:
                _size_checked(data.get("translations"), max_entries=len(locale_tags()))
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"translations": exc.detail}) from exc
        return super().to_internal_value(data)

    def validate_source_language(self, value):
        language = source_language_normalise(value)
        if language is None:
            raise serializers.ValidationError(unsupported_language_message(value))
        return language

    def validate_translations(self, value):
        normalised, errors = {}, {}
        for tag, rendering in value.items():
            key = translation_locale(tag)
            if key is None:
                errors[tag] = [unsupported_locale_message(tag)]
            elif key in normalised:
                errors[tag] = [_("“%(tag)s” is given twice.") % {"tag": key}]
            else:
                normalised[key] = rendering
        if errors:
            raise serializers.ValidationError(errors)
        return normalised

    def validate(self, attrs):
        # A PATCH makes DRF treat nested fields as optional and skip their defaults; an
        # entry is whole or nothing.
        missing = {name: [_("This field is required.")] for name in ("term", "source_language")
                   if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        attrs = {"translations": {}, "do_not_translate": False, "case_sensitive": False,
                 "notes": "", **attrs}
        problem = entry_shape_problem(do_not_translate=attrs["do_not_translate"],
                                      translations=attrs["translations"])
        if problem:
            raise serializers.ValidationError({"translations": [problem]})
        return attrs


def glossary_validate(entries: list[dict]) -> list[dict]:
    """The rules across entries: no term twice in a source language."""
    duplicates = glossary_duplicates(entries)
    if duplicates:
        errors = [{} for _entry in entries]
        for index, earlier in duplicates:
            errors[index] = {"term": [duplicate_entry_message(earlier)]}
        raise serializers.ValidationError(errors)
    return entries


def glossary_field(*, required: bool = False) -> serializers.ListSerializer:
    return GlossaryEntrySerializer(many=True, required=required,
                                   max_length=limits.GLOSSARY_MAX_ENTRIES)


class GlossarySerializer(StrictFieldsMixin, serializers.Serializer):
    """The glossary endpoint's body: the whole glossary, which replaces the old one."""

    glossary = glossary_field(required=True)
    version = serializers.IntegerField(read_only=True, allow_null=True)

    def validate_glossary(self, value):
        return glossary_validate(value)


class BrandSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    version = serializers.SerializerMethodField()
    do_list = term_list()
    dont_list = term_list()
    banned_terms = term_list()
    required_terms = term_list()
    length_bounds = serializers.DictField(child=LengthBoundSerializer(), required=False)
    locales = serializers.DictField(child=LocaleOverrideSerializer(), required=False)
    examples = ExampleSerializer(many=True, required=False, max_length=limits.EXAMPLES_MAX)
    glossary = glossary_field()

    class Meta:
        model = BrandTemplate
        fields = ["slug", "name", "voice", "formality", "energy", "humour", "audience", "do_list",
                  "dont_list", "banned_terms", "required_terms", "keywords_policy",
                  "length_bounds", "locales", "examples", "glossary", "version", "archived_at",
                  "created_at", "updated_at"]
        read_only_fields = ["version", "archived_at", "created_at", "updated_at"]
        # Slug uniqueness is per workspace; the service reports a clash as a 409.
        extra_kwargs = {"slug": {"validators": []},
                        "name": {"max_length": limits.NAME_MAX_CHARS},
                        "voice": {"max_length": limits.VOICE_MAX_CHARS},
                        "audience": {"max_length": limits.AUDIENCE_MAX_CHARS}}

    def to_internal_value(self, data):
        # Cheap checks first: maps are counted before their entries are validated.
        if hasattr(data, "get"):
            errors = {}
            for name, limit in (("locales", limits.LOCALE_OVERRIDES_MAX),
                                ("length_bounds", limits.LENGTH_BOUNDS_MAX)):
                try:
                    _size_checked(data.get(name), max_entries=limit)
                except serializers.ValidationError as exc:
                    errors[name] = exc.detail
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)

    def validate_glossary(self, value):
        return glossary_validate(value)

    def validate_length_bounds(self, value):
        unknown = sorted(set(value) - set(CONTENT_FIELD_NAMES))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown content fields: %(fields)s. Known fields: %(known)s.") % {
                    "fields": ", ".join(unknown), "known": ", ".join(CONTENT_FIELD_NAMES)})
        return value

    def validate_locales(self, value):
        normalised, errors = {}, {}
        for tag, override in value.items():
            key = override_key(tag)
            if key is None:
                errors[tag] = [_("Unsupported locale “%(tag)s”. Use a language (es, ru, en) for "
                                 "every market of it, or a tag such as es-MX.") % {"tag": tag}]
            else:
                normalised[key] = override
        if errors:
            raise serializers.ValidationError(errors)
        return normalised

    def to_representation(self, brand):
        data = super().to_representation(brand)
        data["locales"] = {
            override.locale: {"address": override.address, "notes": override.notes,
                              "banned_terms": override.banned_terms, "currency": override.currency}
            for override in brand.locale_overrides.order_by("locale")
        }
        data["examples"] = [{"locale": e.locale, "product": e.product, "output": e.output}
                            for e in brand.examples.order_by("position", "pk")]
        data["glossary"] = brand_glossary(brand=brand)
        return data

    def get_version(self, brand: BrandTemplate) -> int | None:
        return brand.versions.order_by("-number").values_list("number", flat=True).first()
