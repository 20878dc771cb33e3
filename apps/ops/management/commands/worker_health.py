from urllib.parse import urlsplit

from celery import current_app as app
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from kombu.exceptions import OperationalError

from apps.ops.health import redact


class Command(BaseCommand):
    help = ("Exit 0 when a Celery worker answers ping within the timeout; otherwise say why "
            "and exit 1. Docker compose's worker healthcheck.")

    def add_arguments(self, parser):
        parser.add_argument("--destination", action="append", default=None,
                            help="A worker's node name (celery@host); repeat for several. "
                                 "Default: any worker on the broker.")
        parser.add_argument("--timeout", type=float, default=5.0,
                            help="Seconds to wait for an answer (default 5).")

    def handle(self, *args, destination, timeout, **options):
        try:
            with app.connection_for_write(connect_timeout=timeout) as connection:
                # One try, no retry loop: a healthcheck must answer within its own timeout.
                connection.ensure_connection(max_retries=0, timeout=timeout)
                replies = app.control.ping(destination=destination, timeout=timeout,
                                           connection=connection)
        except (OperationalError, OSError) as exc:
            password = urlsplit(settings.CELERY_BROKER_URL).password or ""
            reason = redact(f"{type(exc).__name__}: {exc}", secrets=(password,))
            raise CommandError(f"The broker is unreachable: {reason}") from None
        answered = sorted(name for reply in replies for name, answer in reply.items()
                          if answer.get("ok") == "pong")
        if not answered:
            asked = f" (asked: {', '.join(destination)})" if destination else ""
            raise CommandError(f"No worker answered ping within {timeout:g} s{asked}.")
        self.stdout.write("Answered: " + ", ".join(answered))
