"""ContentGen's own admin site: the product's name, in every UI language, on every page."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User

from apps.accounts.models import Workspace
from apps.core.admin_site import ContentGenAdminSite
from apps.jobs.models import JobItem

pytestmark = pytest.mark.django_db


def test_every_model_is_registered_on_the_contentgen_site():
    assert isinstance(admin.site, ContentGenAdminSite)
    assert {Workspace, JobItem, User} <= set(admin.site._registry)


@pytest.mark.parametrize("language, title, index_title", [
    ("en", "Content operations | ContentGen admin", "Content operations"),
    ("es", "Operaciones de contenido | Administración de ContentGen", "Operaciones de contenido"),
    ("ru", "Работа с контентом | Администрирование ContentGen", "Работа с контентом"),
])
def test_index_carries_the_product_name_in_the_admins_language(admin_client, language, title,
                                                              index_title):
    html = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert f"<title>{title}</title>" in html
    assert '<div id="site-name"><a href="/admin/">ContentGen</a></div>' in html
    assert f"<h1>{index_title}</h1>" in html
    assert "Django administration" not in html
    assert "Administración de Django" not in html


def test_change_pages_carry_the_product_name(admin_client):
    html = admin_client.get("/admin/accounts/workspace/").content.decode()

    assert '<div id="site-name"><a href="/admin/">ContentGen</a></div>' in html
    assert "Django" not in html.split("<body")[1].split("</header>")[0]
