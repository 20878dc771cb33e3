"""API plumbing shared by every app: the error shape and pagination.

Every error answers ``{"error": {"code", "message", "fields"}}`` in JSON, whatever the
request's Accept: a stable code for machines, a message in the caller's language, and
the offending fields.
"""

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from apps.core.errors import BudgetExceeded, Conflict, InvalidInput, NotFound, ServiceError

SERVICE_ERROR_STATUS = {
    BudgetExceeded: status.HTTP_402_PAYMENT_REQUIRED,
    InvalidInput: status.HTTP_400_BAD_REQUEST,
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
}


def _encodable(text) -> str:
    """Text that UTF-8 can carry: a lone surrogate in a client's field name or value is
    shown as its escape (\\udc00), since an error that names it must not fail to
    render (a 500)."""
    return str(text).encode("utf-8", "backslashreplace").decode("utf-8")


def error_body(code: str, message, fields: dict | None = None, **extra) -> dict:
    fields = {_encodable(path): [_encodable(entry) for entry in messages]
              for path, messages in (fields or {}).items()}
    return {"error": {"code": code, "message": _encodable(message), "fields": fields, **extra}}


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into ``{"dotted.path": [messages]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors":
                path = prefix or "non_field_errors"
            for inner_path, messages in flatten_errors(value, path).items():
                flat.setdefault(inner_path, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(entry, (dict, list)) for entry in detail):
            flat[prefix or "non_field_errors"] = [str(entry) for entry in detail]
        else:
            for index, value in enumerate(detail):
                if value:
                    path = f"{prefix}.{index}" if prefix else str(index)
                    flat.update(flatten_errors(value, path))
    else:
        flat[prefix or "non_field_errors"] = [str(detail)]
    return flat


def exception_handler(exc, context):
    response = _error_response(exc, context)
    if response is not None and context.get("request") is not None:
        # The error shape is JSON, also where the request asked for CSV (an export's 404)
        # or for a type the view cannot make (the 406 itself).
        request = context["request"]
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    return response


def _error_response(exc, context) -> Response | None:
    if isinstance(exc, ServiceError):
        http_status = next(
            (code for cls, code in SERVICE_ERROR_STATUS.items() if isinstance(exc, cls)),
            getattr(exc, "http_status", status.HTTP_400_BAD_REQUEST),
        )
        body = error_body(exc.code, exc.message, exc.fields, **exc.extra)
        return Response(body, status=http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ParseError):
        if exc.get_codes() == "too_deep":
            message, code = exc.detail, "body_too_deep"
        else:
            message, code = _("The request body could not be parsed."), "malformed_body"
        response.data = error_body(code, message, {"body": [str(message)]})
    elif isinstance(exc, exceptions.ValidationError):
        response.data = error_body("invalid", _("The request has invalid fields."),
                                   flatten_errors(exc.detail))
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = detail if isinstance(detail, str) else _("The request could not be completed.")
        code = getattr(detail, "code", None) or exc.default_code
        response.data = error_body(code, message)
    return response


class StandardPagination(PageNumberPagination):
    """`?page=` and `?page_size=`. DRF quietly ignores a page size it cannot read and
    answers "Invalid page." as a 404 for `?page=abc`; here both are a 400 naming the
    parameter. A page past the last stays a 404 (it does not exist)."""

    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        fields = {}
        page = request.query_params.get(self.page_query_param)
        if page is not None and page not in self.last_page_strings and not _whole(page):
            fields[self.page_query_param] = [_("A page number from 1, or “last”.")]
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and not _whole(size):
            fields[self.page_size_query_param] = [_("A whole number from 1.")]
        if fields:
            raise InvalidInput(fields=fields)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        self.page_size = settings.API_PAGE_SIZE
        self.max_page_size = settings.API_MAX_PAGE_SIZE
        return super().get_page_size(request)


def _whole(text: str) -> bool:
    """1, 2, …, without int() (a 5,000-digit page would raise past Python's limit)."""
    return text.isascii() and text.isdigit() and text.strip("0") != ""


PAGE_PARAMETERS = ("page", "page_size")
UNKNOWN_QUERY_PARAMETER_MESSAGE = gettext_lazy("Unknown query parameter.")


class ApiView(APIView):
    """The base of every view under /api/: DRF's APIView plus one rule. A query parameter
    the method does not take is a 400 naming it, as an unknown body field is: a misspelt
    filter (`?stauts=failed`) must not quietly answer every item.

    `query_params` maps a method to the parameters it takes; `format` (the export
    switch of the content negotiation) is taken everywhere, and HEAD takes what GET does.
    The OpenAPI schema documents the same names (a test holds the two equal)."""

    query_params: dict[str, tuple[str, ...]] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        method = "get" if request.method == "HEAD" else request.method.lower()
        taken = {"format", *self.query_params.get(method, ())}
        unknown = sorted(name for name in request.query_params if name not in taken)
        if unknown:
            raise InvalidInput(fields={
                name: [str(UNKNOWN_QUERY_PARAMETER_MESSAGE)] for name in unknown})
