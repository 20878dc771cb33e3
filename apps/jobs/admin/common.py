"""What the jobs admin's pages share."""

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import get_language

from apps.localization.figures import format_money
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
    """An amount in dollars as the reader's language writes it ("1,50 US$" in es)."""
    return format_money(amount, "USD", locale_get(get_language() or "en"))
