"""Job actions as state transitions (issue 16, observations 3 and 4), in-process: an
action on a job in the wrong state is a 409 and changes nothing; an item of a job
cancelled while it ran is closed as cancelled, never left pending; a cancelled item is
never claimed back. The concurrent version runs on real processes in
tests/e2e/test_job_action_races.py."""

import pytest

from apps.core.errors import Conflict
from apps.jobs.models import Job, JobItem, WebhookDelivery
from apps.jobs.services import job_cancel, job_retry
from apps.jobs.services.ledger import item_claim, item_release
from tests.conftest import product, submit


@pytest.fixture
def job(workspace, brand):
    return submit(workspace, items=[product(1), product(2), product(3)], locales=["en"])


@pytest.mark.parametrize("action", ["cancel", "retry", "resume"])
def test_every_action_on_a_cancelled_job_is_a_409_and_changes_nothing(api, job, action):
    job_cancel(job=job)
    before = list(JobItem.objects.filter(job=job).values_list("status", flat=True))

    response = api.post(f"/api/v1/jobs/{job.pk}/{action}/")

    assert response.status_code == 409
    assert response.json()["error"]["code"] in {"job_finished", "job_cancelled"}
    assert list(JobItem.objects.filter(job=job).values_list("status", flat=True)) == before
    job.refresh_from_db()
    assert (job.status, job.items_cancelled, job.items_pending) == ("cancelled", 3, 0)


def test_a_second_cancel_sends_no_second_event(job, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    Job.objects.filter(pk=job.pk).update(webhook_url="http://127.0.0.1:9/hook")
    with django_capture_on_commit_callbacks(execute=True):
        job_cancel(job=job)

    with pytest.raises(Conflict) as second:
        job_cancel(job=job)

    assert second.value.code == "job_finished"
    assert WebhookDelivery.objects.filter(job=job).count() == 1
    assert Job.objects.get(pk=job.pk).items_cancelled == 3


def test_an_item_released_after_its_job_was_cancelled_is_cancelled_not_pending(job):
    first = job.items.order_by("position").first()
    claimed = item_claim(item_id=first.pk)
    job_cancel(job=job)

    item_release(item=claimed, give_back_attempt=True)

    first.refresh_from_db()
    job.refresh_from_db()
    assert first.status == JobItem.Status.CANCELLED
    assert (job.items_cancelled, job.items_pending) == (3, 0)


def test_a_cancelled_item_is_never_claimed(job):
    job_cancel(job=job)

    assert [item_claim(item_id=item.pk) for item in job.items.all()] == [None, None, None]
    assert set(job.items.values_list("status", flat=True)) == {"cancelled"}


def test_retry_counts_what_it_reopened_not_what_it_read(job):
    JobItem.objects.filter(job=job).update(status=JobItem.Status.FAILED)
    Job.objects.filter(pk=job.pk).update(items_failed=3, status=Job.Status.FAILED)

    assert job_retry(job=job) == 3
    assert job_retry(job=job) == 0

    job.refresh_from_db()
    assert (job.status, job.items_failed, job.items_pending) == ("running", 0, 3)
