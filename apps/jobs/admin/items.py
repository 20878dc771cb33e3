"""Items in the admin, named so the figures agree with the bill.

A *model call* is one request to a model and one row of the bill (a GenerationAttempt);
a *run* is one time a worker took the item (`JobItem.attempts`), and one run may make
several calls (a rewrite after a failed check is another call in the same run). The
pipeline's stored `error` of an item under review is the paragraph written for the
model; people see the check report instead (see reports.py).
"""

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from apps.core.errors import ServiceError
from apps.jobs.admin.common import ReadOnlyAdmin, pretty_json, usd
from apps.jobs.admin.filters import BrandFilter, FailedCheckFilter, KindFilter, QualityFilter
from apps.jobs.admin.reports import (
    content_marked,
    findings_html,
    problem_detail,
    problem_summary,
    report_findings,
)
from apps.jobs.admin.review import review_view
from apps.jobs.domain import Actor, ItemReview
from apps.jobs.models import GenerationAttempt, JobItem
from apps.jobs.services import item_approve


def with_billed_calls(queryset):
    return queryset.annotate(billed_calls=Count("generation_attempts"))


class GenerationAttemptInline(admin.TabularInline):
    model = GenerationAttempt
    extra = 0
    can_delete = False
    fields = ("model", "outcome", "input_tokens", "output_tokens", "cost_usd",
              "provider_cost_usd", "latency_ms", "problem")
    readonly_fields = fields
    verbose_name = _("model call")
    verbose_name_plural = _("model calls (each one billed)")

    @admin.display(description=_("problem"))
    def problem(self, attempt: GenerationAttempt):
        # An attempt keeps its report but not its content: the checks and fields only.
        findings = report_findings(attempt.checks, None)
        return findings_html(findings) if findings else (attempt.error or "—")


class JobItemInline(admin.TabularInline):
    model = JobItem
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("sku", "locale", "status", "billed_calls", "quality", "model_used", "cost",
              "problem")
    readonly_fields = fields
    max_num = 0

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return with_billed_calls(super().get_queryset(request))

    @admin.display(description=_("model calls"))
    def billed_calls(self, item):
        return item.billed_calls

    @admin.display(description=_("cost"))
    def cost(self, item):
        return usd(item.cost_usd)

    @admin.display(description=_("problem"))
    def problem(self, item):
        return problem_summary(item)


class ReviewLinks(ChangeList):
    """Each row of the item list opens the item's review page."""

    def url_for_result(self, result):
        return reverse("admin:jobs_jobitem_review", args=[result.pk])


@admin.register(JobItem)
class JobItemAdmin(ReadOnlyAdmin):
    """The item list is the review queue (the index links it filtered to the items
    waiting for a person); an item's page is its review desk (review.py)."""

    list_display = ("sku", "locale", "variant", "kind", "brand", "status", "billed_calls",
                    "review", "quality", "cost", "problem")
    list_filter = ("review", "status", ("job", admin.RelatedOnlyFieldListFilter), BrandFilter,
                   "locale", KindFilter, FailedCheckFilter, QualityFilter, "model_used")
    list_select_related = ("job__brand_version__brand", "job__kind_version")
    search_fields = ("sku", "job__id")
    actions = ["approve_selected"]
    fields = ("job", "sku", "locale", "status", "billed_calls", "runs", "quality", "model",
              "model_used", "input_tokens", "output_tokens", "cost", "problem_view",
              "content_view", "input_view")
    readonly_fields = fields
    inlines = [GenerationAttemptInline]

    def get_queryset(self, request):
        return with_billed_calls(super().get_queryset(request))

    def get_changelist(self, request, **kwargs):
        return ReviewLinks

    def get_urls(self):
        return [path("<int:pk>/review/", self.admin_site.admin_view(self.review_view),
                     name="jobs_jobitem_review")] + super().get_urls()

    def review_view(self, request, pk):
        return review_view(self, request, pk)

    def has_review_permission(self, request) -> bool:
        """Editing, approving and rejecting items: the model's change permission, which
        the admin's own change form never uses (the pipeline writes items)."""
        return request.user.has_perm("jobs.change_jobitem")

    def changelist_view(self, request, extra_context=None):
        if request.GET.get("review__exact") == ItemReview.PENDING:
            extra_context = {**(extra_context or {}), "title": _("Items to review")}
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Approve the selected items"), permissions=["review"])
    def approve_selected(self, request, queryset):
        reviewer = Actor.for_user(request.user)
        approved = refused = 0
        for item in queryset:
            try:
                item_approve(item=item, reviewer=reviewer)
                approved += 1
            except ServiceError:
                refused += 1
        if approved:
            self.message_user(request, ngettext(
                "%(count)d item approved.", "%(count)d items approved.", approved) % {
                "count": approved}, messages.SUCCESS)
        if refused:
            self.message_user(request, ngettext(
                "%(count)d item was not approved: it has no content or was already decided.",
                "%(count)d items were not approved: they have no content or were already "
                "decided.", refused) % {"count": refused}, messages.WARNING)

    @admin.display(description=_("kind"), ordering="job__kind")
    def kind(self, item):
        return item.job.kind_label

    @admin.display(description=_("brand"))
    def brand(self, item):
        return item.job.brand_version.brand.name

    @admin.display(description=_("model calls"), ordering="billed_calls")
    def billed_calls(self, item):
        return item.billed_calls

    @admin.display(description=_("runs"))
    def runs(self, item):
        return item.attempts

    @admin.display(description=_("cost"), ordering="cost_usd")
    def cost(self, item):
        return usd(item.cost_usd)

    @admin.display(description=_("problem"))
    def problem(self, item):
        return problem_summary(item)

    @admin.display(description=_("problem"))
    def problem_view(self, item):
        return problem_detail(item)

    @admin.display(description=_("content"))
    def content_view(self, item):
        return content_marked(item)

    @admin.display(description=_("input"))
    def input_view(self, item):
        return pretty_json(item.input)
