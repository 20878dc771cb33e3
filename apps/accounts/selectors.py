from decimal import Decimal

from django.utils import timezone

from apps.accounts.models import ApiKey, Workspace, WorkspaceMonthlySpend
from apps.accounts.services import api_key_digest, month_of


def api_key_get_active(*, raw_key: str) -> ApiKey | None:
    return (
        ApiKey.objects.select_related("workspace")
        .filter(digest=api_key_digest(raw_key), revoked_at__isnull=True)
        .first()
    )


def workspace_month_spent(*, workspace: Workspace) -> Decimal:
    spent = (WorkspaceMonthlySpend.objects
             .filter(workspace=workspace, month=month_of(timezone.now()))
             .values_list("cost_usd", flat=True).first())
    return spent or Decimal(0)
