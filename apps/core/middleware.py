from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _

from apps.core.api import error_body


class BodySizeLimitMiddleware:
    """Refuse an API request whose declared body is too large with a 413 in the API's
    error shape, before Django reads it (its own limit answers a bare 400)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            limit = settings.API_MAX_BODY_BYTES
            if length > limit:
                message = _("The request body is %(size)s bytes; the limit is %(limit)s.") % {
                    "size": length, "limit": limit}
                return JsonResponse(error_body("body_too_large", message,
                                               {"body": [message]}), status=413)
        return self.get_response(request)
