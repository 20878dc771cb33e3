"""Fixtures of the webhook tests: a real receiver on 127.0.0.1 and a finished job."""

import pytest
from django.utils import timezone

from apps.generation.prompts import ItemInput
from apps.jobs.domain import JobSubmission
from apps.jobs.models import Job
from apps.jobs.services import job_submit
from apps.jobs.webhooks import webhook_on_job_finished
from devtools.webhook_receiver import Receiver
from tests.conftest import product


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True  # the receiver lives on 127.0.0.1
    server = Receiver()
    yield server
    server.stop()


@pytest.fixture
def finished_job(workspace, brand):
    """A job that has finished, with the given webhook URL."""

    def make(webhook_url: str, status: str = Job.Status.SUCCEEDED) -> Job:
        job = job_submit(workspace=workspace, submission=JobSubmission(
            kind="product_description", brand=brand.slug, locales=["en"], model="auto",
            items=[ItemInput.from_product(product(1))], webhook_url=webhook_url))
        Job.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now())
        job.refresh_from_db()
        return job

    return make


@pytest.fixture
def delivery(receiver, finished_job):
    """Attempt 1 of a finished job's webhook to the receiver's /hook."""
    return webhook_on_job_finished(job_id=finished_job(receiver.url()).pk)
