"""The custom kinds' admin: the checks of the fields together (none, a name twice) on the
form a person sees, a saved kind versioned, its slug unique per workspace and never a
built-in one, and the brand preview rendering a workspace's own kind."""

import json
from html import unescape

from apps.brands.models import CustomKind, CustomKindVersion


def kind_form(workspace, *rows, slug="banner") -> dict:
    form = {"workspace": workspace.pk, "name": "Banner", "slug": slug,
            "instructions": "Write the text of a web banner.",
            "kind_fields-TOTAL_FORMS": str(len(rows)), "kind_fields-INITIAL_FORMS": "0",
            "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        values = {"name": "headline", "label": "Headline", "type": "text", "min_chars": "5",
                  "max_chars": "50", "min_entries": "1", "max_entries": "1", "required": "on",
                  **row}
        form |= {f"kind_fields-{index}-{key}": value for key, value in values.items()}
    return form


def test_a_kind_saved_in_the_admin_is_versioned_with_its_fields_in_order(
        admin_client, workspace):
    response = admin_client.post("/admin/brands/customkind/add/", kind_form(
        workspace, {}, {"name": "lines", "label": "Lines", "type": "list", "max_chars": "80",
                        "min_entries": "2", "max_entries": "3"}))

    assert response.status_code == 302, response.content.decode()[:3000]
    version = CustomKindVersion.objects.get(kind__slug="banner")
    assert [(f["name"], f["is_list"], f["max_chars"], f["min_entries"], f["max_entries"])
            for f in version.spec["fields"]] == [("headline", False, 50, 1, 1),
                                                 ("lines", True, 80, 2, 3)]


def test_a_kind_without_fields_is_refused_on_the_form(admin_client, workspace):
    response = admin_client.post("/admin/brands/customkind/add/", kind_form(workspace))

    assert response.status_code == 200
    assert "A kind has at least one field." in unescape(response.content.decode())
    assert not CustomKind.objects.exists()


def test_two_fields_with_one_name_are_refused_on_the_second_row(admin_client, workspace):
    response = admin_client.post("/admin/brands/customkind/add/",
                                 kind_form(workspace, {}, {"label": "Second"}))

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[1].errors
    assert errors == {"name": ["Field 1 already has this name."]}
    assert not CustomKind.objects.exists()


def test_a_built_in_slug_is_refused_in_spanish(admin_client, workspace):
    response = admin_client.post("/admin/brands/customkind/add/",
                                 kind_form(workspace, {}, slug="email"),
                                 HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "slug": ["«email» es un tipo integrado; elige otro slug."]}
    assert not CustomKind.objects.exists()


def test_the_brand_preview_renders_the_workspaces_own_kind(admin_client, brand, push_kind):
    page = admin_client.get(f"/admin/brands/brandtemplate/{brand.pk}/preview/",
                            {"kind": "push_notification",
                             "product": json.dumps({"name": "Oak desk lamp"})})

    html = unescape(page.content.decode())
    assert '<option value="push_notification" selected>Push notification</option>' in html
    assert "Content kind: push_notification" in html
    assert "- perks: 2 to 4 entries, each at most 60 characters" in html
