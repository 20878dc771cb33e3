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
    assert response.json()["error"]["fields"] == {"slug": ["A brand with this slug already exists."]}
    assert BrandTemplateVersion.objects.filter(brand__slug="nordic-home").count() == 1


def test_same_slug_in_another_workspace_is_fine(other_api, brand):
    response = other_api.post("/api/v1/brands/", BRAND_FIELDS, format="json")

    assert response.status_code == 201


def test_brands_are_invisible_across_workspaces(other_api, brand):
    assert other_api.get("/api/v1/brands/").json()["results"] == []
    assert other_api.get("/api/v1/brands/nordic-home/").status_code == 404
