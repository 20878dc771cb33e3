import json
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.errors import InvalidInput
from apps.core.money import money
from apps.core.netguard import url_authority_problem, url_is_private, url_without_password
from apps.core.urlguard import URL_AUTHORITY_MESSAGES, webhook_url_validate
from apps.core.validation import (
    CURRENCY_CODE_MESSAGE,
    CURRENCY_CODE_RE,
    BoundedListField,
    StrictFieldsMixin,
    json_value_validate,
)
from apps.generation.catalog import catalog_model_keys
from apps.generation.counting import grapheme_count
from apps.generation.kinds import (
    BUILTIN_KINDS,
    KIND_KEY_CHOICES,
    LOCALIZE,
    KindSpec,
    UnknownKind,
    kind_get,
)
from apps.generation.prompts import ItemInput
from apps.generation.router import POLICIES
from apps.jobs import limits
from apps.jobs.domain import JobSubmission
from apps.jobs.models import ItemRevision, Job, JobItem
from apps.localization.locales import SHORTHANDS, locale_resolve, locale_tags


def _public_url_validator(message):
    """A validator that refuses a URL pointing inside our network (loopback, private
    ranges, metadata, local names) or whose host another parser could read differently
    ("127.0.0.1\\@example.com"), and any scheme but http(s)."""

    def validate(url: str) -> None:
        problem = url_authority_problem(url)
        if problem:
            raise serializers.ValidationError(URL_AUTHORITY_MESSAGES[problem], code=problem)
        if urlsplit(url).scheme not in ("http", "https") or url_is_private(url):
            raise serializers.ValidationError(message)

    return validate


# A self-hosted vision model fetches images from inside our network.
image_url_is_public = _public_url_validator(
    _("Image URLs must be public http or https addresses."))
# Shown to the model and written into ad exports.
landing_url_is_public = _public_url_validator(
    _("The landing URL must be a public http or https address."))


def unsupported_locale_message(tag) -> str:
    return _("Unsupported locale “%(tag)s”. Use one of %(tags)s, or the shorthands "
             "%(shorthands)s.") % {
        "tag": tag, "tags": ", ".join(locale_tags()),
        "shorthands": ", ".join(f"{short} = {full}" for short, full in SHORTHANDS.items())}


def price_text(price: Decimal) -> str:
    """A price as text with at least two decimals: 49.9 -> "49.90", 1.2345 stays."""
    places = -price.normalize().as_tuple().exponent
    return f"{price:.2f}" if places <= 2 else str(price.normalize())




class BriefProductSerializer(StrictFieldsMixin, serializers.Serializer):
    """A product a campaign brief promotes."""

    name = serializers.CharField(max_length=limits.NAME_MAX_CHARS)
    sku = serializers.CharField(max_length=limits.SKU_MAX_CHARS, required=False, default="")
    price = serializers.DecimalField(max_digits=limits.PRICE_MAX_DIGITS,
                                     decimal_places=limits.PRICE_DECIMAL_PLACES, required=False,
                                     allow_null=True, default=None, min_value=0)
    currency = serializers.RegexField(CURRENCY_CODE_RE, required=False, allow_null=True,
                                      default=None,
                                      error_messages={"invalid": CURRENCY_CODE_MESSAGE})

    def validate(self, attrs):
        if attrs.get("price") is not None and not attrs.get("currency"):
            raise serializers.ValidationError({"currency": _("A price needs its currency.")})
        return attrs


