"""A/B variants over the API: `variants` on a job or an item makes one item per
item × locale × variant, validated, limited, estimated, listed and exported with `variant`."""

import csv
import io
import json
from decimal import Decimal

import pytest

from apps.jobs.models import Job, JobItem
from tests.conftest import product


def job_body(**overrides):
    body = {"kind": "marketing_copy", "brand": "nordic-home", "locales": ["es", "ru"],
            "items": [product(1), product(2)]}
    body.update(overrides)
    return body


def test_a_job_with_three_variants_has_one_item_per_product_locale_and_variant(api, brand):
    response = api.post("/api/v1/jobs/", job_body(variants=3), format="json")

    assert response.status_code == 202, response.json()
    assert response.json()["items_total"] == 12
    job = Job.objects.get(pk=response.json()["id"])
    assert list(job.items.values_list("sku", "locale", "variant", "variants")) == [
        (sku, locale, variant, 3) for sku in ("SKU-001", "SKU-002")
        for locale in ("es-ES", "ru-RU") for variant in (1, 2, 3)]
    # Each variant is priced as an item of its own.
    assert job.estimated_cost_usd == sum(i.estimated_cost_usd for i in job.items.all())
    assert all(i.estimated_cost_usd > 0 for i in job.items.all())


def test_without_variants_a_job_has_one_variant_per_item(api, brand):
    response = api.post("/api/v1/jobs/", job_body(), format="json")

    job = Job.objects.get(pk=response.json()["id"])
    assert response.json()["items_total"] == 4
    assert set(job.items.values_list("variant", "variants")) == {(1, 1)}


def test_an_item_may_override_the_jobs_number_of_variants(api, brand):
    items = [product(1, variants=2), product(2), product(3, variants=1)]

    response = api.post("/api/v1/jobs/", job_body(items=items, locales=["es"], variants=3),
                        format="json")

    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert list(job.items.values_list("sku", "variant")) == [
        ("SKU-001", 1), ("SKU-001", 2),
        ("SKU-002", 1), ("SKU-002", 2), ("SKU-002", 3),
        ("SKU-003", 1)]
    assert job.items_total == 6


@pytest.mark.parametrize("value", [0, 6, -1, "three", 2.5, True, None, [2]])
def test_a_bad_number_of_variants_is_a_400_naming_variants_and_writes_nothing(api, brand, value):
    response = api.post("/api/v1/jobs/", job_body(variants=value), format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert list(error["fields"]) == ["variants"]
    assert Job.objects.count() == 0 and JobItem.objects.count() == 0


@pytest.mark.parametrize(("value", "message"), [
    (0, "Asegúrese de que este valor es mayor o igual a 1."),
    (6, "Asegúrese de que este valor es menor o igual a 5."),
    ("x", "Introduzca un número entero válido."),
])
def test_a_bad_item_override_is_a_400_naming_the_item_in_the_callers_language(
        api, brand, value, message):
    items = [product(1), product(2, variants=value)]

    response = api.post("/api/v1/jobs/", job_body(items=items), format="json",
                        HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"items.1.variants": [message]}
    assert Job.objects.count() == 0


def test_a_misspelt_variants_field_is_refused(api, brand):
    response = api.post("/api/v1/jobs/", job_body(variant=3), format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["variant"]
    assert Job.objects.count() == 0


@pytest.mark.parametrize(("language", "message"), [
    ("en", "A job takes at most 10 items × locales × variants; this one has 12. Ask for "
           "fewer variants or split the job."),
    ("es", "Un trabajo admite como máximo 10 elementos × idiomas × variantes; este tiene 12. "
           "Pide menos variantes o divide el trabajo."),
    ("ru", "В задании может быть не больше 10 позиций × локалей × вариантов; в этом — 12. "
           "Запросите меньше вариантов или разделите задание."),
])
def test_the_item_limit_counts_every_variant_and_names_variants(
        api, brand, settings, language, message):
    settings.JOB_MAX_ITEM_LOCALES = 10
    # 2 products × 2 locales = 4 items, within the limit; × 3 variants = 12, beyond it.
    assert api.post("/api/v1/estimate/", job_body(), format="json").status_code == 200

    response = api.post("/api/v1/jobs/", job_body(variants=3), format="json",
                        HTTP_ACCEPT_LANGUAGE=language)
    per_item = api.post("/api/v1/jobs/", job_body(items=[product(1, variants=5), product(2)]),
                        format="json", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"variants": [message]}
    assert per_item.status_code == 400
    assert per_item.json()["error"]["fields"] == {"variants": [message]}
    assert Job.objects.count() == 0


def test_the_estimate_multiplies_by_the_variants(api, brand):
    single = api.post("/api/v1/estimate/", job_body(), format="json").json()
    triple = api.post("/api/v1/estimate/", job_body(variants=3), format="json").json()

    assert (single["items_total"], triple["items_total"]) == (4, 12)
    assert triple["routed"]["hermes-3-405b"]["items"] == 12
    # Three prompts per item, each a few tokens longer than the single one (the variant's
    # line), and three answers: a little over three times the cost.
    ratio = Decimal(triple["estimated_cost_usd"]) / Decimal(single["estimated_cost_usd"])
    assert Decimal(3) < ratio < Decimal("3.3")
    assert Job.objects.count() == 0


def test_items_list_filters_by_variant_and_shows_it(api, brand):
    job_id = api.post("/api/v1/jobs/", job_body(variants=2), format="json").json()["id"]

    second = api.get(f"/api/v1/jobs/{job_id}/items/?variant=2").json()["results"]
    everything = api.get(f"/api/v1/jobs/{job_id}/items/").json()["results"]

    assert [(i["sku"], i["locale"], i["variant"]) for i in second] == [
        ("SKU-001", "es-ES", 2), ("SKU-001", "ru-RU", 2),
        ("SKU-002", "es-ES", 2), ("SKU-002", "ru-RU", 2)]
    assert [i["variant"] for i in everything] == [1, 2, 1, 2, 1, 2, 1, 2]


@pytest.mark.parametrize("value", ["two", "1.5", "0", "6"])
def test_a_bad_variant_filter_is_a_400_naming_it(api, brand, value):
    job_id = api.post("/api/v1/jobs/", job_body(), format="json").json()["id"]

    response = api.get(f"/api/v1/jobs/{job_id}/items/?variant={value}")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["variant"]


def test_the_csv_export_has_a_variant_column(api, brand):
    job_id = api.post("/api/v1/jobs/", job_body(items=[product(1)], locales=["es"], variants=2),
                      format="json").json()["id"]

    response = api.get(f"/api/v1/jobs/{job_id}/items/?format=csv")

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode()
                                       .removeprefix("\ufeff"))))
    assert rows[0][:5] == ["sku", "locale", "variant", "status", "model"]
    assert [row[:4] for row in rows[1:]] == [["SKU-001", "es-ES", "1", "pending"],
                                            ["SKU-001", "es-ES", "2", "pending"]]


