"""Items in the admin, named so the figures agree with the bill.

A *model call* is one request to a model and one row of the bill (a GenerationAttempt);
a *run* is one time a worker took the item (`JobItem.attempts`), and one run may make
several calls (a rewrite after a failed check is another call in the same run). The
pipeline's stored `error` of an item under review is the paragraph written for the
model; people see the check report instead (see reports.py).
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from apps.jobs.admin.common import ReadOnlyAdmin, pretty_json, usd
from apps.jobs.admin.reports import content_strings, findings_html, marked_html, report_findings
from apps.jobs.models import GenerationAttempt, JobItem


def with_billed_calls(queryset):
    return queryset.annotate(billed_calls=Count("generation_attempts"))


def problem_summary(item: JobItem):
    """The failed checks' names, or the error of an item that has no report to show."""
    findings = report_findings(item.checks, item.content)
    if findings:
        return ", ".join(dict.fromkeys(str(finding.label) for finding in findings))
    return item.error or "—"


def problem_detail(item: JobItem):
    findings = report_findings(item.checks, item.content)
    if findings:
        return findings_html(findings)
    return item.error or "—"


def content_marked(item: JobItem):
    """Each field of the content, offending text marked with its check."""
    strings = content_strings(item.content)
    if not strings:
        return "—"
    findings = report_findings(item.checks, item.content)
    return format_html("<dl class='item-content'>{}</dl>", format_html_join(
        "", "<dt>{}</dt><dd>{}</dd>",
        ((name, marked_html(text, name, findings)) for name, text in strings.items())))


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


@admin.register(JobItem)
class JobItemAdmin(ReadOnlyAdmin):
    list_display = ("sku", "locale", "status", "billed_calls", "quality", "model_used",
                    "cost", "problem", "job")
    list_filter = ("status", "locale", "model_used")
    search_fields = ("sku", "job__id")
    fields = ("job", "sku", "locale", "status", "billed_calls", "runs", "quality", "model",
              "model_used", "input_tokens", "output_tokens", "cost", "problem_view",
              "content_view", "input_view")
    readonly_fields = fields
    inlines = [GenerationAttemptInline]

    def get_queryset(self, request):
        return with_billed_calls(super().get_queryset(request))

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
