from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Workspace
from apps.brands.models import BrandTemplate, BrandTemplateVersion
from contentgen.errors import Conflict

# The fields copied into every version; the prompt builder reads only these.
SNAPSHOT_FIELDS = ("slug", "name", "voice", "audience", "do_list", "dont_list",
                   "banned_terms", "required_terms")


def brand_snapshot(brand: BrandTemplate) -> dict:
    return {field: getattr(brand, field) for field in SNAPSHOT_FIELDS}


def brand_version_create(*, brand: BrandTemplate) -> BrandTemplateVersion:
    # Lock the template row so two concurrent saves cannot take the same number.
    BrandTemplate.objects.select_for_update().filter(pk=brand.pk).first()
    latest = brand.versions.aggregate(latest=Max("number"))["latest"] or 0
    return BrandTemplateVersion.objects.create(
        brand=brand, number=latest + 1, snapshot=brand_snapshot(brand)
    )


@transaction.atomic
def brand_save(*, brand: BrandTemplate) -> BrandTemplateVersion:
    """Save a template (new or edited) and freeze the result as a new version."""
    try:
        with transaction.atomic():
            brand.save()
    except IntegrityError as exc:
        raise Conflict(_("A brand with this slug already exists."), code="brand_slug_taken",
                       fields={"slug": [str(_("A brand with this slug already exists."))]}) from exc
    return brand_version_create(brand=brand)


def brand_create(*, workspace: Workspace, **fields) -> BrandTemplate:
    brand = BrandTemplate(workspace=workspace, **fields)
    brand_save(brand=brand)
    return brand


def brand_update(*, brand: BrandTemplate, **fields) -> BrandTemplate:
    for name, value in fields.items():
        setattr(brand, name, value)
    brand_save(brand=brand)
    return brand
