"""The API's JSON parser: DRF's strict one behind a depth limit.

Python's json module recurses once per level, so a body nested 10,000 levels deep
raised RecursionError (a 500) inside DRF; the depth is now counted on the text first,
without recursion, and too deep a body is a 400 like any other malformed one.
"""

import itertools
import json
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import BaseParser, JSONParser

# Strings (with their escapes) are dropped before counting brackets: "[[[" in a name
# nests nothing.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def json_text_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest, counted without parsing it
    (in C-speed passes, so a 20 MB body costs a fraction of a second)."""
    brackets = _NOT_BRACKETS.sub("", _JSON_STRING.sub("", text))
    if not brackets:
        return 0
    return max(itertools.accumulate(_BRACKET_STEP[ord(char)] for char in brackets))


class BoundedJSONParser(JSONParser):
    """DRF's strict JSON parser behind a depth limit: a body nested 10,000 levels deep is
    a 400 before the parser recurses into it (the stdlib's would raise RecursionError)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding) if stream is not None else ""
        except UnicodeDecodeError as exc:
            raise exceptions.ParseError() from exc
        limit = settings.API_MAX_JSON_DEPTH
        if json_text_depth(text) > limit:
            raise exceptions.ParseError(
                _("The request body nests deeper than %(limit)s levels.") % {"limit": limit},
                code="too_deep")
        try:
            return json.loads(text, parse_constant=self._constant_refused)
        except (ValueError, RecursionError) as exc:
            raise exceptions.ParseError() from exc

    @staticmethod
    def _constant_refused(name):
        # NaN, Infinity and -Infinity are not JSON (strict, as DRF's STRICT_JSON).
        raise ValueError(f"{name} is not valid JSON")


class CsvBytesParser(BaseParser):
    """`text/csv` bodies, handed to the view as the bytes they are: the view's own CSV
    reader decodes them and reports problems by row and column. (The body's size is
    bounded by BodySizeLimitMiddleware before any parser runs.)"""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read() if stream is not None else b""
