from django.db.models import QuerySet

from apps.accounts.models import Workspace
from apps.brands.models import BrandTemplate, BrandTemplateVersion


def brand_list_for_workspace(*, workspace: Workspace) -> QuerySet[BrandTemplate]:
    return BrandTemplate.objects.filter(workspace=workspace).order_by("name", "pk")


def brand_get_for_workspace(*, workspace: Workspace, slug: str) -> BrandTemplate | None:
    return BrandTemplate.objects.filter(workspace=workspace, slug=slug).first()


def brand_latest_version(*, brand: BrandTemplate) -> BrandTemplateVersion:
    return brand.versions.order_by("-number").first()