class ItemInputSerializer(StrictFieldsMixin, serializers.Serializer):
    sku = serializers.CharField(max_length=limits.SKU_MAX_CHARS)
    name = serializers.CharField(max_length=limits.NAME_MAX_CHARS)
    brief = serializers.CharField(max_length=limits.BRIEF_MAX_CHARS, required=False,
                                  allow_blank=True, default="")
    attributes = serializers.DictField(required=False, default=dict)
    price = serializers.DecimalField(max_digits=limits.PRICE_MAX_DIGITS,
                                     decimal_places=limits.PRICE_DECIMAL_PLACES, required=False,
                                     allow_null=True, default=None, min_value=0)
    currency = serializers.RegexField(CURRENCY_CODE_RE, required=False, allow_null=True,
                                      default=None,
                                      error_messages={"invalid": CURRENCY_CODE_MESSAGE})
    keywords = BoundedListField(
        child=serializers.CharField(max_length=limits.KEYWORD_MAX_CHARS), required=False,
        default=list, max_length=limits.KEYWORDS_MAX)
    image_urls = BoundedListField(child=serializers.URLField(
        max_length=limits.IMAGE_URL_MAX_CHARS, validators=[image_url_is_public]), required=False,
        default=list, max_length=limits.IMAGE_URLS_MAX)
    variants = serializers.IntegerField(
        min_value=1, max_value=limits.VARIANTS_MAX, required=False, allow_null=True,
        default=None, help_text="This item's number of A/B variants, 1 to 5, instead of the "
                                "job's.")
    # A campaign brief, for the marketing kinds (any kind takes it).
    campaign = serializers.CharField(max_length=limits.CAMPAIGN_MAX_CHARS, required=False,
                                     allow_blank=True, default="")
    audience = serializers.CharField(max_length=limits.AUDIENCE_MAX_CHARS, required=False,
                                     allow_blank=True, default="")
    offer = serializers.CharField(max_length=limits.OFFER_MAX_CHARS, required=False,
                                  allow_blank=True, default="")
    landing_url = serializers.URLField(max_length=limits.LANDING_URL_MAX_CHARS, required=False,
                                       allow_blank=True, default="",
                                       validators=[landing_url_is_public])
    tone_override = serializers.CharField(max_length=limits.TONE_OVERRIDE_MAX_CHARS,
                                          required=False, allow_blank=True, default="")
    products = BoundedListField(child=BriefProductSerializer(), required=False, default=list,
                                max_length=limits.BRIEF_PRODUCTS_MAX)

    def validate_attributes(self, value):
        if len(value) > settings.ITEM_MAX_ATTRIBUTES:
            raise serializers.ValidationError(_("At most %(limit)s attributes per item.") % {
                "limit": settings.ITEM_MAX_ATTRIBUTES})
        # Depth, NUL, lone surrogates and non-finite numbers before anything serialises,
        # hashes or stores the value (each of them used to be a 500 further on).
        json_value_validate(value, max_depth=limits.ATTRIBUTES_MAX_DEPTH)
        for key, item in value.items():
            name, as_json = str(key), json.dumps(item, ensure_ascii=False)
            if (len(name) > limits.ATTRIBUTE_NAME_MAX_CHARS
                    or len(as_json) > limits.ATTRIBUTE_VALUE_MAX_CHARS):
                raise serializers.ValidationError(
                    _("The attribute “%(key)s” is too long: names take up to 100 characters "
                      "and values up to 1,000.") % {
                        "key": name[:limits.ATTRIBUTE_NAME_MAX_CHARS]})
        return value

    def validate(self, attrs):
        if attrs.get("price") is not None and not attrs.get("currency"):
            raise serializers.ValidationError({"currency": _("A price needs its currency.")})
        return attrs

    def to_item(self, data: dict) -> ItemInput:
        price = data.get("price")
        return ItemInput(
            sku=data["sku"], name=data["name"], brief=data["brief"],
            attributes=data["attributes"], price=None if price is None else price_text(price),
            currency=data["currency"], keywords=data["keywords"], image_urls=data["image_urls"],
            campaign=data["campaign"], audience=data["audience"], offer=data["offer"],
            landing_url=data["landing_url"], tone_override=data["tone_override"],
            products=[_brief_product(product) for product in data["products"]],
        )


class LocalizeItemSerializer(StrictFieldsMixin, serializers.Serializer):
    """An item of a `localize` job: existing content to adapt into the job's locales.
    Its `source` fields are checked against the job's source kind by the job."""

    sku = serializers.CharField(max_length=limits.SKU_MAX_CHARS)
    name = serializers.CharField(max_length=limits.NAME_MAX_CHARS, required=False,
                                 allow_blank=True, default="",
                                 help_text="The product's name, kept as given.")
    source = serializers.DictField(help_text="The content's fields, as the source kind "
                                             "names them (lists as lists).")
    source_locale = serializers.CharField(max_length=16, help_text="The locale the source "
                                                                   "is written for.")

    def validate_source_locale(self, value):
        locale = locale_resolve(value)
        if locale is None:
            raise serializers.ValidationError(unsupported_locale_message(value))
        return locale.tag

    def to_item(self, data: dict) -> ItemInput:
        return ItemInput(sku=data["sku"], name=data["name"], source=data["source"],
                         source_locale=data["source_locale"])


