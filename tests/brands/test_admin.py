import json
from html import unescape

import pytest

from apps.brands.models import BrandTemplate
from apps.brands.services import brand_update
from apps.jobs.models import Job
from tests.conftest import BRAND_FIELDS


@pytest.fixture
def ru_brand(brand):
    return brand_update(brand=brand, locales={"ru": {
        "address": "formal", "notes": "Без англицизмов.", "banned_terms": ["дешёвый"],
        "currency": "RUB"}})


def test_preview_renders_the_exact_prompt_in_each_locale(admin_client, ru_brand):
    page = admin_client.get(f"/admin/brands/brandtemplate/{ru_brand.pk}/preview/")

    html = page.content.decode()
    assert page.status_code == 200
    for tag in ("es-ES", "es-MX", "ru-RU", "en-US", "en-GB"):
        assert f"Target locale: {tag}" in html
    assert "Address the reader as &quot;вы&quot; (lower case)." in html
    assert "Notes for this market: Без англицизмов." in html
    assert "Never use these terms, in any form:\n- cheap" in html
    assert "built from version 2 of the template" in html


def test_preview_takes_a_custom_sample_product(admin_client, brand):
    product = json.dumps({"name": "Silla de roble", "price": "120.00", "currency": "EUR"})

    html = admin_client.get(f"/admin/brands/brandtemplate/{brand.pk}/preview/",
                            {"kind": "marketing_copy", "product": product}).content.decode()

    assert "Content kind: marketing_copy" in html
    assert "Silla de roble" in html


def test_diff_shows_what_changed_between_versions(admin_client, brand):
    brand_update(brand=brand, voice="Bold and playful.")

    page = admin_client.get(f"/admin/brands/brandtemplate/{brand.pk}/diff/?a=1&b=2")
    html = page.content.decode()
    text = unescape(html).replace("\xa0", " ")

    assert "Bold and playful." in text
    assert "Warm, calm and practical." in text
    assert 'class="diff_sub"' in html or 'class="diff_chg"' in html


def test_saving_in_the_admin_versions_the_template_with_its_overrides(admin_client, workspace):
    form = {
        "workspace": workspace.pk, "name": "Casa", "slug": "casa", "voice": "Cálida.",
        "formality": "neutral", "energy": "balanced", "humour": "none", "audience": "",
        "do_list": "[]", "dont_list": "[]", "banned_terms": '["barato"]', "required_terms": "[]",
        "keywords_policy": "natural", "length_bounds": "{}",
        "locale_overrides-TOTAL_FORMS": "1", "locale_overrides-INITIAL_FORMS": "0",
        "locale_overrides-0-locale": "es", "locale_overrides-0-address": "formal",
        "locale_overrides-0-notes": "España.", "locale_overrides-0-banned_terms": "[]",
        "locale_overrides-0-currency": "EUR",
        "examples-TOTAL_FORMS": "0", "examples-INITIAL_FORMS": "0",
        "glossary_entries-TOTAL_FORMS": "0", "glossary_entries-INITIAL_FORMS": "0",
        "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0",
    }

    response = admin_client.post("/admin/brands/brandtemplate/add/", form)

    assert response.status_code == 302, response.content.decode()[:3000]
    version = BrandTemplate.objects.get(slug="casa").versions.get()
    assert version.snapshot["banned_terms"] == ["barato"]
    assert version.snapshot["locales"] == {
        "es": {"address": "formal", "notes": "España.", "banned_terms": [], "currency": "EUR"}}


def test_duplicate_action_copies_the_template_under_a_free_slug(admin_client, ru_brand):
    admin_client.post("/admin/brands/brandtemplate/", {
        "action": "duplicate", "_selected_action": [ru_brand.pk]})

    copy = BrandTemplate.objects.get(slug="nordic-home-copy")
    assert copy.name == "Nordic Home (copy)"
    assert copy.versions.get().snapshot["locales"]["ru"]["notes"] == "Без англицизмов."
    assert copy.voice == BRAND_FIELDS["voice"]


def test_archived_brand_takes_no_new_jobs(admin_client, api, brand):
    admin_client.post("/admin/brands/brandtemplate/", {
        "action": "archive", "_selected_action": [brand.pk]})

    response = api.post("/api/v1/jobs/", {
        "kind": "product_description", "brand": "nordic-home", "locales": ["en"],
        "items": [{"sku": "A", "name": "Lamp"}]}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "brand_archived"
    assert not Job.objects.exists()


@pytest.mark.parametrize("language, heading", [("es", "Vista previa del prompt: Nordic Home"),
                                               ("ru", "Просмотр промпта: Nordic Home")])
def test_the_admin_language_chosen_in_the_selector_sticks(admin_client, brand, language, heading):
    response = admin_client.post("/i18n/setlang/", {"language": language, "next": "/admin/"})

    page = admin_client.get(f"/admin/brands/brandtemplate/{brand.pk}/preview/",
                            HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert f"<h1>{heading}</h1>" in page.content.decode()
    assert f'<html lang="{language}"' in page.content.decode()


def test_preview_offers_every_built_in_kind_and_renders_a_channel_kind(admin_client, brand):
    page = admin_client.get(f"/admin/brands/brandtemplate/{brand.pk}/preview/",
                            {"kind": "social_post:instagram",
                             "product": json.dumps({"name": "Oak desk lamp",
                                                    "campaign": "Autumn light"})})

    html = unescape(page.content.decode())
    for key in ("product_description", "marketing_copy", "google_rsa", "meta_ad", "email",
                "social_post:x", "social_post:instagram", "social_post:linkedin",
                "social_post:facebook", "category_page"):
        assert f'<option value="{key}"' in html
    assert "It is an Instagram caption" in html
    assert "- text: at most 2,200 characters, at most 30 hashtags" in html
    assert '"campaign": "Autumn light"' in html
