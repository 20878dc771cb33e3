"""Recovery: the database is the source of truth. Re-send what Redis lost or a dead
worker dropped. Safe to run any time and as often as wanted: an item is claimed
before it runs, so a duplicate message does nothing."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from apps.jobs.domain import ACTIVE_JOB_STATUSES, ItemStatus
from apps.jobs.models import JobItem
from apps.jobs.services.sending import broker_reset_detect, items_send
from apps.jobs.webhooks import webhook_recover_lost

logger = logging.getLogger(__name__)

# One sweep re-sends at most this many items; the next sweep takes the rest.
SWEEP_MAX_ITEMS = 50_000


@dataclass(frozen=True)
class Recovery:
    requeued: int  # pending items whose message was presumed lost
    freed: int  # running items whose worker died (lease expired), sent again
    webhooks: int  # webhook attempts whose message was lost
    broker_reset: bool = False  # Redis came back empty: every pending item was re-sent


def recovery_sweep() -> Recovery:
    now = timezone.now()
    # A dead worker's items: free them and send them again at once.
    expired = JobItem.objects.filter(status=ItemStatus.RUNNING, lease_expires_at__lt=now,
                                     job__status__in=ACTIVE_JOB_STATUSES)
    freed = dict(expired.values_list("pk", "model")[:SWEEP_MAX_ITEMS])
    if freed:
        JobItem.objects.filter(pk__in=list(freed), status=ItemStatus.RUNNING,
                               lease_expires_at__lt=now).update(
            status=ItemStatus.PENDING, claim_id=None, lease_expires_at=None)
        logger.warning("recovery sweep: freed %s items of a dead worker", len(freed))
    pending = JobItem.objects.filter(status=ItemStatus.PENDING,
                                     job__status__in=ACTIVE_JOB_STATUSES)
    broker_reset = broker_reset_detect()
    if not broker_reset:
        # Only messages lost on their own: sent long ago and never taken.
        stale = now - timedelta(seconds=settings.RECOVERY_STALE_S)
        pending = pending.filter(Q(queued_at__lt=stale)
                                 | Q(queued_at__isnull=True, created_at__lt=stale))
    lost = {pk: model for pk, model in pending.values_list("pk", "model")[:SWEEP_MAX_ITEMS]
            if pk not in freed}
    if lost:
        logger.warning("recovery sweep: re-sending %s pending items%s", len(lost),
                       " (the broker came back empty)" if broker_reset else "")
    if freed or lost:
        items_send({**freed, **lost})
    return Recovery(requeued=len(lost), freed=len(freed), broker_reset=broker_reset,
                    webhooks=webhook_recover_lost(stale=now - timedelta(
                        seconds=settings.RECOVERY_STALE_S)))
