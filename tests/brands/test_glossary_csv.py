"""The glossary as CSV: export, import, and the round trip between them, over the API."""

import pytest

from apps.brands.glossary_csv import glossary_from_csv, glossary_to_csv
from apps.brands.models import BrandGlossaryEntry
from tests.brands.conftest import CSV_FILE, GLOSSARY, STORED


@pytest.fixture
def glossary_brand(api, brand):
    api.patch("/api/v1/brands/nordic-home/", {"glossary": GLOSSARY}, format="json")
    return brand


def test_the_export_is_one_row_per_rendering(api, glossary_brand):
    response = api.get("/api/v1/brands/nordic-home/glossary/", {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode() == CSV_FILE


def test_accept_text_csv_also_exports_and_json_is_the_default(api, glossary_brand):
    as_csv = api.get("/api/v1/brands/nordic-home/glossary/", HTTP_ACCEPT="text/csv")
    as_json = api.get("/api/v1/brands/nordic-home/glossary/")

    assert as_csv.content.decode() == CSV_FILE
    assert as_json.json() == {"glossary": STORED, "version": 2}


def test_export_then_import_gives_the_same_entries(api, glossary_brand):
    exported = api.get("/api/v1/brands/nordic-home/glossary/", {"format": "csv"}).content
    api.put("/api/v1/brands/nordic-home/glossary/", {"glossary": []}, format="json")

    response = api.put("/api/v1/brands/nordic-home/glossary/", exported,
                       content_type="text/csv")

    assert response.status_code == 200, response.json()
    assert response.json() == {"glossary": STORED, "version": 4}
    assert glossary_brand.versions.get(number=4).snapshot["glossary"] == STORED


def test_the_round_trip_keeps_text_a_spreadsheet_would_run_as_a_formula():
    entries = [{"term": "-20% deal", "source_language": "en",
                "translations": {"es-ES": "=oferta"}, "do_not_translate": False,
                "case_sensitive": False, "notes": "@campaign"}]

    exported = glossary_to_csv(entries)

    assert "'-20% deal,en,es-ES,'=oferta,'@campaign" in exported
    assert glossary_from_csv(exported.encode()) == entries


def test_a_translators_file_with_four_columns_and_semicolons_imports(api, brand):
    file = (b"term;language;translation;note\n"
            b"throw;es-ES;manta;\n"
            b"throw;es-MX;cobija;A Mexican word.\n")

    response = api.put("/api/v1/brands/nordic-home/glossary/", file, content_type="text/csv")

    assert response.status_code == 200, response.json()
    assert response.json()["glossary"] == [
        {"term": "throw", "source_language": "en",
         "translations": {"es-ES": "manta", "es-MX": "cobija"}, "do_not_translate": False,
         "case_sensitive": False, "notes": "A Mexican word."}]


BAD_FILES = [
    ("term,language,translation\nthrow,es-AR,frazada\n", "file.2.language"),
    ("term,language,translation\n,es-ES,manta\n", "file.2.term"),
    ("term,language,translation\nthrow,es-ES,\n", "file.2.translation"),
    ("term,language,translation,do_not_translate\nmerino,es-ES,merino,yes\n",
     "file.2.translation"),
    ("term,language,translation,case_sensitive\nthrow,es-ES,manta,maybe\n",
     "file.2.case_sensitive"),
    ("term,language,translation\nthrow,es-ES,manta\nthrow,es-ES,frazada\n", "file.3.language"),
    ("term,language,translation\nthrow,es-ES,manta\nThrow,es-MX,cobija\n", "file.3.term"),
    ("term,source_language,language,translation\nthrow,de,es-ES,manta\n",
     "file.2.source_language"),
    ("term,language\nthrow,es-ES\n", "file.1.translation"),
    ("term,language,translation,colour\nthrow,es-ES,manta,red\n", "file.1.colour"),
    ("term,language,translation\nthrow,es-ES,\"manta\n", "file.2"),
    ("term,language,translation,term\nthrow,es-ES,manta,blanket\n", "file.1.term"),
]


@pytest.mark.parametrize("file, field", BAD_FILES)
def test_a_bad_row_is_refused_by_row_and_column_and_nothing_is_written(
        api, glossary_brand, file, field):
    response = api.put("/api/v1/brands/nordic-home/glossary/", file.encode(),
                       content_type="text/csv")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_csv"
    assert field in response.json()["error"]["fields"], response.json()
    assert glossary_brand.versions.count() == 2
    assert BrandGlossaryEntry.objects.count() == 2


def test_every_bad_row_is_reported_at_once_in_the_callers_language(api, brand):
    file = b"term,language,translation\nthrow,es-AR,frazada\n,es-ES,manta\n"

    response = api.put("/api/v1/brands/nordic-home/glossary/", file, content_type="text/csv",
                       HTTP_ACCEPT_LANGUAGE="ru")

    error = response.json()["error"]
    assert error["rows"] == [
        {"row": 2, "column": "language",
         "message": "Локаль «es-AR» не поддерживается: укажите полный тег, один из "
                    "es-ES, es-MX, ru-RU, en-US, en-GB."},
        {"row": 3, "column": "term", "message": "Термин пуст."}]


def test_a_json_put_replaces_the_glossary_and_refuses_unknown_fields(api, glossary_brand):
    refused = api.put("/api/v1/brands/nordic-home/glossary/",
                      {"glossary": [], "terms": []}, format="json")
    replaced = api.put("/api/v1/brands/nordic-home/glossary/",
                       {"glossary": GLOSSARY[1:]}, format="json")

    assert refused.status_code == 400
    assert list(refused.json()["error"]["fields"]) == ["terms"]
    assert replaced.json() == {"glossary": STORED[1:], "version": 3}


def test_another_workspace_cannot_read_or_replace_the_glossary(other_api, glossary_brand):
    assert other_api.get("/api/v1/brands/nordic-home/glossary/").status_code == 404
    response = other_api.put("/api/v1/brands/nordic-home/glossary/", {"glossary": []},
                             format="json")

    assert response.status_code == 404
    assert BrandGlossaryEntry.objects.count() == 2
