"""The Celery app: `celery -A contentgen worker`. Its settings live in settings.py (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contentgen.settings")

app = Celery("contentgen")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
