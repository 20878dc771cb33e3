"""Brand writes. Every change ends in a new immutable version (brand_version_create)."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Workspace
from apps.brands.models import (
    BrandExample,
    BrandGlossaryEntry,
    BrandLocaleOverride,
    BrandTemplate,
    BrandTemplateVersion,
)
from apps.brands.selectors import brand_glossary
from apps.core.errors import Conflict

# The template fields copied into every version; the prompt builder reads only snapshots.
SNAPSHOT_FIELDS = ("slug", "name", "voice", "formality", "energy", "humour", "audience",
                   "do_list", "dont_list", "banned_terms", "required_terms", "keywords_policy",
                   "length_bounds")
OVERRIDE_FIELDS = ("address", "notes", "banned_terms", "currency")


def brand_snapshot(brand: BrandTemplate) -> dict:
    snapshot = {field: getattr(brand, field) for field in SNAPSHOT_FIELDS}
    snapshot["locales"] = {
        override.locale: {field: getattr(override, field) for field in OVERRIDE_FIELDS}
        for override in brand.locale_overrides.order_by("locale")
    }
    snapshot["examples"] = [
        {"locale": example.locale, "product": example.product, "output": example.output}
        for example in brand.examples.order_by("position", "pk")
    ]
    glossary = brand_glossary(brand=brand)
    if glossary:
        # Only when there is one, so versions made before glossaries existed still equal
        # the template's snapshot and a save without changes makes no new version.
        snapshot["glossary"] = glossary
    return snapshot


def brand_version_create(*, brand: BrandTemplate) -> BrandTemplateVersion:
    """Freeze the template as it is now, unless nothing changed since the last version."""
    with transaction.atomic():
        # Lock the template row so two concurrent saves cannot take the same number.
        BrandTemplate.objects.select_for_update().filter(pk=brand.pk).first()
        latest = brand.versions.order_by("-number").first()
        snapshot = brand_snapshot(brand)
        if latest is not None and latest.snapshot == snapshot:
            return latest
        number = (brand.versions.aggregate(latest=Max("number"))["latest"] or 0) + 1
        return BrandTemplateVersion.objects.create(brand=brand, number=number, snapshot=snapshot)


def _slug_taken() -> Conflict:
    message = _("A brand with this slug already exists.")
    return Conflict(message, code="brand_slug_taken", fields={"slug": [message]})


def brand_store(*, brand: BrandTemplate) -> None:
    """Save the template row alone (the admin saves its inlines, then versions)."""
    try:
        with transaction.atomic():
            brand.save()
    except IntegrityError as exc:
        raise _slug_taken() from exc


def _replace_locales(brand: BrandTemplate, locales: dict[str, dict]) -> None:
    brand.locale_overrides.all().delete()
    BrandLocaleOverride.objects.bulk_create([
        BrandLocaleOverride(brand=brand, locale=tag, **{f: data.get(f, default) for f, default in
                                                        (("address", ""), ("notes", ""),
                                                         ("banned_terms", []), ("currency", ""))})
        for tag, data in locales.items()
    ])


def _replace_examples(brand: BrandTemplate, examples: list[dict]) -> None:
    brand.examples.all().delete()
    BrandExample.objects.bulk_create([
        BrandExample(brand=brand, position=index, locale=example["locale"],
                     product=example["product"], output=example["output"])
        for index, example in enumerate(examples)
    ])


def _replace_glossary(brand: BrandTemplate, glossary: list[dict]) -> None:
    brand.glossary_entries.all().delete()
    BrandGlossaryEntry.objects.bulk_create([
        BrandGlossaryEntry(brand=brand, position=index, term=entry["term"],
                           source_language=entry["source_language"],
                           translations=entry["translations"],
                           do_not_translate=entry["do_not_translate"],
                           case_sensitive=entry["case_sensitive"], notes=entry["notes"])
        for index, entry in enumerate(glossary)
    ])


@transaction.atomic
def brand_create(*, workspace: Workspace, locales: dict | None = None,
                 examples: list | None = None, glossary: list | None = None,
                 **fields) -> BrandTemplate:
    brand = BrandTemplate(workspace=workspace, **fields)
    brand_store(brand=brand)
    _replace_locales(brand, locales or {})
    _replace_examples(brand, examples or [])
    _replace_glossary(brand, glossary or [])
    brand_version_create(brand=brand)
    return brand


@transaction.atomic
def brand_update(*, brand: BrandTemplate, locales: dict | None = None,
                 examples: list | None = None, glossary: list | None = None,
                 **fields) -> BrandTemplate:
    """Change the given fields; `locales`, `examples` and `glossary`, when given, replace
    the old ones (validated entries: see apps.brands.glossary)."""
    for name, value in fields.items():
        setattr(brand, name, value)
    brand_store(brand=brand)
    if locales is not None:
        _replace_locales(brand, locales)
    if examples is not None:
        _replace_examples(brand, examples)
    if glossary is not None:
        _replace_glossary(brand, glossary)
    brand_version_create(brand=brand)
    return brand


@transaction.atomic
def brand_duplicate(*, brand: BrandTemplate) -> BrandTemplate:
    """A copy under a free slug ("<slug>-copy", "<slug>-copy-2", ...) with its own history."""
    snapshot = brand_snapshot(brand)
    slug = f"{brand.slug}-copy"[:64]
    suffix = 2
    while BrandTemplate.objects.filter(workspace=brand.workspace, slug=slug).exists():
        slug = f"{brand.slug}-copy-{suffix}"[:64]
        suffix += 1
    fields = {field: snapshot[field] for field in SNAPSHOT_FIELDS if field not in ("slug", "name")}
    name = _("%(name)s (copy)") % {"name": brand.name}
    return brand_create(workspace=brand.workspace, slug=slug, name=name[:200],
                        locales=snapshot["locales"], examples=snapshot["examples"],
                        glossary=snapshot.get("glossary", []), **fields)


def brand_archive(*, brand: BrandTemplate) -> None:
    """Archived brands keep their versions (running jobs use them) but take no new jobs."""
    BrandTemplate.objects.filter(pk=brand.pk, archived_at__isnull=True).update(
        archived_at=timezone.now())
