"""A `localize` job's sources: the finished job it names resolved into items, and which
item × locale is passed through rather than localized.

A job given as `source_job` must be the caller's workspace's: another workspace's id is
the same 400 as an id that does not exist, so no one learns that it does. Its items that
succeeded and were not rejected become the sources (apps.jobs.selectors.items_to_localize),
each with its content, its locale as the source's and its SKU and name.

Pass-through: a source already written for the target locale (same tag: en-US for en-US)
is the content the customer wants there, so it is stored as it is, without a call and
without a charge, with a note in its check report. The same language for another market
(en-US → en-GB, es-MX → es-ES) is localized: spelling, currency, form of address and the
glossary's renderings differ between those markets.
"""

import dataclasses

from django.conf import settings
from django.utils.translation import gettext as _

from apps.accounts.models import Workspace
from apps.core.errors import InvalidInput
from apps.generation.kinds import LOCALIZE, UnknownKind, kind_get
from apps.generation.prompts import ItemInput
from apps.jobs.domain import JobSubmission
from apps.jobs.selectors import items_to_localize, job_get_for_workspace

PASSTHROUGH_NOTE = "passed through: the source is already written for this locale"


def localize_sources_resolve(*, workspace: Workspace, submission: JobSubmission) -> JobSubmission:
    """The submission with the items of its `source_job` (for a `localize` job naming
    one), its source kind taken from that job; the submission itself otherwise."""
    if submission.kind != LOCALIZE or not submission.source_job:
        return submission
    job = job_get_for_workspace(workspace=workspace, job_id=submission.source_job)
    if job is None:
        message = _("No job with the id “%(id)s” exists in this workspace.") % {
            "id": submission.source_job}
        raise InvalidInput(message, code="unknown_source_job", fields={"source_job": [message]})
    # A localization's content is of its own source kind.
    source_kind = job.source_kind if job.kind == LOCALIZE else job.kind_spec.key
    try:
        kind_get(LOCALIZE, source_kind)
    except UnknownKind:
        message = _("The job “%(id)s” wrote %(kind)s, which cannot be localized.") % {
            "id": submission.source_job, "kind": source_kind}
        raise InvalidInput(message, fields={"source_job": [message]}) from None
    if submission.source_kind and submission.source_kind != source_kind:
        message = _("The job “%(id)s” wrote %(kind)s; leave source_kind out or give "
                    "%(kind)s.") % {"id": submission.source_job, "kind": source_kind}
        raise InvalidInput(message, fields={"source_kind": [message]})
    items = [ItemInput(sku=item.sku, name=str(item.input.get("name") or ""),
                       source=item.content, source_locale=item.locale)
             for item in items_to_localize(job=job)]
    if not items:
        message = _("The job “%(id)s” has no succeeded items that were not rejected, so "
                    "nothing to localize.") % {"id": submission.source_job}
        raise InvalidInput(message, code="nothing_to_localize",
                           fields={"source_job": [message]})
    # The body's own count (apps.jobs.serializers) could not see the job's items.
    count, limit = len(items) * len(submission.locales), settings.JOB_MAX_ITEM_LOCALES
    if count > limit:
        message = _("A job takes at most %(limit)s items × locales; this one has %(count)s."
                    ) % {"limit": limit, "count": count}
        raise InvalidInput(message, fields={"locales": [message]})
    return dataclasses.replace(submission, items=items, source_kind=source_kind)


def is_passthrough(item: ItemInput, locale: str) -> bool:
    """The source is already written for the target locale: stored as it is."""
    return bool(item.source_locale) and item.source_locale == locale
