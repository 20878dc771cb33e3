from django.core.management.base import BaseCommand

from apps.accounts.services import api_key_create, workspace_get_or_create


class Command(BaseCommand):
    help = "Create an API key for a workspace (created if needed); prints the key on the last line."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, help="workspace slug")
        parser.add_argument("--name", default="", help="a label for the key")

    def handle(self, *args, workspace: str, name: str, **options):
        ws = workspace_get_or_create(slug=workspace)
        issued = api_key_create(workspace=ws, name=name)
        self.stderr.write(f"API key for workspace '{ws.slug}' (shown once, store it now):")
        self.stdout.write(issued.raw_key)
