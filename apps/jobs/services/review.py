"""The review desk: what a person does to an item's content once the model has written it.

An item's `review` sits beside its generation `status`: the status says how generation
ended (and is not changed by a person), the review says what was decided about the
stored content. A person may

- edit it (`item_edit`): the content is validated like the model's (the kind's fields,
  types, bullet counts and platform limits: a violation is refused, field by field), then
  checked with the very rules the pipeline uses. An edit that fails a check — a banned
  term the editor typed included — is stored and flagged, never refused: the revision is
  kept, the item's check report shows the failure and the item waits for review, so no
  human work is lost to a heuristic's false positive and nothing failing goes out unseen;
- approve it (`item_approve`), or reject it with a note (`item_reject`): the item is
  generated again, once, with the note in the prompt, and billed like any generation; what
  comes back waits for the person who rejected it, whatever the workspace's auto-approval.

A decision is taken once per content: approve and reject act on content waiting for
review or approved by the system, never on a person's decision (edit the item to reopen
it). Each action is one conditional update (or a locked read) of the item's row, so of
two racing decisions one wins and the other is a 409; `revision`, when given, makes an
action a 409 if someone edited the item since the caller read it.
"""

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import BudgetExceeded, Conflict, InvalidInput
from apps.generation.checks import CheckReport, content_check
from apps.generation.counting import count_characters
from apps.generation.kinds import FieldSpec, KindSpec, kind_resolve
from apps.jobs.domain import (
    FINAL_JOB_STATUSES,
    REVIEWABLE_ITEM_STATUSES,
    STATUS_COUNTER,
    SYSTEM_ACTOR,
    Actor,
    ItemReview,
    ItemStatus,
    JobStatus,
)
from apps.jobs.limits import REVIEW_NOTE_MAX_CHARS
from apps.jobs.models import ItemRevision, Job, JobItem
from apps.jobs.services.assessment import item_check_rules
from apps.jobs.services.budget import budget_reached
from apps.jobs.services.cache import cache_forget
from apps.jobs.services.events import item_reviewed
from apps.jobs.services.sending import items_send


def item_edit(*, item: JobItem, content: dict, author: Actor,
              revision: int | None = None) -> CheckReport:
    """Store a person's edit as the item's next revision and return its check report.

    `content` holds the fields to change; the others keep their text. Invalid content
    raises InvalidInput naming each field (``content.bullets.2``); content that fails a
    check is stored, flagged in the item's report, and waits for review. The item must
    have content and must not be waiting for its rewrite (a 409 otherwise)."""
    read = _with_rules(item)
    if read.status not in REVIEWABLE_ITEM_STATUSES:
        raise _conflict(item, revision)
    rules = item_check_rules(read)
    merged = _content_clean(kind=read.job.kind_spec, current=read.content or {}, changes=content)
    # Checked before the row is locked: the checks take a while (a web process loads its
    # language models on the first), and the lock would hold every other review of the item.
    report = content_check(merged, rules)
    with transaction.atomic():
        # Locked from here to the write of the revision: of two edits each sees the
        # other's text, and each revision's "previous" is the content it replaced.
        locked = JobItem.objects.select_for_update().filter(pk=item.pk).first()
        if (locked is None or locked.status not in REVIEWABLE_ITEM_STATUSES
                or (revision is not None and locked.revision != revision)):
            raise _conflict(item, revision)
        if locked.content != read.content:  # another edit landed since the read
            merged = _content_clean(kind=read.job.kind_spec, current=locked.content or {},
                                    changes=content)
            report = content_check(merged, rules)
        number = locked.revision + 1
        ItemRevision.objects.create(item=locked, number=number, author=author.label,
                                    previous_content=locked.content, new_content=merged)
        JobItem.objects.filter(pk=locked.pk).update(
            content=merged, checks=report.as_dict(), quality=report.quality, revision=number,
            edited=True, review=ItemReview.PENDING, reviewed_by="", reviewed_at=None)
    item.refresh_from_db()
    return report


def item_approve(*, item: JobItem, reviewer: Actor, revision: int | None = None) -> JobItem:
    """Approve the item's content as it is. Content already decided by a person, an item
    without content, or (with `revision`) an item edited since is a 409."""
    with transaction.atomic():
        approved = _decidable(item, revision).update(
            review=ItemReview.APPROVED, reviewed_by=reviewer.label, reviewed_at=timezone.now(),
            review_note="")
        if not approved:
            raise _conflict(item, revision)
        item_reviewed(item.pk)
    item.refresh_from_db()
    return item


def item_reject(*, item: JobItem, note: str, reviewer: Actor,
                revision: int | None = None) -> JobItem:
    """Reject the item's content and have it generated again, once, with `note` fed back
    to the model; the new attempts are billed like any other. The job reopens if it had
    finished. A cancelled job, a spent budget (402) or content already decided is refused."""
    note = _note_clean(note)
    job = item.job
    if budget_reached(workspace=job.workspace):
        raise BudgetExceeded(_("The monthly budget is spent; raise it to have this item "
                               "written again."))
    with transaction.atomic():
        # The job's row first, in the order job_cancel and job_retry take it: a reject
        # that loses to a cancel reopens nothing.
        if not Job.objects.filter(pk=job.pk).exclude(status=JobStatus.CANCELLED).update(
                status=F("status")):
            raise Conflict(_("The job was cancelled; its items cannot be written again."),
                           code="job_cancelled")
        locked = _decidable(item, revision).select_for_update().first()
        if locked is None:
            raise _conflict(item, revision)
        JobItem.objects.filter(pk=locked.pk).update(
            status=ItemStatus.PENDING, review=ItemReview.REJECTED, reviewed_by=reviewer.label,
            reviewed_at=timezone.now(), review_note=note, attempts=0, error="",
            finished_at=None, claim_id=None, lease_expires_at=None)
        counter = STATUS_COUNTER[locked.status]
        Job.objects.filter(pk=job.pk).update(**{counter: F(counter) - 1})
        Job.objects.filter(pk=job.pk, status__in=FINAL_JOB_STATUSES).update(
            status=JobStatus.RUNNING, finished_at=None)
        cache_forget(item=locked)
        item_reviewed(locked.pk)
        transaction.on_commit(lambda: items_send({locked.pk: locked.model}))
    item.refresh_from_db()
    return item


