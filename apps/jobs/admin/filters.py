"""The review queue's filters beyond the model's own fields: the brand and kind of the
item's job, a failed check, and a band of quality scores."""

from django.contrib import admin
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from apps.brands.models import BrandTemplate
from apps.generation.kinds import KIND_CHOICES
from apps.jobs.admin.reports import CHECK_LABELS

# (parameter value, label, lowest score, highest score)
QUALITY_BANDS = (
    ("0-39", _("0 to 39"), 0, 39),
    ("40-59", _("40 to 59"), 40, 59),
    ("60-79", _("60 to 79"), 60, 79),
    ("80-100", _("80 to 100"), 80, 100),
)


class BrandFilter(admin.SimpleListFilter):
    title = _("brand")
    parameter_name = "brand"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in
                BrandTemplate.objects.order_by("name").values_list("pk", "name")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(job__brand_version__brand_id=self.value())


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return KIND_CHOICES

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(job__kind=self.value())


class FailedCheckFilter(admin.SimpleListFilter):
    """Items whose stored report has a failure of the check.

    The report is JSON; "contains" on a JSON array is not portable (SQLite has none), so
    the report's text is searched for the failure's key and value, which PostgreSQL's
    jsonb and Python's json write alike: `"check": "banned_term"`."""

    title = _("failed check")
    parameter_name = "failed_check"

    def lookups(self, request, model_admin):
        return list(CHECK_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() not in CHECK_LABELS:
            return queryset
        return queryset.annotate(checks_text=Cast("checks", TextField())).filter(
            checks_text__contains=f'"check": "{self.value()}"')


class QualityFilter(admin.SimpleListFilter):
    title = _("quality score")
    parameter_name = "quality_band"

    def lookups(self, request, model_admin):
        return [(value, label) for value, label, _low, _high in QUALITY_BANDS]

    def queryset(self, request, queryset):
        for value, _label, low, high in QUALITY_BANDS:
            if self.value() == value:
                return queryset.filter(quality__gte=low, quality__lte=high)
        return queryset
