"""A paid answer is never asked for twice: the database goes away after the model
answered, and the rerun of the same claim records that answer without a second call."""

import uuid

import pytest
from django.db import OperationalError

from apps.jobs.models import GenerationAttempt, JobItem
from apps.jobs.services import item_generate, pipeline
from tests.conftest import product, sim_requests, submit

pytestmark = pytest.mark.usefixtures("catalog_on_simulator")


def test_an_answer_the_database_could_not_record_is_recorded_by_the_rerun(
        workspace, brand, sim, monkeypatch):
    # Given an item whose first answer arrives while the database is gone
    job = submit(workspace, items=[product(1)])
    item = job.items.get()
    token = str(uuid.uuid4())  # the Celery task id: the same on every rerun of the message
    real_record = pipeline.item_record
    outage = {"left": 1}

    def record_or_fail(**kwargs):
        if outage["left"]:
            outage["left"] -= 1
            raise OperationalError("server closed the connection unexpectedly")
        return real_record(**kwargs)

    monkeypatch.setattr(pipeline, "item_record", record_or_fail)
    with pytest.raises(OperationalError):
        item_generate(item_id=item.pk, token=token)

    # When the task runs again under the same claim, the database back
    item_generate(item_id=item.pk, token=token)

    # Then the provider was called once, and that one call is the one billed attempt
    item.refresh_from_db()
    assert len(sim_requests(sim)) == 1
    assert item.status == JobItem.Status.SUCCEEDED
    assert GenerationAttempt.objects.filter(item=item).count() == 1
    assert item.attempts == 2  # two runs of the task, one call


def test_without_an_outage_nothing_is_left_in_the_spool(workspace, brand, sim):
    job = submit(workspace, items=[product(1)])
    item = job.items.get()
    token = str(uuid.uuid4())

    item_generate(item_id=item.pk, token=token)

    assert pipeline.answer_unspool(claim_id=uuid.UUID(token)) is None
    assert len(sim_requests(sim)) == 1
