"""Existing items get the review state new items get: content that passed its checks
was approved by the system (every workspace starts with auto-approval on, as before this
migration nothing waited for a person), content that failed them waits for review, and
items without content have no review state."""

from django.db import migrations
from django.db.models import F


def review_existing(apps, schema_editor):
    JobItem = apps.get_model("jobs", "JobItem")
    JobItem.objects.filter(status="succeeded").update(
        review="approved", reviewed_by="system", reviewed_at=F("finished_at"))
    JobItem.objects.filter(status="needs_review").update(review="pending")


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0009_review"),
    ]

    operations = [
        migrations.RunPython(review_existing, migrations.RunPython.noop, elidable=True),
    ]
