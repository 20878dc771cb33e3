"""The jobs app in the admin, by concern: jobs and their sample (jobs), items named as
the bill counts them (items), check reports for people (reports), the review queue's
filters and an item's review desk (filters, review), the index's panels (index) and the
spend dashboard (dashboard, charts). Importing the package registers them all (Django's
autodiscover imports `apps.jobs.admin`)."""

from apps.jobs.admin import index, items, jobs  # noqa: F401
