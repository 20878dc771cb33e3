"""Recovery: the database is the source of truth. Re-send what Redis lost or a dead
worker dropped. Safe to run any time and as often as wanted: an item is claimed
before it runs, so a duplicate message does nothing."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.jobs.domain import ACTIVE_JOB_STATUSES, ItemStatus
from apps.jobs.models import JobItem
from apps.jobs.services.sending import items_send
from apps.jobs.webhooks import webhook_recover_lost

logger = logging.getLogger(__name__)

# One sweep re-sends at most this many items; the next sweep takes the rest.
SWEEP_MAX_ITEMS = 50_000


@dataclass(frozen=True)
class Recovery:
    requeued: int  # pending items whose message was presumed lost
    freed: int  # running items whose worker died (lease expired)
    webhooks: int  # webhook attempts whose message was lost


def recovery_sweep() -> Recovery:
    now = timezone.now()
    stale = now - timedelta(seconds=settings.RECOVERY_STALE_S)
    with transaction.atomic():
        freed = JobItem.objects.filter(
            status=ItemStatus.RUNNING, lease_expires_at__lt=now,
            job__status__in=ACTIVE_JOB_STATUSES,
        ).update(status=ItemStatus.PENDING, claim_id=None, lease_expires_at=None, queued_at=None)
    lost = dict(JobItem.objects.filter(
        Q(queued_at__lt=stale) | Q(queued_at__isnull=True, created_at__lt=stale),
        status=ItemStatus.PENDING, job__status__in=ACTIVE_JOB_STATUSES,
    ).values_list("pk", "model")[:SWEEP_MAX_ITEMS])
    if lost:
        logger.warning("recovery sweep: re-sending %s pending items", len(lost))
        items_send(lost)
    return Recovery(requeued=len(lost), freed=freed, webhooks=webhook_recover_lost(stale=stale))
