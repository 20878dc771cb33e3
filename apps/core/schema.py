"""OpenAPI pieces shared by every endpoint: the error shape and paginated lists."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer("Error", {
    "error": inline_serializer("ErrorBody", {
        "code": serializers.CharField(help_text="Stable, for machines: invalid, not_found, ..."),
        "message": serializers.CharField(help_text="In the request's Accept-Language."),
        "fields": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="Dotted paths of the fields at fault, e.g. items.3.image_urls.0."),
    }),
})


def error(description: str, code: str = "invalid", message: str = "The request has invalid fields.",
          fields: dict | None = None) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description, examples=[OpenApiExample(
        code, value={"error": {"code": code, "message": message, "fields": fields or {}}})])


ERRORS = {
    400: error("Invalid input; `fields` names each field at fault.",
               fields={"locales.0": ["Unsupported locale “de”."]}),
    401: error("No or an invalid API key.", "not_authenticated",
               "Authentication credentials were not provided."),
    404: error("Not found, or not in your workspace.", "not_found", "Not found."),
    413: error("The body is too large.", "body_too_large",
               "The request body is 30000000 bytes; the limit is 20971520."),
    429: error("Too many requests for this API key; see Retry-After.", "throttled",
               "Request was throttled. Expected available in 12 seconds."),
}


def paginated(name: str, item_serializer) -> serializers.Serializer:
    """The page envelope of the list endpoints (count, next, previous, results)."""
    return inline_serializer(name, {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": item_serializer,
    })


def request_bodies_closed(result, generator, request, public):
    """Marks every request body component `additionalProperties: false`: each comes from an
    input serializer that refuses fields it does not list (StrictFieldsMixin), so clients
    and generated tests learn from the schema that an extra property is a 400. Free-form
    maps (item attributes) are properties, not components, and stay open. Components of
    request bodies are the ones COMPONENT_SPLIT_REQUEST names `…Request`."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result


PAGE_QUERY_PARAMETERS = [
    {"name": "page", "in": "query", "required": False, "schema": {"type": "integer"},
     "description": "The page to return, from 1."},
    {"name": "page_size", "in": "query", "required": False, "schema": {"type": "integer"},
     "description": "Results per page (the server's default if absent; capped by its maximum)."},
]


def query_rules_documented(result, generator, request, public):
    """Documents what ApiView does with query strings, which drf-spectacular cannot see:
    `page` and `page_size` on every operation that answers a page (a 200 whose JSON schema
    is one of the `Paginated…` components of `paginated()`; the views paginate by hand)
    with the 404 of a page past the last, and the 400 that any operation answers to a
    query parameter it does not take."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            answer = responses.get("200", {}).get("content", {})
            reference = answer.get("application/json", {}).get("schema", {}).get("$ref", "")
            if reference.rpartition("/")[2].startswith("Paginated"):
                parameters = operation.setdefault("parameters", [])
                taken = {(p.get("name"), p.get("in")) for p in parameters}
                parameters.extend(p for p in PAGE_QUERY_PARAMETERS
                                  if (p["name"], "query") not in taken)
                responses.setdefault("404", {
                    "description": "A page past the last.",
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"}}}})
            responses.setdefault("400", {
                "description": "A query parameter the operation does not take; `fields` "
                               "names it.",
                "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Error"}}}})
    return result
