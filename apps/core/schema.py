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
