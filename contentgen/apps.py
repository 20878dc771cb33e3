from django.apps import AppConfig


class ContentgenConfig(AppConfig):
    name = "contentgen"
    verbose_name = "ContentGen"

    def ready(self):
        # Registers the API-key scheme with drf-spectacular.
        from contentgen import schema  # noqa: F401
