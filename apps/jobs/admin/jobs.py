"""Jobs in the admin: progress, items, webhook log, and a sample job for a brand."""

import json

from django.contrib import admin, messages
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from apps.brands.models import BrandTemplate
from apps.core.errors import ServiceError
from apps.generation.prompts import ItemInput
from apps.jobs.admin.common import ReadOnlyAdmin
from apps.jobs.admin.dashboard import spend_view
from apps.jobs.admin.items import JobItemInline
from apps.jobs.domain import JobSubmission
from apps.jobs.models import Job, WebhookDelivery
from apps.jobs.services import job_submit
from apps.localization.locales import locale_tags


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("id", "workspace", "brand", "kind", "status", "progress", "actual_cost_usd",
                    "created_at")
    list_filter = ("status", "kind", "workspace")
    search_fields = ("id", "brand_version__brand__slug")
    date_hierarchy = "created_at"
    readonly_fields = ("id", "workspace", "brand_version", "kind", "kind_version", "source_kind",
                       "source_job", "locales", "model_policy", "status", "progress",
                       "estimated_cost_usd", "actual_cost_usd", "input_tokens",
                       "output_tokens", "created_at", "started_at", "finished_at")
    fields = readonly_fields
    inlines = [JobItemInline]

    @admin.display(description=_("brand"))
    def brand(self, job):
        return f"{job.brand_version.brand.slug} v{job.brand_version.number}"

    @admin.display(description=_("progress"))
    def progress(self, job):
        return _("%(done)s of %(total)s done: %(succeeded)s succeeded, %(review)s to review, "
                 "%(failed)s failed") % {
            "done": job.items_total - job.items_pending, "total": job.items_total,
            "succeeded": job.items_succeeded, "review": job.items_needs_review,
            "failed": job.items_failed}

    def get_urls(self):
        return [path("sample/", self.admin_site.admin_view(self.sample_view),
                     name="jobs_job_sample"),
                path("spend/<int:workspace_id>/", self.admin_site.admin_view(self.spend_view),
                     name="jobs_job_spend")] + super().get_urls()

    def spend_view(self, request, workspace_id):
        return spend_view(self, request, workspace_id)

    def sample_view(self, request):
        """Generate a sample for a brand's preview: a real job, in every locale."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        brand = BrandTemplate.objects.filter(pk=request.POST.get("brand")).first()
        if brand is None or not request.user.has_perm("jobs.view_job"):
            raise Http404
        try:
            product = json.loads(request.POST.get("product", "{}"))
            item = ItemInput.from_product(product)
            # The preview's kind is a key: "social_post:x" names the channel too.
            kind, _sep, channel = request.POST.get("kind", "product_description").partition(":")
            job = job_submit(workspace=brand.workspace, submission=JobSubmission(
                kind=kind, channel=channel, brand=brand.slug,
                locales=locale_tags(), model="auto", items=[item]))
        except (ValueError, KeyError, TypeError, ServiceError) as exc:
            self.message_user(request, _("The sample could not be started: %(error)s") % {
                "error": getattr(exc, "message", exc)}, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:brands_brandtemplate_preview",
                                                args=[brand.pk]))
        self.message_user(request, _("Sample job started; this page shows its progress."),
                          messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:jobs_job_change", args=[job.pk]))


class WebhookDeliveryInline(admin.TabularInline):
    """The job's webhook log: one row per delivery attempt, newest first."""

    model = WebhookDelivery
    extra = 0
    can_delete = False
    fields = ("created_at", "event", "attempt", "status", "response_status", "duration_ms",
              "error", "next_attempt_at", "url")
    readonly_fields = fields
    ordering = ("-created_at", "-pk")
    max_num = 0

    def has_add_permission(self, request, obj=None):
        return False


# Defined after JobAdmin, so added to its inlines here.
JobAdmin.inlines = [*JobAdmin.inlines, WebhookDeliveryInline]
