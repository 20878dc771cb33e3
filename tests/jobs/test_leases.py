"""A live worker keeps its claims; a dead one's items are freed and sent again at once."""

import datetime
import uuid

import pytest
from django.utils import timezone

from apps.jobs.models import JobItem
from apps.jobs.services import leases, recovery_sweep
from apps.jobs.services.ledger import item_claim
from apps.jobs.services.sending import BROKER_SENTINEL_KEY
from contentgen.celery import app
from tests.conftest import product, submit

pytestmark = pytest.mark.usefixtures("catalog_on_simulator")


def queued(model="hermes-3-405b") -> int:
    with app.connection_for_write() as conn:
        return conn.default_channel.client.llen(f"generate.{model}")


@pytest.fixture
def empty_broker():
    """Queues empty, and the sweep's sentinel in place (Redis has not been reset)."""
    with app.connection_for_write() as conn:
        for name in ("generate.hermes-3-405b", "generate.gpt-4o-mini", "default"):
            conn.default_channel.queue_purge(name)
        conn.default_channel.client.set(BROKER_SENTINEL_KEY, "1")
    yield
    with app.connection_for_write() as conn:
        for name in ("generate.hermes-3-405b", "generate.gpt-4o-mini", "default"):
            conn.default_channel.queue_purge(name)


def test_the_keeper_pushes_the_lease_of_a_held_item_forward(workspace, brand, settings):
    settings.ITEM_LEASE_S = 30
    job = submit(workspace, items=[product(1)])
    item = item_claim(item_id=job.items.get().pk)
    JobItem.objects.filter(pk=item.pk).update(
        lease_expires_at=timezone.now() + datetime.timedelta(seconds=1))

    with leases.lease_kept(item):
        renewed = leases.leases_renew()
    after = leases.leases_renew()  # dropped: nothing is renewed any more

    lease = JobItem.objects.get(pk=item.pk).lease_expires_at
    assert (renewed, after) == (1, 0)
    assert lease > timezone.now() + datetime.timedelta(seconds=25)


def test_the_keeper_never_renews_a_claim_another_worker_took_over(workspace, brand):
    job = submit(workspace, items=[product(1)])
    item = item_claim(item_id=job.items.get().pk)
    JobItem.objects.filter(pk=item.pk).update(claim_id=uuid.uuid4())  # taken over

    with leases.lease_kept(item):
        assert leases.leases_renew() == 0


def test_a_dead_workers_items_are_freed_and_sent_again_in_the_same_sweep(
        workspace, brand, empty_broker):
    job = submit(workspace, items=[product(1), product(2)])
    first, second = job.items.order_by("pk")
    JobItem.objects.filter(pk=first.pk).update(
        status=JobItem.Status.RUNNING, claim_id=uuid.uuid4(),
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    JobItem.objects.filter(pk=second.pk).update(queued_at=timezone.now())  # its message is fine

    recovery = recovery_sweep()

    assert (recovery.freed, recovery.requeued, recovery.broker_reset) == (1, 0, False)
    assert JobItem.objects.get(pk=first.pk).status == JobItem.Status.PENDING
    assert queued() == 1


def test_when_redis_comes_back_empty_every_pending_item_is_sent_again(
        workspace, brand, empty_broker):
    job = submit(workspace, items=[product(1), product(2), product(3)])
    JobItem.objects.filter(job=job).update(queued_at=timezone.now())  # sent a moment ago
    with app.connection_for_write() as conn:
        conn.default_channel.client.delete(BROKER_SENTINEL_KEY)  # Redis restarted empty

    first = recovery_sweep()
    second = recovery_sweep()  # the sentinel is back: recent messages are trusted again

    assert (first.requeued, first.broker_reset) == (3, True)
    assert (second.requeued, second.broker_reset) == (0, False)
    assert queued() == 3
