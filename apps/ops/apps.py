from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Health, readiness, metrics and worker health: reads across the other apps."""

    name = "apps.ops"
    label = "ops"
    verbose_name = "Operations"