def test_a_csv_upload_takes_a_variants_column(api, brand):
    upload = io.BytesIO(b"sku,name,variants\nA-1,Oak lamp,2\nA-2,Oak chair,\n")
    upload.name = "items.csv"

    response = api.post("/api/v1/jobs/", {
        "kind": "marketing_copy", "brand": "nordic-home", "locales": "es", "variants": "3",
        "file": upload}, format="multipart")

    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert list(job.items.values_list("sku", "variant")) == [
        ("A-1", 1), ("A-1", 2), ("A-2", 1), ("A-2", 2), ("A-2", 3)]


def test_a_bad_variants_cell_is_reported_by_row_and_column(api, brand):
    upload = io.BytesIO(b"sku,name,variants\nA-1,Oak lamp,9\nA-2,Oak chair,two\n")
    upload.name = "items.csv"

    response = api.post("/api/v1/jobs/", {
        "kind": "marketing_copy", "brand": "nordic-home", "locales": "es", "file": upload},
        format="multipart", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 400
    message = "Укажите целое число вариантов от 1 до 5."
    assert response.json()["error"]["fields"] == {"file.2.variants": [message],
                                                  "file.3.variants": [message]}
    assert Job.objects.count() == 0


def test_the_schema_documents_variants_in_and_variant_out(client):
    document = json.loads(client.get("/api/schema/",
                                     HTTP_ACCEPT="application/vnd.oai.openapi+json").content)
    schemas = document["components"]["schemas"]
    parameters = document["paths"]["/api/v1/jobs/{job_id}/items/"]["get"]["parameters"]

    assert {key: schemas["JobCreateRequest"]["properties"]["variants"][key]
            for key in ("type", "minimum", "maximum", "default")} == {
        "type": "integer", "minimum": 1, "maximum": 5, "default": 1}
    assert {key: schemas["ItemInputRequest"]["properties"]["variants"][key]
            for key in ("type", "minimum", "maximum", "nullable")} == {
        "type": "integer", "minimum": 1, "maximum": 5, "nullable": True}
    assert schemas["JobItem"]["properties"]["variant"]["type"] == "integer"
    assert "variant" in schemas["JobItem"]["required"]
    assert [p["schema"]["type"] for p in parameters if p["name"] == "variant"] == ["integer"]