def source_errors(source: dict, kind: KindSpec) -> dict[str, list[str]]:
    """What is wrong with a source's fields for its kind, by field: fields the kind does
    not have, required ones missing, values of the wrong shape or size."""
    errors: dict[str, list[str]] = {}
    known = kind.field_names
    for name in source:
        if name not in known:
            errors[str(name)[:100]] = [_("“%(kind)s” has no field “%(field)s”; its fields are "
                                         "%(fields)s.") % {"kind": kind.channel, "field": name,
                                                           "fields": ", ".join(known)}]
    for spec in kind.fields:
        value = source.get(spec.name)
        if value in (None, "", []):
            if spec.required:
                errors[spec.name] = [_("The source needs this field.")]
            continue
        entries = value if spec.is_list else [value]
        if spec.is_list and not isinstance(value, list):
            errors[spec.name] = [_("Give this field as a list of texts.")]
        elif not all(isinstance(entry, str) and entry.strip() for entry in entries):
            errors[spec.name] = [_("Give this field as text; a list field as a list of "
                                   "texts, none of them empty.")]
        elif spec.is_list and len(entries) > spec.max_entries:
            errors[spec.name] = [_("At most %(limit)s entries.") % {"limit": spec.max_entries}]
        elif any(grapheme_count(entry) > spec.max_chars for entry in entries):
            errors[spec.name] = [_("Use at most %(limit)s characters per text.") % {
                "limit": spec.max_chars}]
    return errors


def _brief_product(product: dict) -> dict:
    shown = {"name": product["name"]}
    if product["sku"]:
        shown["sku"] = product["sku"]
    if product["price"] is not None:
        shown |= {"price": price_text(product["price"]), "currency": product["currency"]}
    return shown


class JobCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    kind = serializers.CharField(
        max_length=64,
        help_text="A built-in kind (" + ", ".join(BUILTIN_KINDS) + ") or the slug of one of "
                  "the workspace's custom kinds; GET /api/v1/kinds/ lists them all.")
    channel = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default="",
        help_text="For `social_post` (required there): x, instagram, linkedin or facebook. "
                  "Refused for the other kinds.")
    brand = serializers.SlugField(max_length=64)
    locales = BoundedListField(child=serializers.CharField(max_length=16), allow_empty=False,
                               max_length=20)
    model = serializers.ChoiceField(choices=[], required=False, default="auto")
    items = serializers.ListField(
        child=ItemInputSerializer(), allow_empty=False,
        help_text="The products or briefs. For `localize`, existing content instead: each "
                  "item is {sku, name (optional), source: the fields of the source kind, "
                  "source_locale}; or leave items out and give `source_job`.")
    fallback = serializers.BooleanField(required=False, default=True)
    priority = serializers.ChoiceField(choices=Job.Priority.choices, required=False,
                                       default=Job.Priority.STANDARD)
    fresh = serializers.BooleanField(required=False, default=False)
    webhook_url = serializers.URLField(required=False, allow_blank=True, default="",
                                       max_length=2000)
    variants = serializers.IntegerField(
        min_value=1, max_value=limits.VARIANTS_MAX, required=False, default=1,
        help_text="How many distinct A/B versions of each item to write in each locale, 1 "
                  "to 5; each is an item of its own (`variant` 1..N), checked for "
                  "distinctness and billed per call. An item's own `variants` overrides it.")
    source_kind = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default="",
        help_text="For `localize`: the kind of the content to localize (product_description "
                  "by default, or another kind such as marketing_copy or social_post:x). "
                  "Refused for the other kinds.")
    source_job = serializers.UUIDField(
        required=False, allow_null=True, default=None,
        help_text="For `localize`, instead of `items`: a job of this workspace whose "
                  "succeeded items (not rejected) are the sources, in their own locales.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices come from settings, read per request rather than at import time.
        self.fields["model"].choices = [*POLICIES, *catalog_model_keys()]

    def to_internal_value(self, data):
        if hasattr(data, "get") and data.get("kind") == LOCALIZE:
            # A localize job's items are existing content; with a source job, none.
            self.fields["items"] = serializers.ListField(
                child=LocalizeItemSerializer(), allow_empty=False, required=False)
        # Cheap checks first: the number of items is known before any item is validated,
        # so 100,000 items are refused at once instead of after 100,000 validations.
        items = data.get("items") if hasattr(data, "get") else None
        if isinstance(items, list) and len(items) > settings.JOB_MAX_ITEMS:
            raise serializers.ValidationError({"items": [self._too_many_items_message()]})
        # Each item × locale is planned (routed, priced) before the answer: their number,
        # not the items', is what the web timeout must cover.
        locales = data.get("locales") if hasattr(data, "get") else None
        if isinstance(items, list) and isinstance(locales, list) and len(locales) <= 20:
            resolved = {locale.tag for locale in map(locale_resolve, locales) if locale}
            limit = settings.JOB_MAX_ITEM_LOCALES
            # Every variant is an item to plan and run: the limit counts them all.
            default = _variant_count(data.get("variants"), 1)
            counts = [_variant_count(item.get("variants"), default) if isinstance(item, dict)
                      else default for item in items]
            count = sum(counts) * len(resolved)
            if count > limit and any(n > 1 for n in counts):
                raise serializers.ValidationError({"variants": [
                    _("A job takes at most %(limit)s items × locales × variants; this one has "
                      "%(count)s. Ask for fewer variants or split the job.")
                    % {"limit": limit, "count": count}]})
            if count > limit:
                raise serializers.ValidationError({"items": [
                    _("A job takes at most %(limit)s items × locales; this one has %(count)s.")
                    % {"limit": limit, "count": count}]})
        return super().to_internal_value(data)

    @staticmethod
    def _too_many_items_message() -> str:
        return _("A job takes at most %(limit)s items.") % {"limit": settings.JOB_MAX_ITEMS}

    def validate_webhook_url(self, value):
        # A field error like any other, so that the 400 also names the body's other faults
        # (unknown fields among them) instead of the guard's error alone.
        try:
            return webhook_url_validate(value) if value else ""
        except InvalidInput as exc:
            raise serializers.ValidationError(exc.fields["webhook_url"]) from exc

    def validate(self, attrs):
        if attrs.get("kind") == LOCALIZE:
            return self._validate_localize(attrs)
        for name in ("source_kind", "source_job"):
            if attrs.get(name):
                raise serializers.ValidationError({name: [
                    _("Only localize takes %(field)s; leave it out for %(kind)s.")
                    % {"field": name, "kind": attrs.get("kind")}]})
        # The channel shapes the system message, which is one per job: so it is the job's.
        spec = BUILTIN_KINDS.get(attrs.get("kind"))
        channel = attrs.get("channel", "")
        if spec is not None and spec.channels and channel not in spec.channel_slugs():
            message = (_("Choose the channel of this kind: one of %(channels)s.")
                       if not channel else
                       _("Unknown channel “%(channel)s”; this kind takes %(channels)s."))
            raise serializers.ValidationError({"channel": [message % {
                "channel": channel, "channels": ", ".join(spec.channel_slugs())}]})
        if spec is not None and not spec.channels and channel:
            raise serializers.ValidationError({"channel": [
                _("Only social_post takes a channel; leave it out for %(kind)s.")
                % {"kind": spec.slug}]})
        return attrs

    def _validate_localize(self, attrs):
        if attrs.get("channel"):
            raise serializers.ValidationError({"channel": [
                _("Only social_post takes a channel; leave it out for %(kind)s.")
                % {"kind": LOCALIZE}]})
        if attrs.get("variants", 1) != 1:
            raise serializers.ValidationError({"variants": [
                _("A localization has one variant per source.")]})
        has_items, source_job = bool(attrs.get("items")), attrs.get("source_job")
        if has_items == bool(source_job):
            message = _("Give either items (the content to localize) or source_job (a "
                        "finished job), not both.") if has_items else _(
                "Give the content to localize as items, or a finished job as source_job.")
            raise serializers.ValidationError({"items": [message]})
        source_kind = attrs.get("source_kind", "")
        if source_kind or not source_job:
            try:
                kind = kind_get(LOCALIZE, source_kind)
            except UnknownKind:
                raise serializers.ValidationError({"source_kind": [
                    _("Unknown source kind “%(kind)s”; use one of %(kinds)s.") % {
                        "kind": source_kind, "kinds": ", ".join(
                            key for key, _label in KIND_KEY_CHOICES)}]}) from None
            attrs["source_kind"] = kind.channel
            errors = {index: {"source": problems} for index, item in
                      enumerate(attrs.get("items") or [])
                      if (problems := source_errors(item["source"], kind))}
            if errors:
                raise serializers.ValidationError({"items": errors})
        return attrs

    def validate_locales(self, value):
        tags, errors = [], {}
        for index, tag in enumerate(value):
            locale = locale_resolve(tag)
            if locale is None:
                errors[index] = [unsupported_locale_message(tag)]
            else:
                tags.append(locale.tag)
        if errors:
            raise serializers.ValidationError(errors)
        return list(dict.fromkeys(tags))  # shorthands resolved, repeats dropped, order kept

    def validate_items(self, value):
        if len(value) > settings.JOB_MAX_ITEMS:
            raise serializers.ValidationError(self._too_many_items_message())
        seen = {}
        errors = {}
        for index, item in enumerate(value):
            if item["sku"] in seen:
                errors[index] = {"sku": [_("This SKU already appears in item %(index)s.") % {
                    "index": seen[item["sku"]]}]}
            seen.setdefault(item["sku"], index)
        if errors:
            raise serializers.ValidationError(errors)
        return value

    def to_submission(self) -> JobSubmission:
        data = self.validated_data
        if data["kind"] == LOCALIZE:
            return JobSubmission(
                kind=LOCALIZE, brand=data["brand"], locales=data["locales"],
                model=data["model"], fallback=data["fallback"], priority=data["priority"],
                fresh=data["fresh"], webhook_url=data["webhook_url"],
                items=[LocalizeItemSerializer().to_item(item) for item in data.get("items") or []],
                source_kind=data["source_kind"],
                source_job=str(data["source_job"]) if data.get("source_job") else "")
        item_serializer = ItemInputSerializer()
        return JobSubmission(
            kind=data["kind"], brand=data["brand"], locales=data["locales"], model=data["model"],
            items=[item_serializer.to_item(item) for item in data["items"]],
            fallback=data["fallback"], priority=data["priority"], fresh=data["fresh"],
            webhook_url=data["webhook_url"], channel=data["channel"], variants=data["variants"],
            item_variants={position: item["variants"] for position, item in
                           enumerate(data["items"]) if item["variants"] is not None},
        )


def _variant_count(raw, default: int) -> int:
    """A number of variants as sent, for counting before validation: what is not a valid
    count counts as `default` (the field's own validation names it)."""
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        return default
    text = str(raw).strip()
    if not text.isdecimal() or not 1 <= int(text) <= limits.VARIANTS_MAX:
        return default
    return int(text)


class JobCreateFormSerializer(JobCreateSerializer):
    """A job as a multipart form: the items as a CSV file in `file`, the locales
    comma-separated, every other field as a form field. (It describes the form in the
    schema; the view reads the form into the JSON body's shape and validates that.)"""

    items = None
    locales = serializers.CharField(help_text="Comma-separated, such as “es,ru,en”.")
    file = serializers.FileField(help_text="The items as CSV: a header row (sku, name, brief, "
                                           "price, currency, keywords, image_urls, "
                                           "variants, attributes.<name>, and a brief's "
                                           "campaign, audience, offer, landing_url, "
                                           "tone_override), lists |-separated. For "
                                           "localize: sku, name, source_locale and "
                                           "source.<field> columns.")


class JobSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    kind_label = serializers.CharField()
    brand = serializers.CharField(source="brand_version.brand.slug")
    brand_version = serializers.IntegerField(source="brand_version.number")
    model = serializers.CharField(source="model_policy")
    webhook_url = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    cost = serializers.SerializerMethodField()
    usage = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = ["id", "status", "status_label", "kind", "kind_label", "channel",
                  "source_kind", "source_job", "brand",
                  "brand_version", "locales", "model", "fallback", "priority", "webhook_url",
                  "items_total", "progress", "cost", "usage", "created_at", "started_at",
                  "finished_at"]

    def get_webhook_url(self, job: Job) -> str:
        # Credentials are refused now; a URL stored before never shows its password back.
        return url_without_password(job.webhook_url)

    def get_progress(self, job: Job) -> dict:
        return {"total": job.items_total, "succeeded": job.items_succeeded,
                "needs_review": job.items_needs_review, "failed": job.items_failed,
                "cancelled": job.items_cancelled, "pending": job.items_pending,
                "cached": job.items_cached}

    def get_cost(self, job: Job) -> dict:
        return {"estimated_usd": money(job.estimated_cost_usd),
                "actual_usd": money(job.actual_cost_usd),
                # What the provider itself reported (OpenRouter's usage.cost), beside ours.
                "provider_reported_usd": (None if job.provider_cost_usd is None
                                          else money(job.provider_cost_usd))}

    def get_usage(self, job: Job) -> dict:
        return {"input_tokens": job.input_tokens, "output_tokens": job.output_tokens}


class JobSubmittedSerializer(serializers.ModelSerializer):
    estimated_cost_usd = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = ["id", "status", "items_total", "estimated_cost_usd"]

    def get_estimated_cost_usd(self, job: Job) -> str:
        return money(job.estimated_cost_usd)


class JobItemSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    variant = serializers.IntegerField(read_only=True, help_text=(
        "Which A/B variant of the product in this locale, 1 to the job's (or the item's) "
        "`variants`; 1 when the job asked for none."))
    model = serializers.SerializerMethodField()
    provider_cost_usd = serializers.SerializerMethodField()
    cost_usd = serializers.SerializerMethodField()
    quality = serializers.SerializerMethodField()
    review = serializers.SerializerMethodField()

    class Meta:
        model = JobItem
        fields = ["id", "sku", "locale", "variant", "status", "status_label", "model", "content",
                  "checks",
                  "quality", "review", "reviewed_by", "reviewed_at", "review_note", "edited",
                  "revision", "from_cache", "attempts", "provider_cost_usd",
                  "input_tokens", "output_tokens", "cost_usd", "error", "started_at", "finished_at"]
        extra_kwargs = {
            "reviewed_by": {"help_text": "system (auto-approval), api_key:<prefix> or "
                                         "user:<username>; empty while pending."},
            "review_note": {"help_text": "The note of the last rejection."}}

    def to_representation(self, item: JobItem) -> dict:
        data = super().to_representation(item)
        if isinstance(data.get("content"), dict):
            # In the kind's field order, as the prompt and the CSV have it: PostgreSQL's
            # jsonb keeps keys in its own order. A list passes its job's kind in context.
            kind = self.context.get("kind") or item.job.kind_spec
            rank = {name: index for index, name in enumerate(kind.field_names)}
            data["content"] = dict(sorted(data["content"].items(),
                                          key=lambda pair: rank.get(pair[0], len(rank))))
        return data

    def get_cost_usd(self, item: JobItem) -> str:
        return money(item.cost_usd)

    def get_provider_cost_usd(self, item: JobItem) -> str | None:
        return None if item.provider_cost_usd is None else money(item.provider_cost_usd)

    def get_model(self, item: JobItem) -> str:
        # The model that actually wrote the item; the routed one until it has run.
        return item.model_used or item.model

    def get_quality(self, item: JobItem) -> int | None:
        # 0-100; an item served from the cache has its score only in its check report.
        return item.quality if item.quality is not None else (item.checks or {}).get("quality")

    @extend_schema_field(serializers.ChoiceField(
        choices=JobItem.Review.choices, allow_null=True,
        help_text="null while the item has no content to review."))
    def get_review(self, item: JobItem) -> str | None:
        return item.review or None


REVISION_HELP = ("The revision you reviewed; if the item was edited since, the request is a 409 "
                 "and changes nothing.")


class ItemEditSerializer(StrictFieldsMixin, serializers.Serializer):
    content = serializers.DictField(help_text="The content fields to change; the others keep "
                                              "their text.")
    revision = serializers.IntegerField(required=False, min_value=0, help_text=REVISION_HELP)


class ItemApproveSerializer(StrictFieldsMixin, serializers.Serializer):
    revision = serializers.IntegerField(required=False, min_value=0, help_text=REVISION_HELP)


class ItemRejectSerializer(StrictFieldsMixin, serializers.Serializer):
    note = serializers.CharField(max_length=limits.REVIEW_NOTE_MAX_CHARS,
                                 help_text="What is wrong; sent to the model with the rewrite.")
    revision = serializers.IntegerField(required=False, min_value=0, help_text=REVISION_HELP)


class ItemRevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ItemRevision
        fields = ["number", "author", "created_at", "previous_content", "new_content"]


# --- Output of the estimate, catalog and usage endpoints ----------------------------
# Plain serializers over the dataclasses the services and selectors return, so that the
# OpenAPI schema names each shape and types each field.


@extend_schema_field({"type": "string", "format": "decimal", "pattern": r"^-?\d+\.\d{8}$",
                      "example": "0.00036000"})
class MoneyField(serializers.Field):
    """US dollars as a string with 8 decimals (apps.core.money): exact, never a float."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return money(value)


class ModelEstimateSerializer(serializers.Serializer):
    """A ModelEstimate (apps.jobs.services.planning)."""

    items = serializers.IntegerField()
    input_tokens = serializers.IntegerField()
    output_tokens = serializers.IntegerField()
    cost_usd = MoneyField(allow_null=True, help_text="null: some item cannot run on this model.")


class BudgetFiguresSerializer(serializers.Serializer):
    """BudgetFigures (apps.jobs.services.budget): the workspace's month so far."""

    budget_usd = MoneyField()
    spent_usd = MoneyField()
    committed_usd = MoneyField(help_text="Estimates of the items not finished yet.")
    estimate_usd = MoneyField(help_text="What this request would add.")
    remaining_usd = MoneyField(help_text="Budget minus spent and committed; may be negative.")
    fits = serializers.BooleanField()


class EstimateSerializer(serializers.Serializer):
    """A JobEstimate (apps.jobs.services.planning): what a job would cost."""

    items_total = serializers.IntegerField()
    items_cached = serializers.IntegerField()
    model = serializers.CharField(source="policy", help_text="The job's model or policy.")
    estimated_cost_usd = MoneyField(source="cost_usd",
                                    help_text="Under the job's model, cached items excluded.")
    routed = serializers.DictField(child=ModelEstimateSerializer(),
                                   help_text="Per model: the items the job's policy sends there.")
    models = serializers.DictField(child=ModelEstimateSerializer(),
                                   help_text="Per model: every item on that one model.")
    policies = serializers.DictField(child=MoneyField(allow_null=True),
                                     help_text="Per policy (auto, cheapest): the job's cost.")
    budget = BudgetFiguresSerializer(allow_null=True,
                                     help_text="null when the workspace has no monthly budget.")


class CatalogModelSerializer(serializers.Serializer):
    """A ModelSpec of the catalog (apps.generation.catalog), without its secrets."""

    model = serializers.CharField(source="key")
    name = serializers.CharField(source="display_name")
    provider_model = serializers.CharField()
    context_tokens = serializers.IntegerField()
    # As configured ("0.15"), not padded to 8 places like the money the API reports.
    input_usd_per_mtok = serializers.CharField(help_text="USD per million input tokens.")
    output_usd_per_mtok = serializers.CharField(help_text="USD per million output tokens.")
    supports_images = serializers.BooleanField()
    batch_api = serializers.BooleanField()


class ModelCatalogSerializer(serializers.Serializer):
    results = CatalogModelSerializer(many=True)


class UsageQuerySerializer(serializers.Serializer):
    """`?from=&to=` of the usage endpoint, both optional: the selector fills the window."""

    def get_fields(self):
        # `from` is a Python keyword, so neither field can be declared as an attribute.
        return {"from": serializers.DateField(required=False),
                "to": serializers.DateField(required=False)}


class _UsageTotalsSerializer(serializers.Serializer):
    """The totals every usage row has; each subclass names the row's key."""

    calls = serializers.IntegerField()
    input_tokens = serializers.IntegerField()
    output_tokens = serializers.IntegerField()
    cost_usd = MoneyField()


class ModelUsageSerializer(_UsageTotalsSerializer):
    model = serializers.CharField(source="key")


class BrandUsageSerializer(_UsageTotalsSerializer):
    brand = serializers.CharField(source="key")


class DayUsageSerializer(_UsageTotalsSerializer):
    day = serializers.DateField(source="key", help_text="A UTC day.")


class UsageSerializer(serializers.Serializer):
    """A UsageReport (apps.jobs.selectors): tokens and cost in [from, to], three ways."""

    by_model = ModelUsageSerializer(many=True)
    by_brand = BrandUsageSerializer(many=True)
    by_day = DayUsageSerializer(many=True)

    def get_fields(self):
        # `from` and `to` lead, as they always have; `from` cannot be an attribute name.
        return {"from": serializers.DateField(source="start"),
                "to": serializers.DateField(source="end"), **super().get_fields()}
