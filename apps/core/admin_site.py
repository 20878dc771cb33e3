"""ContentGen's own admin site: the product's name in the header, and an index that
opens with what needs a person (content to review), what is running and what this
month costs, before the list of models.

The core imports no app, so the apps bring those boxes themselves: an app's admin
module adds an IndexPanel (a template and a function of the request that gives the
template its context) and the site lays the panels out in order. Installed in place
of `django.contrib.admin` (see ContentGenAdminConfig), so every `@admin.register`,
ours and third-party apps' alike, lands on this site.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class IndexPanel:
    """A box at the top of the admin's index."""

    template: str
    # The template's context; None hides the panel (the user may not see its data).
    context: Callable[[HttpRequest], dict | None]
    order: int = 100  # lower comes first


class ContentGenAdminSite(admin.AdminSite):
    site_header = _("ContentGen")
    site_title = _("ContentGen admin")
    index_title = _("Content operations")
    index_template = "admin/contentgen_index.html"
    # The service has no public site of its own to link to.
    site_url = None

    def __init__(self, name: str = "admin"):
        super().__init__(name)
        self._panels: list[IndexPanel] = []

    def add_index_panel(self, panel: IndexPanel) -> None:
        self._panels.append(panel)

    def index(self, request, extra_context=None):
        shown = ((panel.template, panel.context(request))
                 for panel in sorted(self._panels, key=lambda panel: panel.order))
        panels = [(template, context) for template, context in shown if context is not None]
        return super().index(request, {**(extra_context or {}), "panels": panels})


class ContentGenAdminConfig(AdminConfig):
    """`django.contrib.admin` with ContentGen's site as `admin.site`."""

    default_site = "apps.core.admin_site.ContentGenAdminSite"
