from django.contrib import admin

from apps.jobs.models import GenerationAttempt, Job, JobItem


class ReadOnlyAdmin(admin.ModelAdmin):
    """Jobs are written by the pipeline only; the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("id", "workspace", "kind", "status", "items_total", "items_succeeded",
                    "items_failed", "estimated_cost_usd", "actual_cost_usd", "created_at")
    list_filter = ("status", "kind", "workspace")
    search_fields = ("id",)
    date_hierarchy = "created_at"


class GenerationAttemptInline(admin.TabularInline):
    model = GenerationAttempt
    extra = 0
    can_delete = False
    fields = ("model", "outcome", "input_tokens", "output_tokens", "cost_usd", "latency_ms", "error")
    readonly_fields = fields


@admin.register(JobItem)
class JobItemAdmin(ReadOnlyAdmin):
    list_display = ("sku", "locale", "status", "model_used", "attempts", "cost_usd", "job")
    list_filter = ("status", "locale", "model_used")
    search_fields = ("sku", "job__id")
    inlines = [GenerationAttemptInline]
