"""Input rules that more than one app checks, defined once so that the JSON API, the
CSV import and the brand settings accept and refuse exactly the same values: fields a
serializer does not take; the currency code; figures written as text, read only within
bounds; free-form JSON (item attributes, brand examples) walked for depth, NUL, lone
surrogates and non-finite numbers before anything stores, formats or hashes it; and
lists counted before their elements are validated.

Patterns are anchored (``^…$``) because they are also published in the OpenAPI schema,
where an unanchored pattern means "contains"; match them with ``fullmatch``.
"""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

# --- Fields a serializer does not take -------------------------------------------------
# DRF drops them silently: a misspelt "bannned_terms" answered 201 and banned nothing.

UNKNOWN_FIELD_MESSAGE = _("Unknown field.")
READ_ONLY_FIELD_MESSAGE = _("This field is read-only and cannot be set.")


class StrictFieldsMixin:
    """Refuses every field the serializer does not take, as a field error at its name.

    Every input serializer of the API uses it, nested ones too, so a parent reports a
    child's unknown fields at their dotted path (``items.2.prodct``) like any other
    field error, all of them at once and beside the other errors. A read-only field
    (``created_at``, ``version``) counts as unknown: a client that sends one expects it
    to take effect, and it would not. Free-form maps (``DictField`` without a serializer
    child: item attributes, a brand example's product) are values, not serializers, so
    their keys are never judged here."""

    def to_internal_value(self, data):
        refused = self._refused_fields(data)
        try:
            validated = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if refused and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **refused}) from exc
            raise
        if refused:
            raise serializers.ValidationError(refused)
        return validated

    @cached_property
    def _writable_names(self) -> frozenset[str]:
        # Once per serializer instance: a list of 10,000 items reuses one child serializer.
        return frozenset(name for name, field in self.fields.items() if not field.read_only)

    def _refused_fields(self, data) -> dict[str, list[ErrorDetail]]:
        if not isinstance(data, Mapping):
            return {}  # DRF itself refuses a body that is not an object
        refused = {}
        for name in [name for name in data if name not in self._writable_names]:
            if name in self.fields:
                refused[name] = [ErrorDetail(str(READ_ONLY_FIELD_MESSAGE), code="read_only")]
            else:
                refused[name] = [ErrorDetail(str(UNKNOWN_FIELD_MESSAGE), code="unknown_field")]
        return refused


class NoFieldsSerializer(StrictFieldsMixin, serializers.Serializer):
    """The body of an action that takes none (cancel, retry, resume, a new webhook
    secret): nothing or ``{}``; any field sent is refused as unknown rather than ignored."""


# An ISO 4217 alphabetic code: EUR, USD, RUB. Case matters: "eur" is refused, not fixed.
CURRENCY_CODE_RE = re.compile(r"^[A-Z]{3}$")
CURRENCY_CODE_MESSAGE = _("Use a three-letter ISO 4217 code such as EUR.")


# --- Numbers written as text ----------------------------------------------------------
# "1e1000000" is eight characters and a million digits: Decimal reads it at once, but
# int(), str() or Babel on it stall a web worker. A figure is read only within these
# bounds; anything larger is kept as the text it is. 15 digits and a magnitude below 10**15
# keep every figure inside Decimal's default 28-digit context also once Babel quantizes it
# (a 28-digit weight raised InvalidOperation there).
NUMBER_MAX_DIGITS = 15
NUMBER_MAX_EXPONENT = 15
NUMBER_TEXT_MAX_CHARS = 100
_NUMBER_TEXT = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")


