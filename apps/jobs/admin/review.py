"""The review desk's page for one item: the input, the check report, the content with the
offending text marked, a form to edit it, and the decisions (approve, reject with a note,
use the approved text as a brand example), with every revision's diff.

Each button posts an `action`; its handler calls a service (the item's edit, approval and
rejection are `apps.jobs.services.review`'s, a brand example is a new brand version by
`brand_update`) and redirects, so a reload never repeats a decision. An edit re-runs the
checks and comes back to this page with the new report, before anyone approves it.
"""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.brands.limits import EXAMPLE_JSON_MAX_CHARS, EXAMPLES_MAX
from apps.brands.services import brand_snapshot, brand_update
from apps.core.admin_diff import json_diff_table
from apps.core.errors import InvalidInput, ServiceError
from apps.generation.kinds import KindSpec, kind_resolve
from apps.jobs.admin.common import pretty_json, usd
from apps.jobs.admin.reports import content_marked, problem_detail
from apps.jobs.domain import REVIEWABLE_ITEM_STATUSES, Actor, ItemReview
from apps.jobs.models import JobItem
from apps.jobs.services import item_approve, item_edit, item_reject, item_revisions


class ContentForm(forms.Form):
    """The kind's content fields: a text each, a list field one entry per line."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, kind: "str | KindSpec", **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind_resolve(kind)
        for spec in self.kind.fields:
            rows = 6 if spec.is_list or spec.max_chars > 400 else 2
            self.fields[spec.name] = forms.CharField(
                label=spec.name, required=False,
                widget=forms.Textarea(attrs={"rows": rows, "cols": 90}))

    @staticmethod
    def initial_for(item: JobItem) -> dict:
        content = item.content or {}
        initial = {name: "\n".join(value) if isinstance(value, list) else value
                   for name, value in content.items()}
        return {**initial, "revision": item.revision}

    def content(self) -> dict:
        return {spec.name: (self.cleaned_data[spec.name].splitlines() if spec.is_list
                            else self.cleaned_data[spec.name])
                for spec in self.kind.fields}

    def add_service_errors(self, error: InvalidInput) -> None:
        """The service names fields as `content.bullets.2`: each goes under its field."""
        for path, problems in error.fields.items():
            parts = path.split(".")
            name = parts[1] if len(parts) > 1 and parts[1] in self.fields else None
            for problem in problems:
                self.add_error(name, problem)
        if not error.fields:
            self.add_error(None, error.message)


def review_view(model_admin, request, pk):
    item = model_admin.get_object(request, str(pk))
    if item is None or not model_admin.has_view_permission(request, item):
        raise Http404
    form = ContentForm(kind=item.job.kind_spec, initial=ContentForm.initial_for(item))
    if request.method == "POST":
        if not model_admin.has_review_permission(request):
            raise PermissionDenied
        handler = ACTIONS.get(request.POST.get("action"))
        if handler is None:
            return HttpResponseBadRequest()
        outcome = handler(model_admin, request, item)
        if not isinstance(outcome, ContentForm):
            return outcome
        form = outcome
    return TemplateResponse(request, "admin/jobs/jobitem/review.html",
                            review_context(model_admin, request, item, form))


def review_context(model_admin, request, item: JobItem, form: ContentForm) -> dict:
    job = item.job
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta, "original": item, "job": job,
        "brand": job.brand_version.brand,
        "title": _("Review %(item)s") % {"item": item},
        "billed_calls": item.generation_attempts.count(), "cost": usd(item.cost_usd),
        "report": problem_detail(item), "content": content_marked(item),
        "input": pretty_json(item.input), "form": form,
        # The services decide whether a decision still stands open (a 409 is a message).
        "reviewable": item.status in REVIEWABLE_ITEM_STATUSES,
        "can_review": model_admin.has_review_permission(request),
        "can_use_as_example": (item.review == ItemReview.APPROVED
                               and request.user.has_perm("brands.change_brandtemplate")),
        "revisions": revisions(item),
        "queue_url": queue_url(),
    }


def revisions(item: JobItem) -> list[dict]:
    return [{"revision": revision, "diff": json_diff_table(
        revision.previous_content, revision.new_content,
        fromdesc=_("before revision %(n)s") % {"n": revision.number},
        todesc=_("revision %(n)s") % {"n": revision.number})}
        for revision in item_revisions(item=item)]


def queue_url() -> str:
    return f"{reverse('admin:jobs_jobitem_changelist')}?review__exact={ItemReview.PENDING}"


def _back(item: JobItem) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("admin:jobs_jobitem_review", args=[item.pk]))


def _revision(request) -> int | None:
    try:
        return int(request.POST["revision"])
    except (KeyError, ValueError):
        return None


def _edit(model_admin, request, item: JobItem):
    form = ContentForm(request.POST, kind=item.job.kind_spec, initial=ContentForm.initial_for(item))
    if not form.is_valid():
        return form
    try:
        report = item_edit(item=item, content=form.content(), author=Actor.for_user(request.user),
                           revision=form.cleaned_data["revision"])
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return form
    except ServiceError as exc:
        model_admin.message_user(request, exc.message, messages.ERROR)
        return _back(item)
    if report.passed:
        model_admin.message_user(request, _("Saved as revision %(number)s; every check passed.")
                                 % {"number": item.revision}, messages.SUCCESS)
    else:
        count = len(report.failures)
        model_admin.message_user(request, ngettext(
            "Saved as revision %(number)s; %(count)s check failed: see the report below.",
            "Saved as revision %(number)s; %(count)s checks failed: see the report below.",
            count) % {"number": item.revision, "count": count}, messages.WARNING)
    return _back(item)


def _approve(model_admin, request, item: JobItem):
    try:
        item_approve(item=item, reviewer=Actor.for_user(request.user),
                     revision=_revision(request))
    except ServiceError as exc:
        model_admin.message_user(request, exc.message, messages.ERROR)
        return _back(item)
    model_admin.message_user(request, _("%(item)s approved.") % {"item": item},
                             messages.SUCCESS)
    return HttpResponseRedirect(queue_url())


def _reject(model_admin, request, item: JobItem):
    try:
        item_reject(item=item, note=request.POST.get("note", ""),
                    reviewer=Actor.for_user(request.user), revision=_revision(request))
    except ServiceError as exc:
        model_admin.message_user(request, exc.message, messages.ERROR)
        return _back(item)
    model_admin.message_user(request, _(
        "%(item)s rejected: it is being written again with your note.") % {"item": item},
        messages.SUCCESS)
    return HttpResponseRedirect(queue_url())


def _use_as_example(model_admin, request, item: JobItem):
    """The approved content becomes one of the brand's few-shot examples: a new version
    of the brand, which later jobs pin (running ones keep theirs)."""
    if not request.user.has_perm("brands.change_brandtemplate"):
        raise PermissionDenied
    problem = _example_problem(item)
    if problem:
        model_admin.message_user(request, problem, messages.ERROR)
        return _back(item)
    brand = item.job.brand_version.brand
    example = {"locale": item.locale, "product": item.input, "output": item.content}
    brand_update(brand=brand, examples=[*brand_snapshot(brand)["examples"], example])
    number = brand.versions.order_by("-number").values_list("number", flat=True).first()
    model_admin.message_user(request, _(
        "Added to the examples of %(brand)s: version %(number)s.") % {
        "brand": brand.name, "number": number}, messages.SUCCESS)
    return _back(item)


def _example_problem(item: JobItem) -> str:
    """Why the item cannot become an example; empty when it can. The brand API's limits
    hold here too: examples reach every prompt of the brand."""
    if item.review != ItemReview.APPROVED:
        return _("Approve the content before using it as an example.")
    if item.job.brand_version.brand.examples.count() >= EXAMPLES_MAX:
        return _("The brand already has %(count)s examples, the most it takes; remove one "
                 "first.") % {"count": EXAMPLES_MAX}
    too_long = any(len(json.dumps(part, ensure_ascii=False)) > EXAMPLE_JSON_MAX_CHARS
                   for part in (item.input, item.content))
    if too_long:
        return _("This item is too long to be an example (at most %(limit)s characters of "
                 "JSON for the product and for the text).") % {"limit": EXAMPLE_JSON_MAX_CHARS}
    return ""


ACTIONS = {"edit": _edit, "approve": _approve, "reject": _reject, "example": _use_as_example}