def item_revisions(*, item: JobItem) -> QuerySet[ItemRevision]:
    """The item's edits, oldest first (a selector, kept beside the services that write
    them)."""
    return ItemRevision.objects.filter(item=item).order_by("number")


def _with_rules(item: JobItem) -> JobItem:
    """The item with what its check rules read (brand version, workspace) in one query."""
    return JobItem.objects.select_related("job__brand_version", "job__workspace").get(pk=item.pk)


def _decidable(item: JobItem, revision: int | None) -> QuerySet[JobItem]:
    """The item, if its content waits for a decision: pending, or approved only by the
    system. The conditional update on this set is what makes one of two racing decisions
    win."""
    waiting = Q(review=ItemReview.PENDING) | Q(review=ItemReview.APPROVED,
                                                reviewed_by=SYSTEM_ACTOR)
    rows = JobItem.objects.filter(waiting, pk=item.pk, status__in=REVIEWABLE_ITEM_STATUSES)
    return rows if revision is None else rows.filter(revision=revision)


def _conflict(item: JobItem, revision: int | None) -> Conflict:
    """Why the item could not be acted on, as it is now (a racing action changed it)."""
    now = JobItem.objects.get(pk=item.pk)
    if revision is not None and now.revision != revision:
        return Conflict(_("The item was edited since revision %(revision)s; it is now at "
                          "revision %(current)s. Reload it and try again.")
                        % {"revision": revision, "current": now.revision},
                        code="item_changed", fields={"revision": [
                            _("The item is now at revision %(current)s.")
                            % {"current": now.revision}]})
    if now.status not in REVIEWABLE_ITEM_STATUSES:
        return Conflict(_("The item has no content to review (%(status)s).")
                        % {"status": now.get_status_display()}, code="item_not_reviewable")
    return Conflict(_("The item was already reviewed: %(review)s by %(who)s. Edit it to "
                      "review it again.") % {"review": now.get_review_display(),
                                              "who": now.reviewed_by},
                    code="item_already_reviewed")


def _note_clean(note) -> str:
    note = note.strip() if isinstance(note, str) else ""
    if not note:
        message = _("Say what is wrong: the note is sent to the model with the rewrite.")
        raise InvalidInput(message, fields={"note": [message]})
    if len(note) > REVIEW_NOTE_MAX_CHARS:
        message = _("The note takes at most %(limit)s characters; it has %(count)s.") % {
            "limit": REVIEW_NOTE_MAX_CHARS, "count": len(note)}
        raise InvalidInput(message, fields={"note": [message]})
    return note


# --- Validating an edit like the model's output ---------------------------------------


def _content_clean(*, kind: "str | KindSpec", current: dict, changes) -> dict:
    """The item's content with `changes` applied, validated as the kind's schema takes the
    model's answer (fields, types, bullet counts), plus the kind's platform limits; raises
    InvalidInput with every field at fault."""
    if not isinstance(changes, dict) or not changes:
        message = _("Send the content fields to change.")
        raise InvalidInput(message, fields={"content": [message]})
    kind = kind_resolve(kind)
    fields = kind.field_names
    errors: dict[str, list[str]] = {}
    for name in changes:
        if name not in fields:
            errors[f"content.{name}"] = [_("Unknown field; this kind has %(fields)s.")
                                         % {"fields": ", ".join(fields)}]
    merged = {**current, **changes}
    cleaned = {}
    for spec in kind.fields:
        value = merged.get(spec.name)
        if spec.is_list:
            cleaned[spec.name] = _list_clean(f"content.{spec.name}", value, spec, errors)
        else:
            cleaned[spec.name] = _text_clean(f"content.{spec.name}", value, spec, errors)
    if errors:
        raise InvalidInput(fields=errors)
    return cleaned


def _text_clean(path: str, value, spec: FieldSpec, errors: dict) -> str:
    if not isinstance(value, str):
        errors[path] = [_("Write this field as text.")]
        return ""
    value = value.strip()
    if not value and spec.required:
        errors[path] = [_("This field may not be empty.")]
    elif (count := count_characters(value, spec.counting)) > spec.max_chars:
        errors[path] = [_("At most %(limit)s characters; this has %(count)s.")
                        % {"limit": spec.max_chars, "count": count}]
    return value


def _list_clean(path: str, value, spec: FieldSpec, errors: dict) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
        errors[path] = [_("Write this field as a list of texts.")]
        return []
    for index, entry in enumerate(value):
        if (count := count_characters(entry.strip(), spec.counting)) > spec.max_chars:
            errors[f"{path}.{index}"] = [_("At most %(limit)s characters; this has %(count)s.")
                                         % {"limit": spec.max_chars, "count": count}]
    # Blank entries are dropped, as they are from the model's answer.
    entries = [entry.strip() for entry in value if entry.strip()]
    if not spec.min_entries <= len(entries) <= spec.max_entries:
        errors[path] = [_("Give %(min)s to %(max)s entries; this has %(count)s.")
                        % {"min": spec.min_entries, "max": spec.max_entries,
                           "count": len(entries)}]
    return entries
