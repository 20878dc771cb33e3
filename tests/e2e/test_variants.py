"""A/B variants on real processes: gunicorn, a Celery worker, Redis, the database and the
simulator, driven over HTTP like a customer would."""

import csv
import io
import itertools
from decimal import Decimal

import httpx
import pytest

from apps.accounts.services import api_key_create
from apps.generation.catalog import catalog_get
from apps.generation.similarity import NEAR_DUPLICATE, content_similarity
from apps.jobs.models import GenerationAttempt
from tests.conftest import BRAND_FIELDS, all_items, poll_until_finished, product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


def test_three_variants_in_es_and_ru_are_distinct_succeeded_and_billed_per_call(
        live_stack, workspace, simulator):
    httpx.post(simulator.url + "/_sim/reset")
    httpx.post(simulator.url + "/_sim/config", json={"default": {"latency_ms": 50}})
    client = live_stack.client(api_key_create(workspace=workspace).raw_key)
    assert client.post("/api/v1/brands/", json=BRAND_FIELDS).status_code == 201

    submitted = client.post("/api/v1/jobs/", json={
        "kind": "marketing_copy", "brand": "nordic-home", "locales": ["es", "ru"],
        "variants": 3, "items": [product(1), product(2)]})
    assert submitted.status_code == 202, submitted.text
    assert submitted.json()["items_total"] == 12
    job_id = submitted.json()["id"]
    job = poll_until_finished(client, job_id)
    items = all_items(client, job_id)

    assert job["status"] == "succeeded"
    assert job["progress"] == {"total": 12, "succeeded": 12, "needs_review": 0, "failed": 0,
                               "cancelled": 0, "pending": 0, "cached": 0}
    assert [(i["sku"], i["locale"], i["variant"]) for i in items] == [
        (sku, locale, variant) for sku in ("SKU-001", "SKU-002")
        for locale in ("es-ES", "ru-RU") for variant in (1, 2, 3)]
    assert {i["status"] for i in items} == {"succeeded"}
    for (sku, locale), group in itertools.groupby(items, key=lambda i: (i["sku"], i["locale"])):
        group = list(group)
        for first, second in itertools.combinations(group, 2):
            assert content_similarity(first["content"], second["content"]) < NEAR_DUPLICATE, (
                sku, locale, first["variant"], second["variant"])
        assert len({i["content"]["headline"] for i in group}) == 3
        for item in group:
            has_cyrillic = bool(CYRILLIC & set(item["content"]["body"].lower()))
            assert has_cyrillic == (locale == "ru-RU")
    # Billed per call: one call per variant, nothing ran twice.
    assert httpx.get(simulator.url + "/_sim/stats").json()["total"] == 12
    assert GenerationAttempt.objects.filter(item__job_id=job_id).count() == 12
    catalog = catalog_get()
    for item in items:
        assert Decimal(item["cost_usd"]) == catalog[item["model"]].cost_usd(
            item["input_tokens"], item["output_tokens"]) > 0
    assert Decimal(job["cost"]["actual_usd"]) == sum(Decimal(i["cost_usd"]) for i in items)

    second = client.get(f"/api/v1/jobs/{job_id}/items/?variant=2&locale=ru-RU").json()
    assert [(i["sku"], i["variant"]) for i in second["results"]] == [("SKU-001", 2),
                                                                     ("SKU-002", 2)]
    exported = client.get(f"/api/v1/jobs/{job_id}/items/?format=csv")
    rows = list(csv.DictReader(io.StringIO(exported.text.removeprefix("\ufeff"))))
    assert [(r["sku"], r["locale"], r["variant"]) for r in rows] == [
        (i["sku"], i["locale"], str(i["variant"])) for i in items]
    assert [r["headline"] for r in rows] == [i["content"]["headline"] for i in items]


def test_a_variant_that_repeats_another_is_regenerated(live_stack, workspace, simulator):
    httpx.post(simulator.url + "/_sim/reset")
    httpx.post(simulator.url + "/_sim/config", json={"default": {"latency_ms": 50}})
    # Variant 2's first answer repeats variant 1's text, late enough for variant 1 to be
    # stored first (the check compares with the siblings stored when it runs).
    httpx.post(simulator.url + "/_sim/script", json={"model": "*", "responses": [
        {"for_variant": 2, "as_variant": 1, "latency_ms": 3000}]})
    client = live_stack.client(api_key_create(workspace=workspace).raw_key)
    client.post("/api/v1/brands/", json=BRAND_FIELDS)

    job_id = client.post("/api/v1/jobs/", json={
        "kind": "marketing_copy", "brand": "nordic-home", "locales": ["es"], "variants": 2,
        "items": [product(1)]}).json()["id"]
    job = poll_until_finished(client, job_id)
    first, second = all_items(client, job_id)

    assert job["status"] == "succeeded"
    assert (first["variant"], first["status"]) == (1, "succeeded")
    assert (second["variant"], second["status"]) == (2, "succeeded")
    assert content_similarity(first["content"], second["content"]) < NEAR_DUPLICATE
    attempts = list(GenerationAttempt.objects.filter(item_id=second["id"])
                    .values_list("outcome", "error"))
    assert [outcome for outcome, _error in attempts] == ["check_failed", "ok"]
    assert "too similar to variant 1" in attempts[0][1]
    assert GenerationAttempt.objects.filter(item_id=first["id"]).count() == 1
    # Three calls, three attempts billed: the near-copy is paid for like any call.
    assert httpx.get(simulator.url + "/_sim/stats").json()["total"] == 3
    billed = GenerationAttempt.objects.filter(item__job_id=job_id)
    assert Decimal(job["cost"]["actual_usd"]) == sum(a.cost_usd for a in billed)
