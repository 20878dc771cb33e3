from decimal import Decimal

import pytest

from apps.jobs.models import Job, JobItem
from tests.conftest import product


def job_body(**overrides):
    body = {"kind": "product_description", "brand": "nordic-home", "locales": ["es", "ru", "en"],
            "items": [product(1), product(2)]}
    body.update(overrides)
    return body


def test_submit_answers_202_with_estimate_and_creates_items(api, brand,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post("/api/v1/jobs/", job_body(), format="json")

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "queued"
    assert body["items_total"] == 6
    job = Job.objects.get(pk=body["id"])
    assert Decimal(body["estimated_cost_usd"]) == job.estimated_cost_usd > 0
    assert job.brand_version == brand.versions.get()
    items = list(job.items.values_list("sku", "locale", "model"))
    assert items == [(sku, locale, "hermes-3-405b") for sku in ("SKU-001", "SKU-002")
                     for locale in ("en-US", "es-ES", "ru-RU")]
    assert len(callbacks) == 1  # the dispatch is enqueued only once the rows are committed


def test_image_item_is_routed_to_gpt4o_mini_under_auto(api, brand):
    items = [product(1), product(2, image_urls=["https://img.example/lamp.jpg"])]

    response = api.post("/api/v1/jobs/", job_body(items=items, locales=["en"]), format="json")

    assert response.status_code == 202
    routed = dict(JobItem.objects.values_list("sku", "model"))
    assert routed == {"SKU-001": "hermes-3-405b", "SKU-002": "gpt-4o-mini"}


BAD_REQUESTS = [
    (job_body(brand="no-such-brand"), "brand", "unknown_brand"),
    (job_body(locales=["de"]), "locales.0", "invalid"),
    (job_body(locales=[]), "locales", "invalid"),
    (job_body(items=[]), "items", "invalid"),
    (job_body(kind="poem"), "kind", "invalid"),
    (job_body(model="gpt-5"), "model", "invalid"),
    (job_body(items=[product(1, image_urls=["https://img.example/a.jpg"])], model="hermes-3-405b"),
     "model", "model_unfit"),
    (job_body(items=[product(1, image_urls=["not a url"])]), "items.0.image_urls.0", "invalid"),
    (job_body(items=[product(1, price="-3")]), "items.0.price", "invalid"),
    (job_body(items=[product(1, currency=None)]), "items.0.currency", "invalid"),
    (job_body(items=[product(1), product(1)]), "items.1.sku", "invalid"),
    (job_body(items=[{"sku": "A"}]), "items.0.name", "invalid"),
]


@pytest.mark.parametrize("body, field, code", BAD_REQUESTS)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(api, brand, body, field, code):
    response = api.post("/api/v1/jobs/", body, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert field in error["fields"], error
    assert not Job.objects.exists()
    assert not JobItem.objects.exists()


def test_malformed_json_is_a_400_naming_the_body(api, brand):
    response = api.post("/api/v1/jobs/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_body"
    assert "body" in response.json()["error"]["fields"]
    assert not Job.objects.exists()


def test_missing_key_is_a_401_and_writes_nothing(client, brand):
    response = client.post("/api/v1/jobs/", job_body(), content_type="application/json")

    assert response.status_code == 401
    assert not Job.objects.exists()


def test_job_list_is_newest_first_and_paginated(api, brand):
    ids = [api.post("/api/v1/jobs/", job_body(items=[product(n)]), format="json").json()["id"]
           for n in range(3)]

    page = api.get("/api/v1/jobs/?page_size=2").json()

    assert page["count"] == 3
    assert [job["id"] for job in page["results"]] == [ids[2], ids[1]]
    assert page["next"] is not None


def test_job_detail_shape(api, brand):
    job_id = api.post("/api/v1/jobs/", job_body(), format="json").json()["id"]

    body = api.get(f"/api/v1/jobs/{job_id}/").json()

    assert body["status"] == "queued"
    assert body["progress"] == {"total": 6, "succeeded": 0, "needs_review": 0, "failed": 0,
                                "cancelled": 0, "pending": 6, "cached": 0}
    assert body["usage"] == {"input_tokens": 0, "output_tokens": 0}
    assert body["cost"]["actual_usd"] == "0.00000000"
    assert body["brand"] == "nordic-home" and body["brand_version"] == 1


def test_other_workspace_cannot_see_list_or_fetch_jobs(api, other_api, brand):
    job_id = api.post("/api/v1/jobs/", job_body(), format="json").json()["id"]

    assert other_api.get("/api/v1/jobs/").json() == {"count": 0, "next": None, "previous": None,
                                                     "results": []}
    assert other_api.get(f"/api/v1/jobs/{job_id}/").status_code == 404
    assert other_api.get(f"/api/v1/jobs/{job_id}/items/").status_code == 404
    assert other_api.get("/api/v1/jobs/not-a-uuid/").status_code == 404


def test_other_workspace_cannot_submit_against_a_foreign_brand(other_api, brand):
    response = other_api.post("/api/v1/jobs/", job_body(), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_brand"
    assert not Job.objects.exists()


@pytest.mark.parametrize("given, stored", [("49.9", "49.90"), ("100", "100.00"), (49.9, "49.90"),
                                           ("1.2345", "1.2345")])
def test_prices_are_kept_as_exact_decimal_text(api, brand, given, stored):
    response = api.post("/api/v1/jobs/", job_body(items=[product(1, price=given)]), format="json")

    assert response.status_code == 202
    assert {item.input["price"] for item in JobItem.objects.all()} == {stored}


@pytest.mark.parametrize("language, message, field_message", [
    ("es", "La solicitud tiene campos no válidos.",
     "No existe ninguna marca con el identificador «no-such-brand» en este espacio de trabajo."),
    ("ru", "В запросе есть некорректные поля.",
     "В этом рабочем пространстве нет бренда с идентификатором «no-such-brand»."),
    ("en", "The request has invalid fields.",
     "No brand with the slug “no-such-brand” exists in this workspace."),
])
def test_errors_answer_in_the_callers_language(api, brand, language, message, field_message):
    unknown_brand = api.post("/api/v1/jobs/", job_body(brand="no-such-brand"), format="json",
                             HTTP_ACCEPT_LANGUAGE=language)
    empty_items = api.post("/api/v1/jobs/", job_body(items=[]), format="json",
                           HTTP_ACCEPT_LANGUAGE=language)

    assert unknown_brand.json()["error"]["message"] == field_message
    assert unknown_brand.json()["error"]["fields"]["brand"] == [field_message]
    assert empty_items.json()["error"]["message"] == message
    assert list(empty_items.json()["error"]["fields"]) == ["items"]


def test_shorthands_map_to_their_documented_default_regions(api, brand):
    response = api.post("/api/v1/jobs/", job_body(locales=["es", "es-MX", "ru", "en", "en-gb"],
                                                  items=[product(1)]), format="json")

    assert response.status_code == 202
    assert sorted(JobItem.objects.values_list("locale", flat=True)) == [
        "en-GB", "en-US", "es-ES", "es-MX", "ru-RU"]
    assert Job.objects.get().locales == ["es-ES", "es-MX", "ru-RU", "en-US", "en-GB"]


@pytest.mark.parametrize("language, expected", [
    ("en", "Unsupported locale “pt-BR”. Use one of es-ES, es-MX, ru-RU, en-US, en-GB, or the "
           "shorthands es = es-ES, ru = ru-RU, en = en-US."),
    ("es", "Configuración regional «pt-BR» no admitida. Usa una de es-ES, es-MX, ru-RU, en-US, "
           "en-GB, o las abreviaturas es = es-ES, ru = ru-RU, en = en-US."),
    ("ru", "Локаль «pt-BR» не поддерживается. Используйте одну из es-ES, es-MX, ru-RU, en-US, "
           "en-GB или сокращения es = es-ES, ru = ru-RU, en = en-US."),
])
def test_unknown_locale_is_a_400_naming_the_tag_in_the_callers_language(api, brand, language,
                                                                       expected):
    response = api.post("/api/v1/jobs/", job_body(locales=["es", "pt-BR"]), format="json",
                        HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"locales.1": [expected]}
    assert not Job.objects.exists()


@pytest.mark.parametrize("language, status_label, kind_label", [
    ("en", "Queued", "Product description"), ("es", "En cola", "Descripción de producto"),
    ("ru", "В очереди", "Описание товара"),
])
def test_enum_labels_are_translated_and_values_stay_stable(api, brand, language, status_label,
                                                          kind_label):
    job_id = api.post("/api/v1/jobs/", job_body(), format="json").json()["id"]

    body = api.get(f"/api/v1/jobs/{job_id}/", HTTP_ACCEPT_LANGUAGE=language).json()

    assert (body["status"], body["kind"]) == ("queued", "product_description")
    assert (body["status_label"], body["kind_label"]) == (status_label, kind_label)
