"""The jobs app in the admin, by concern: jobs and their sample, items and their check
reports, the index's panels and the spend dashboard. Importing the package registers
them all (Django's autodiscover imports `apps.jobs.admin`)."""

from apps.jobs.admin import index, items, jobs  # noqa: F401