def decimal_parse_bounded(value) -> Decimal | None:
    """The value as a finite Decimal of at most NUMBER_MAX_DIGITS digits and a
    magnitude below 10**NUMBER_MAX_EXPONENT; None for anything else (bools, NaN,
    Infinity, huge exponents, text that is not a number)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        text = repr(value)
    elif isinstance(value, int):
        if abs(value) >= 10 ** NUMBER_MAX_DIGITS:
            return None
        return Decimal(value)
    elif isinstance(value, str):
        text = value
    elif isinstance(value, Decimal):
        text = str(value) if value.is_finite() else ""
    else:
        return None
    # The shape is checked on text of bounded length before Decimal sees it.
    if len(text) > NUMBER_TEXT_MAX_CHARS or not _NUMBER_TEXT.match(text):
        return None
    mantissa, _sep, exponent = text.strip().lower().partition("e")
    if exponent and abs(int(exponent)) > NUMBER_MAX_EXPONENT * 2:
        return None
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    digits = len(mantissa.lstrip("+-").replace(".", "").lstrip("0"))
    if digits > NUMBER_MAX_DIGITS or (number and number.adjusted() >= NUMBER_MAX_EXPONENT):
        return None
    return number


# --- Free-form JSON values ------------------------------------------------------------
# Item attributes, a brand example's product and output: JSON the customer shapes. Each is
# walked once (no recursion, so no depth can exhaust the stack) before anything stores,
# formats or hashes it.


# JSON integers longer than this are refused (Python reads up to 4,300 digits).
JSON_INTEGER_MAX_DIGITS = 30


@dataclass(frozen=True)
class JsonProblem:
    """The first thing wrong in a JSON value: where (a dotted path inside it, "" for the
    value itself), a stable code, and the translated message."""

    path: str
    code: str
    message: str


def _text_problem(text: str) -> tuple[str, str] | None:
    if "\x00" in text:
        return "null_character", str(_("Text may not contain the NUL character (U+0000)."))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "surrogate_character", str(
            _("Text may not contain unpaired surrogate characters (U+D800 to U+DFFF)."))
    return None


def json_problem(value, *, max_depth: int) -> JsonProblem | None:
    """None when `value` is JSON a prompt, a database and a hash can all take: nested at
    most `max_depth` levels, no NUL or lone surrogate in any key or string, every
    number finite and every integer below JSON_INTEGER_MAX_DIGITS digits. (Figures
    beyond decimal_parse_bounded's reach are kept, and shown as given.)"""
    stack = [(value, "", 1)]
    while stack:
        node, path, depth = stack.pop()
        if isinstance(node, (dict, list)) and depth > max_depth:
            return JsonProblem(path, "too_deep", str(
                _("Nested too deeply: at most %(limit)s levels.") % {"limit": max_depth}))
        if isinstance(node, dict):
            for key, child in node.items():
                key = str(key)
                child_path = f"{path}.{key}" if path else key
                problem = _text_problem(key)
                if problem:
                    # The key itself is unprintable: name the object that holds it.
                    return JsonProblem(path, *problem)
                stack.append((child, child_path, depth + 1))
        elif isinstance(node, list):
            for index, child in enumerate(node):
                stack.append((child, f"{path}.{index}" if path else str(index), depth + 1))
        elif isinstance(node, str):
            problem = _text_problem(node)
            if problem:
                return JsonProblem(path, *problem)
        elif isinstance(node, float) and not math.isfinite(node):
            return JsonProblem(path, "number_not_finite", str(
                _("Numbers must be finite: NaN and Infinity are not allowed.")))
        elif (isinstance(node, int) and not isinstance(node, bool)
              and abs(node) >= 10 ** JSON_INTEGER_MAX_DIGITS):
            return JsonProblem(path, "number_too_large", str(
                _("Numbers may have at most %(digits)s digits.") % {
                    "digits": JSON_INTEGER_MAX_DIGITS}))
    return None


def json_value_validate(value, *, max_depth: int):
    """`json_problem` for a serializer field: a ValidationError at the dotted path."""
    problem = json_problem(value, max_depth=max_depth)
    if problem is None:
        return value
    detail = [ErrorDetail(problem.message, code=problem.code)]
    raise serializers.ValidationError({problem.path: detail} if problem.path else detail)


class BoundedListField(serializers.ListField):
    """A ListField that checks its length before it validates a single element: 100,000
    elements are refused at once, not after 100,000 child validations."""

    def to_internal_value(self, data):
        if (self.max_length is not None and isinstance(data, list)
                and len(data) > self.max_length):
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)
