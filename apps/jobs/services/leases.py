"""Keeping a live worker's claims alive.

A claimed item carries a lease (ITEM_LEASE_S, 30 s by default); the recovery sweep
frees an item whose lease ran out, presuming its worker dead. So that a lease can be
that short without a slow model call losing its item, each worker process runs one
keeper thread that renews the leases of every item it is working on, every
ITEM_LEASE_RENEW_S, in one statement. A process killed with SIGKILL renews nothing, and
its items are running elsewhere within the lease plus one sweep interval.

The keeper is started by the worker (a Celery signal in tasks.py); anywhere else
(tests, the shell) holding a claim records it and nothing renews it.
"""

import logging
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.db.models import Q
from django.utils import timezone

from apps.jobs.domain import ItemStatus
from apps.jobs.models import JobItem

logger = logging.getLogger(__name__)


class _Keeper:
    def __init__(self):
        self._held: dict[int, UUID] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="lease-keeper",
                                                daemon=True)
                self._thread.start()

    def hold(self, item_id: int, claim_id: UUID) -> None:
        with self._lock:
            self._held[item_id] = claim_id

    def drop(self, item_id: int) -> None:
        with self._lock:
            self._held.pop(item_id, None)

    def held(self) -> dict[int, UUID]:
        with self._lock:
            return dict(self._held)

    def renew(self) -> int:
        """Push every held lease forward; returns how many rows were still ours."""
        held = self.held()
        if not held:
            return 0
        mine = Q()
        for item_id, claim_id in held.items():
            mine |= Q(pk=item_id, claim_id=claim_id)
        until = timezone.now() + timedelta(seconds=settings.ITEM_LEASE_S)
        return JobItem.objects.filter(mine, status=ItemStatus.RUNNING).update(
            lease_expires_at=until)

    def _run(self) -> None:
        while True:
            time.sleep(settings.ITEM_LEASE_RENEW_S)
            try:
                self.renew()
            except DatabaseError as exc:
                # The next round tries again; a lease lost meanwhile only means the
                # sweep may hand the item to another worker, whose claim then wins.
                logger.warning("lease renewal failed: %s", exc)
            finally:
                close_old_connections()


_keeper = _Keeper()


def lease_keeper_start() -> None:
    """Start this process's keeper thread (idempotent)."""
    _keeper.start()


def leases_renew() -> int:
    return _keeper.renew()


@contextmanager
def lease_kept(item: JobItem):
    """While the block runs, this process keeps the item's lease alive."""
    _keeper.hold(item.pk, item.claim_id)
    try:
        yield
    finally:
        _keeper.drop(item.pk)
