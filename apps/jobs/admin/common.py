"""What the jobs admin's pages share."""

import json
from decimal import Decimal

from babel.numbers import format_currency
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import get_language

from apps.localization.locales import locale_get


class ReadOnlyAdmin(admin.ModelAdmin):
    """Jobs are written by the pipeline only; the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def pretty_json(value):
    if value in (None, "", {}, []):
        return "—"
    return format_html("<pre style='white-space: pre-wrap; margin: 0'>{}</pre>",
                       json.dumps(value, indent=2, ensure_ascii=False))


def usd(amount) -> str:
    """Dollars as the reader's language writes them ("1,50 US$" in es), to the cent or
    finer: one call costs fractions of a cent, which rounding would show as nothing."""
    return format_currency(Decimal(amount), "USD", locale=locale_get(get_language() or "en").babel,
                           decimal_quantization=False)
