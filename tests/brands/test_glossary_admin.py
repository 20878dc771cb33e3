"""The glossary in the brand template's admin page: a table with a column per market,
CSV export and import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.brands.models import BrandGlossaryEntry
from apps.brands.services import brand_update
from tests.brands.conftest import CSV_FILE, STORED
from tests.conftest import BRAND_FIELDS


def change_form(brand, **glossary_rows) -> dict:
    form = {
        "workspace": brand.workspace_id, "name": brand.name, "slug": brand.slug,
        "voice": brand.voice, "formality": "neutral", "energy": "balanced", "humour": "none",
        "audience": brand.audience, "do_list": '["Mention materials"]',
        "dont_list": '["Exclamation marks"]', "banned_terms": '["cheap"]',
        "required_terms": "[]", "keywords_policy": "natural", "length_bounds": "{}",
        "locale_overrides-TOTAL_FORMS": "0", "locale_overrides-INITIAL_FORMS": "0",
        "examples-TOTAL_FORMS": "0", "examples-INITIAL_FORMS": "0",
        "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0",
        "glossary_entries-INITIAL_FORMS": "0",
    }
    rows = list(glossary_rows.values())
    form["glossary_entries-TOTAL_FORMS"] = str(len(rows))
    for index, row in enumerate(rows):
        for name, value in row.items():
            form[f"glossary_entries-{index}-{name}"] = value
    return form


THROW_ROW = {"term": "throw", "source_language": "en", "translation_es_ES": "manta",
             "translation_es_MX": "cobija", "notes": "The blanket."}
NORDIC_ROW = {"term": "Nordic Home", "source_language": "en", "do_not_translate": "on",
              "case_sensitive": "on"}


def test_glossary_rows_saved_in_the_admin_are_in_the_new_version(admin_client, brand):
    response = admin_client.post(f"/admin/brands/brandtemplate/{brand.pk}/change/",
                                 change_form(brand, a=NORDIC_ROW, b=THROW_ROW))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert brand.versions.get(number=2).snapshot["glossary"] == [
        {"term": "Nordic Home", "source_language": "en", "translations": {},
         "do_not_translate": True, "case_sensitive": True, "notes": ""},
        {"term": "throw", "source_language": "en",
         "translations": {"es-ES": "manta", "es-MX": "cobija"}, "do_not_translate": False,
         "case_sensitive": False, "notes": "The blanket."}]


@pytest.mark.parametrize("rows, message", [
    ({"a": {"term": "throw", "source_language": "en"}},
     "Give at least one translation, or mark the term “do not translate”."),
    ({"a": THROW_ROW, "b": {**THROW_ROW, "term": "Throw"}},
     "This term is already in the glossary."),
])
def test_a_wrong_glossary_row_is_shown_on_the_page_and_nothing_is_saved(
        admin_client, brand, rows, message):
    response = admin_client.post(f"/admin/brands/brandtemplate/{brand.pk}/change/",
                                 change_form(brand, **rows))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert brand.versions.count() == 1
    assert not BrandGlossaryEntry.objects.exists()


def test_the_change_page_shows_a_column_per_market_in_spanish(admin_client, brand):
    brand_update(brand=brand, glossary=STORED)

    page = admin_client.get(f"/admin/brands/brandtemplate/{brand.pk}/change/",
                            HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "Glosario (cómo representa la marca sus términos en cada mercado)" in page
    for tag in ("es-ES", "es-MX", "ru-RU", "en-US", "en-GB"):
        assert f">{tag}<" in page
    assert 'value="manta"' in page
    assert "Exportar el glosario (CSV)" in page


def test_the_admin_exports_the_glossary_as_csv(admin_client, brand):
    brand_update(brand=brand, glossary=STORED)

    response = admin_client.get(f"/admin/brands/brandtemplate/{brand.pk}/glossary.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode() == CSV_FILE


def test_the_admin_imports_a_csv_glossary_as_a_new_version(admin_client, brand):
    upload = _upload(CSV_FILE)

    response = admin_client.post(f"/admin/brands/brandtemplate/{brand.pk}/glossary/import/",
                                 {"file": upload})

    assert response.status_code == 302
    assert brand.versions.get(number=2).snapshot["glossary"] == STORED


def test_a_bad_file_in_the_admin_lists_each_row_and_column_and_imports_nothing(
        admin_client, brand):
    upload = _upload("term,language,translation\nthrow,es-AR,frazada\nthrow,es-ES,\n")

    response = admin_client.post(f"/admin/brands/brandtemplate/{brand.pk}/glossary/import/",
                                 {"file": upload}, HTTP_ACCEPT_LANGUAGE="ru")

    page = response.content.decode()
    assert response.status_code == 200
    assert "В файле 2 ошибки; ничего не импортировано." in page
    assert ('<tr class="glossary-error"><td>2</td><td>language</td><td>Локаль «es-AR» не '
            'поддерживается') in page
    assert '<tr class="glossary-error"><td>3</td><td>translation</td><td>Перевод пуст.' in page
    assert brand.versions.count() == 1
    assert brand.voice == BRAND_FIELDS["voice"]
    assert not BrandGlossaryEntry.objects.exists()


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("glossary.csv", text.encode(), content_type="text/csv")
