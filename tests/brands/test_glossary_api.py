"""The brand glossary through the brand API: stored, versioned, validated."""

import json

import pytest

from apps.brands.models import BrandGlossaryEntry
from apps.brands.services import brand_duplicate
from tests.brands.conftest import GLOSSARY, STORED


def test_a_glossary_is_stored_read_back_and_pinned_in_a_new_version(api, brand):
    response = api.patch("/api/v1/brands/nordic-home/", {"glossary": GLOSSARY}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    assert response.json()["glossary"] == STORED
    assert api.get("/api/v1/brands/nordic-home/").json()["glossary"] == STORED
    assert brand.versions.get(number=2).snapshot["glossary"] == STORED
    assert "glossary" not in brand.versions.get(number=1).snapshot


def test_a_later_glossary_change_leaves_the_pinned_version_as_it_was(api, brand):
    api.patch("/api/v1/brands/nordic-home/", {"glossary": GLOSSARY}, format="json")

    api.patch("/api/v1/brands/nordic-home/", {"glossary": GLOSSARY[:1]}, format="json")

    assert brand.versions.get(number=2).snapshot["glossary"] == STORED
    assert brand.versions.get(number=3).snapshot["glossary"] == STORED[:1]


def test_a_brand_without_a_glossary_reads_an_empty_list_and_keeps_its_version(api, brand):
    body = api.patch("/api/v1/brands/nordic-home/", {"voice": brand.voice},
                     format="json").json()

    assert body["glossary"] == []
    assert body["version"] == 1


def test_a_duplicated_brand_takes_the_glossary(api, brand):
    api.patch("/api/v1/brands/nordic-home/", {"glossary": GLOSSARY}, format="json")

    copy = brand_duplicate(brand=brand)

    assert copy.versions.get().snapshot["glossary"] == STORED


BAD_GLOSSARIES = [
    ([{"term": "", "source_language": "en", "do_not_translate": True}], "glossary.0.term"),
    ([{"source_language": "en", "do_not_translate": True}], "glossary.0.term"),
    ([{"term": "throw", "source_language": "de", "translations": {"es-ES": "manta"}}],
     "glossary.0.source_language"),
    ([{"term": "throw", "source_language": "en", "translations": {"es-AR": "frazada"}}],
     "glossary.0.translations.es-AR"),
    ([{"term": "throw", "source_language": "en", "translations": {"es": "manta"}}],
     "glossary.0.translations.es"),
    ([{"term": "throw", "source_language": "en"}], "glossary.0.translations"),
    ([{"term": "merino", "source_language": "en", "do_not_translate": True,
       "translations": {"es-ES": "merino"}}], "glossary.0.translations"),
    ([GLOSSARY[1], {"term": "Throw", "source_language": "en", "translations": {"es-ES": "x"}}],
     "glossary.1.term"),
    ([{"term": "throw", "source_language": "en", "translations": {"es-ES": "manta"},
       "colour": "red"}], "glossary.0.colour"),
    ([{"term": "t" * 201, "source_language": "en", "do_not_translate": True}],
     "glossary.0.term"),
    ([{"term": "throw", "source_language": "en", "do_not_translate": True,
       "notes": "n" * 501}], "glossary.0.notes"),
    ([{"term": "throw", "source_language": "en",
       "translations": {f"es-{n}": "x" for n in range(6)}}], "glossary.0.translations"),
]


@pytest.mark.parametrize("glossary, field", BAD_GLOSSARIES)
def test_an_invalid_glossary_is_a_400_naming_the_entry_and_field_and_writes_nothing(
        api, brand, glossary, field):
    response = api.patch("/api/v1/brands/nordic-home/", {"glossary": glossary}, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"], response.json()
    assert brand.versions.count() == 1
    assert not BrandGlossaryEntry.objects.exists()


def test_a_glossary_past_its_size_is_refused_before_its_entries_are_read(api, brand):
    entries = [{"term": f"term {n}", "source_language": "en", "do_not_translate": True}
               for n in range(501)]

    response = api.patch("/api/v1/brands/nordic-home/", {"glossary": entries}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["glossary"]


def test_case_sensitive_terms_differing_in_case_are_two_entries(api, brand):
    glossary = [
        {"term": "Apple", "source_language": "en", "do_not_translate": True,
         "case_sensitive": True},
        {"term": "apple", "source_language": "en", "case_sensitive": True,
         "translations": {"es-ES": "manzana"}},
    ]

    response = api.patch("/api/v1/brands/nordic-home/", {"glossary": glossary}, format="json")

    assert response.status_code == 200, response.json()
    assert [e["term"] for e in response.json()["glossary"]] == ["Apple", "apple"]


def test_glossary_errors_are_translated(api, brand):
    response = api.patch("/api/v1/brands/nordic-home/",
                         {"glossary": [{"term": "throw", "source_language": "en"}]},
                         format="json", HTTP_ACCEPT_LANGUAGE="es")

    assert response.json()["error"]["fields"]["glossary.0.translations"] == [
        "Indique al menos una traducción o marque el término como «no traducir»."]


def test_the_openapi_schema_documents_the_glossary(client):
    schema = json.loads(client.get("/api/schema/",
                                   HTTP_ACCEPT="application/vnd.oai.openapi+json").content)

    entry = schema["components"]["schemas"]["GlossaryEntry"]
    assert set(entry["properties"]) == {"term", "source_language", "translations",
                                        "do_not_translate", "case_sensitive", "notes"}
    assert schema["components"]["schemas"]["Brand"]["properties"]["glossary"]["type"] == "array"
