from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _

from apps.core.api import error_body


class BodySizeLimitMiddleware:
    """Refuse an API request whose declared body is too large with a 413 in the API's
    error shape, before Django reads it (its own limit answers a bare 400), and one that
    declares no length (a chunked body) with a 411."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            # A chunked body declares no length; WSGI reads it as empty (a valid job became
            # "field required") and no limit applies to it. Ask for a length instead.
            if ("chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
                    and not request.META.get("CONTENT_LENGTH")):
                message = _("Send the request body with a Content-Length header; chunked "
                            "bodies are not accepted.")
                return JsonResponse(error_body("length_required", message, {"body": [message]}),
                                    status=411)
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
