from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.brands.models import BrandTemplate, BrandTemplateVersion
from apps.brands.services import brand_save


class BrandTemplateVersionInline(admin.TabularInline):
    model = BrandTemplateVersion
    extra = 0
    can_delete = False
    fields = ("number", "created_at", "snapshot")
    readonly_fields = fields
    verbose_name_plural = _("history (immutable versions)")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BrandTemplate)
class BrandTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "workspace", "updated_at")
    list_filter = ("workspace",)
    search_fields = ("name", "slug", "voice")
    inlines = [BrandTemplateVersionInline]
    fieldsets = (
        (None, {"fields": ("workspace", "name", "slug")}),
        (_("Voice"), {"fields": ("voice", "audience")}),
        (_("Rules"), {"fields": ("do_list", "dont_list", "banned_terms", "required_terms")}),
    )

    def save_model(self, request, obj, form, change):
        brand_save(brand=obj)
