"""The data migration that gives items made before the review desk a review state."""

import importlib

from django.apps import apps
from django.utils import timezone

from apps.jobs.models import JobItem
from tests.conftest import product, submit

migration = importlib.import_module("apps.jobs.migrations.0010_review_existing_items")


def test_existing_items_get_the_review_state_new_items_would_get(workspace, brand):
    job = submit(workspace, items=[product(n) for n in range(1, 5)], locales=["en"])
    finished = timezone.now()
    passed, failing, failed, waiting = job.items.order_by("position")
    for item, status in ((passed, "succeeded"), (failing, "needs_review"), (failed, "failed")):
        JobItem.objects.filter(pk=item.pk).update(status=status, finished_at=finished)

    migration.review_existing(apps, None)

    rows = {item.pk: (item.review, item.reviewed_by, item.reviewed_at)
            for item in JobItem.objects.filter(job=job)}
    assert rows == {passed.pk: ("approved", "system", finished),
                    failing.pk: ("pending", "", None),
                    failed.pk: ("", "", None),
                    waiting.pk: ("", "", None)}
