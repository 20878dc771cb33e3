import datetime
import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import (
    ApiKey,
    Workspace,
    WorkspaceMonthlySpend,
    default_webhook_secret,
)

KEY_PREFIX = "cg_"


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    raw_key: str  # returned once; only its digest is stored


def api_key_digest(raw_key: str) -> str:
    # Keys are 256-bit random tokens, so a fast hash is enough: there is nothing to
    # brute-force, unlike a password.
    return hashlib.sha256(raw_key.encode()).hexdigest()


def workspace_get_or_create(*, slug: str, name: str = "") -> Workspace:
    workspace, _created = Workspace.objects.get_or_create(
        slug=slug, defaults={"name": name or slug}
    )
    return workspace


@transaction.atomic
def api_key_create(*, workspace: Workspace, name: str = "") -> IssuedKey:
    raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(
        workspace=workspace, name=name, prefix=raw_key[:10], digest=api_key_digest(raw_key)
    )
    return IssuedKey(api_key=api_key, raw_key=raw_key)


def api_key_revoke(*, api_key: ApiKey) -> None:
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def month_of(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(datetime.UTC).date().replace(day=1)


def workspace_spend_add(*, workspace_id: int, cost_usd: Decimal) -> None:
    """Add a model call's cost to this month's spend (inside the caller's transaction)."""
    if not cost_usd:
        return
    table = WorkspaceMonthlySpend._meta.db_table
    # One upsert per call (PostgreSQL and SQLite 3.24+ share this syntax): this runs
    # for every model call, so no get-then-update round trips.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (workspace_id, month, cost_usd) VALUES (%s, %s, %s) "
            f"ON CONFLICT (workspace_id, month) DO UPDATE "
            f"SET cost_usd = {table}.cost_usd + excluded.cost_usd",
            [workspace_id, month_of(timezone.now()), cost_usd],
        )


def workspace_webhook_secret_rotate(*, workspace: Workspace) -> str:
    """A new webhook signing secret, returned once; deliveries sign with it from now on."""
    secret = default_webhook_secret()
    Workspace.objects.filter(pk=workspace.pk).update(webhook_secret=secret)
    workspace.webhook_secret = secret
    return secret
