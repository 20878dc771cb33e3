"""The recovery sweep: the database is the source of truth when messages are lost."""

import datetime

import pytest
from django.utils import timezone

from apps.jobs.models import Job, JobItem
from apps.jobs.services import item_generate, job_dispatch, recovery_sweep
from apps.jobs.services.sending import BROKER_SENTINEL_KEY
from contentgen.celery import app
from tests.conftest import product, sim_requests, submit

pytestmark = pytest.mark.usefixtures("catalog_on_simulator", "broker_intact")


@pytest.fixture
def broker_intact():
    """Redis has not been reset since the last sweep: its sentinel is in place."""
    with app.connection_for_write() as conn:
        conn.default_channel.client.set(BROKER_SENTINEL_KEY, "1")


def queued_messages() -> int:
    with app.connection_for_write() as conn:
        return sum(conn.default_channel.client.llen(f"generate.{model}")
                   for model in ("hermes-3-405b", "gpt-4o-mini"))


def purge():
    with app.connection_for_write() as conn:
        for name in ("generate.hermes-3-405b", "generate.gpt-4o-mini", "default"):
            conn.default_channel.queue_purge(name)


def test_pending_items_whose_message_is_old_are_sent_again(workspace, brand, settings):
    settings.RECOVERY_STALE_S = 60
    job = submit(workspace, items=[product(1), product(2)])
    purge()
    job_dispatch(job_id=job.pk)
    purge()  # Redis lost the messages
    long_ago = timezone.now() - datetime.timedelta(seconds=120)
    JobItem.objects.filter(job=job).update(queued_at=long_ago)

    recovery = recovery_sweep()

    assert recovery.requeued == 2
    assert queued_messages() == 2
    assert all(t > long_ago for t in JobItem.objects.values_list("queued_at", flat=True))
    purge()


def test_recent_messages_are_left_alone(workspace, brand, settings):
    settings.RECOVERY_STALE_S = 60
    job = submit(workspace, items=[product(1)])
    purge()
    job_dispatch(job_id=job.pk)

    assert recovery_sweep().requeued == 0
    purge()


def test_items_of_a_dead_worker_are_freed_and_run_exactly_once(workspace, brand, sim, settings):
    settings.RECOVERY_STALE_S = 60
    job = submit(workspace, items=[product(1)])
    item = job.items.get()
    purge()
    # A worker claimed the item and died: its lease runs out.
    JobItem.objects.filter(pk=item.pk).update(
        status=JobItem.Status.RUNNING, attempts=1,
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1))

    recovery = recovery_sweep()
    item_generate(item_id=item.pk)
    item_generate(item_id=item.pk)  # a late redelivery of the dead worker's message

    item.refresh_from_db()
    assert (recovery.freed, recovery.requeued) == (1, 0)
    assert item.status == JobItem.Status.SUCCEEDED
    assert len(sim_requests(sim)) == 1
    assert item.generation_attempts.count() == 1
    purge()


def test_finished_and_cancelled_jobs_are_not_swept(workspace, brand, settings):
    settings.RECOVERY_STALE_S = 60
    job = submit(workspace, items=[product(1)])
    Job.objects.filter(pk=job.pk).update(status=Job.Status.CANCELLED)
    JobItem.objects.filter(job=job).update(
        queued_at=timezone.now() - datetime.timedelta(seconds=120))

    assert recovery_sweep().requeued == 0
