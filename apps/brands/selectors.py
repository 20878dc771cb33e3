from django.db.models import QuerySet

from apps.accounts.models import Workspace
from apps.brands.glossary import entry_as_dict
from apps.brands.models import BrandTemplate, BrandTemplateVersion


def brand_list_for_workspace(*, workspace: Workspace) -> QuerySet[BrandTemplate]:
    return BrandTemplate.objects.filter(workspace=workspace).order_by("name", "pk")


def brand_get_for_workspace(*, workspace: Workspace, slug: str) -> BrandTemplate | None:
    return BrandTemplate.objects.filter(workspace=workspace, slug=slug).first()


def brand_latest_version(*, brand: BrandTemplate) -> BrandTemplateVersion:
    return brand.versions.order_by("-number").first()


def brand_glossary(*, brand: BrandTemplate) -> list[dict]:
    """The template's glossary entries as dicts (GLOSSARY_FIELDS), in their order."""
    return [entry_as_dict(term=entry.term, source_language=entry.source_language,
                          translations=entry.translations,
                          do_not_translate=entry.do_not_translate,
                          case_sensitive=entry.case_sensitive, notes=entry.notes)
            for entry in brand.glossary_entries.order_by("position", "pk")]
