from apps.accounts.models import ApiKey
from apps.accounts.services import api_key_digest


def api_key_get_active(*, raw_key: str) -> ApiKey | None:
    return (
        ApiKey.objects.select_related("workspace")
        .filter(digest=api_key_digest(raw_key), revoked_at__isnull=True)
        .first()
    )
