from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

# Describes this scheme to drf-spectacular (OpenAPI); registered on import.
from apps.accounts import schema  # noqa: F401
from apps.accounts.models import ApiKey, Workspace
from apps.accounts.selectors import api_key_get_active
from apps.accounts.throttling import InvalidApiKeyThrottle


@dataclass(frozen=True)
class ApiPrincipal:
    """The caller behind an API key; `request.user` in API views."""

    workspace: Workspace
    api_key: ApiKey
    is_authenticated: bool = True
    is_anonymous: bool = False

    @property
    def pk(self):
        return self.api_key.pk


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>`; the key's workspace scopes every query."""

    keyword = "bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        try:
            raw_key = header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header.")) from exc
        api_key = api_key_get_active(raw_key=raw_key)
        if api_key is None:
            throttle = InvalidApiKeyThrottle()
            if not throttle.allow_request(request, None):
                raise exceptions.Throttled(throttle.wait())
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API key."))
        return ApiPrincipal(workspace=api_key.workspace, api_key=api_key), api_key

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
