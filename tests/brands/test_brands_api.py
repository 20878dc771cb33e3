import pytest

from apps.brands.models import BrandTemplate, BrandTemplateVersion
from apps.brands.services import brand_update
from tests.conftest import BRAND_FIELDS


def test_create_brand_makes_version_one(api, workspace):
    response = api.post("/api/v1/brands/", BRAND_FIELDS, format="json")

    assert response.status_code == 201
    assert response.json()["slug"] == "nordic-home"
    assert response.json()["version"] == 1
    brand = BrandTemplate.objects.get(workspace=workspace, slug="nordic-home")
    assert brand.versions.get().snapshot["voice"] == BRAND_FIELDS["voice"]


def test_each_save_makes_an_immutable_version(brand):
    brand_update(brand=brand, voice="Bold and playful.")

    versions = list(brand.versions.order_by("number").values_list("number", "snapshot__voice"))
    assert versions == [(1, BRAND_FIELDS["voice"]), (2, "Bold and playful.")]


def test_missing_voice_is_a_400_naming_the_field(api):
    response = api.post("/api/v1/brands/", {"slug": "x", "name": "X"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["voice"]
    assert not BrandTemplate.objects.exists()


def test_duplicate_slug_in_a_workspace_is_a_409_and_changes_nothing(api, brand):
    response = api.post("/api/v1/brands/", {**BRAND_FIELDS, "voice": "Other"}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["fields"] == {
        "slug": ["A brand with this slug already exists."]}
    assert BrandTemplateVersion.objects.filter(brand__slug="nordic-home").count() == 1


def test_same_slug_in_another_workspace_is_fine(other_api, brand):
    response = other_api.post("/api/v1/brands/", BRAND_FIELDS, format="json")

    assert response.status_code == 201


def test_brands_are_invisible_across_workspaces(other_api, brand):
    assert other_api.get("/api/v1/brands/").json()["results"] == []
    assert other_api.get("/api/v1/brands/nordic-home/").status_code == 404


FULL_BRAND = {
    **BRAND_FIELDS,
    "formality": "formal", "energy": "calm", "humour": "light",
    "keywords_policy": "required",
    "length_bounds": {"title": {"min": 10, "max": 80}},
    "locales": {"ru": {"address": "formal", "notes": "Без англицизмов.",
                       "banned_terms": ["дешёвый"], "currency": "RUB"},
                "es": {"address": "informal"}},
    "examples": [{"locale": "es", "product": {"name": "Silla"},
                  "output": {"headline": "Silla", "body": "b", "call_to_action": "c"}}],
}


def test_full_template_round_trips_through_the_api(api):
    created = api.post("/api/v1/brands/", FULL_BRAND, format="json")

    assert created.status_code == 201, created.json()
    body = api.get("/api/v1/brands/nordic-home/").json()
    assert body["locales"] == {
        "es": {"address": "informal", "notes": "", "banned_terms": [], "currency": ""},
        "ru": {"address": "formal", "notes": "Без англицизмов.", "banned_terms": ["дешёвый"],
               "currency": "RUB"}}
    assert body["examples"] == FULL_BRAND["examples"]
    assert body["length_bounds"] == {"title": {"min": 10, "max": 80}}
    assert (body["formality"], body["energy"], body["humour"]) == ("formal", "calm", "light")
    snapshot = BrandTemplate.objects.get().versions.get().snapshot
    assert snapshot["locales"]["ru"]["currency"] == "RUB"
    assert snapshot["examples"][0]["product"] == {"name": "Silla"}


def test_patch_changes_fields_and_makes_a_new_version(api, brand):
    response = api.patch("/api/v1/brands/nordic-home/",
                         {"voice": "Bold.", "locales": {"ru": {"address": "informal"}}},
                         format="json")

    assert response.status_code == 200
    assert response.json()["version"] == 2
    latest = brand.versions.order_by("-number").first().snapshot
    assert latest["voice"] == "Bold."
    assert latest["locales"] == {"ru": {"address": "informal", "notes": "", "banned_terms": [],
                                        "currency": ""}}
    assert brand.versions.get(number=1).snapshot["voice"] == BRAND_FIELDS["voice"]


def test_patch_without_changes_makes_no_new_version(api, brand):
    response = api.patch("/api/v1/brands/nordic-home/", {"voice": BRAND_FIELDS["voice"]},
                         format="json")

    assert response.json()["version"] == 1


BAD_BRANDS = [
    ({"locales": {"de": {}}}, "locales.de"),
    ({"locales": {"es-AR": {}}}, "locales.es-AR"),
    ({"locales": {"ru": {"currency": "rub"}}}, "locales.ru.currency"),
    ({"locales": {"ru": {"address": "royal"}}}, "locales.ru.address"),
    ({"banned_terms": "cheap"}, "banned_terms"),
    ({"required_terms": [["nested"]]}, "required_terms.0"),
    ({"length_bounds": {"subtitle": {"max": 5}}}, "length_bounds"),
    ({"length_bounds": {"title": {"min": 90, "max": 80}}}, "length_bounds.title.min"),
    ({"formality": "royal"}, "formality"),
    ({"examples": [{"locale": "es", "product": {}}]}, "examples.0.output"),
]


@pytest.mark.parametrize("change, field", BAD_BRANDS)
def test_invalid_patch_is_a_400_naming_the_field_and_changes_nothing(api, brand, change, field):
    response = api.patch("/api/v1/brands/nordic-home/", change, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"], response.json()
    assert brand.versions.count() == 1
    brand.refresh_from_db()
    assert brand.voice == BRAND_FIELDS["voice"]


def test_other_workspace_cannot_patch_a_brand(other_api, brand):
    response = other_api.patch("/api/v1/brands/nordic-home/", {"voice": "Hijacked"}, format="json")

    assert response.status_code == 404
    brand.refresh_from_db()
    assert brand.voice == BRAND_FIELDS["voice"]
