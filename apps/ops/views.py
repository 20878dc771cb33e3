from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from rest_framework.exceptions import PermissionDenied

from apps.core.api import error_body
from apps.ops import health


# Probes are plain Django views: no API key, no throttle (load balancers call them),
# and never cached, since a cached "ok" would hide an outage. They change nothing, so the
# CSRF check is off: a POST gets the 405 it deserves, not an HTML CSRF 403.
@csrf_exempt
@never_cache
@require_safe
def healthz(request):
    """Liveness: the process answers. It touches nothing, so a database outage does not
    get every web process restarted."""
    return JsonResponse({"ok": True})


@csrf_exempt
@never_cache
@require_safe
def readyz(request):
    readiness = health.readiness_check()
    return JsonResponse(readiness.as_dict(), status=200 if readiness.ok else 503)


@csrf_exempt
@never_cache
@require_safe
def metrics(request):
    if not health.metrics_request_allowed(request):
        # DRF's own sentence, already translated in its catalogs.
        return JsonResponse(error_body("permission_denied", PermissionDenied.default_detail),
                            status=403)
    body, content_type = health.metrics_render(accept=request.headers.get("Accept", ""))
    return HttpResponse(body, content_type=content_type)


@csrf_exempt
def api_not_found(request):
    """Any path under /api/ that no route takes, with any method: the API's JSON 404.
    The API authenticates by key alone, so no CSRF check applies (a logged-in admin's
    POST got Django's HTML CSRF page instead)."""
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)


def server_error(request):
    """Django's 500 page, except under /api/, whose clients read JSON even when the
    server fails (the page is HTML)."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("server_error", _("The request could not be completed.")),
                            status=500)
    return defaults.server_error(request)


def bad_request(request, exception):
    """Django's 400 page (a request it refuses before any view, e.g. a malformed query
    string past its limits), except under /api/, whose clients read JSON."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("bad_request", _("The request is malformed.")),
                            status=400)
    return defaults.bad_request(request, exception)
