from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared lower layer: errors, API helpers, money, the network guard.

    It imports no other app, so every app may import it."""

    name = "apps.core"
    label = "core"
    verbose_name = "Core"
