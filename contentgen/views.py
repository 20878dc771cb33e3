from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _

from contentgen.api import error_body


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


def api_not_found(request, rest):
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)
