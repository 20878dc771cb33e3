"""The whole service on real processes: gunicorn, a Celery worker, Redis, the database
and the simulator, driven over HTTP like a customer would."""

import json
import time
from decimal import Decimal

import httpx
import pytest

from apps.accounts.services import api_key_create
from apps.generation.catalog import catalog_get
from apps.jobs.models import GenerationAttempt, Job
from apps.jobs.webhooks import webhook_signature_verify
from devtools.webhook_receiver import Receiver
from tests.conftest import BRAND_FIELDS, all_items, poll_until_finished, product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOCALES = ["es", "ru", "en"]  # shorthands for es-ES, ru-RU, en-US
TAGS = ["es-ES", "ru-RU", "en-US"]
CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


def test_job_of_ten_products_in_three_locales_runs_to_completion(live_stack, workspace, simulator):
    httpx.post(simulator.url + "/_sim/reset")
    httpx.post(simulator.url + "/_sim/config", json={"default": {"latency_ms": 50}})
    client = live_stack.client(api_key_create(workspace=workspace).raw_key)
    assert client.post("/api/v1/brands/", json=BRAND_FIELDS).status_code == 201
    products = [product(n) for n in range(1, 11)]
    products[9]["image_urls"] = ["https://img.example/lamp-10.jpg"]

    submitted = client.post("/api/v1/jobs/", json={
        "kind": "product_description", "brand": "nordic-home", "locales": LOCALES,
        "items": products})
    assert submitted.status_code == 202, submitted.text
    job_id = submitted.json()["id"]
    job = poll_until_finished(client, job_id)
    items = all_items(client, job_id)

    catalog = catalog_get()
    assert job["status"] == "succeeded"
    assert job["progress"] == {"total": 30, "succeeded": 30, "needs_review": 0,
                               "failed": 0, "cancelled": 0, "pending": 0,
                               "cached": 0}
    assert len(items) == 30
    assert {(i["sku"], i["locale"]) for i in items} == {
        (p["sku"], locale) for p in products for locale in TAGS}
    for item in items:
        expected_model = "gpt-4o-mini" if item["sku"] == "SKU-010" else "hermes-3-405b"
        assert item["status"] == "succeeded", item
        assert item["model"] == expected_model
        assert item["input_tokens"] > 0 and item["output_tokens"] > 0
        assert Decimal(item["cost_usd"]) == catalog[expected_model].cost_usd(
            item["input_tokens"], item["output_tokens"])
        assert f"Oak desk lamp {int(item['sku'][-3:])}" in item["content"]["title"]
        assert len(item["content"]["bullets"]) >= 3
        has_cyrillic = bool(CYRILLIC & set(item["content"]["description"].lower()))
        assert has_cyrillic == (item["locale"] == "ru-RU")
    assert job["usage"]["input_tokens"] == sum(i["input_tokens"] for i in items)
    assert job["usage"]["output_tokens"] == sum(i["output_tokens"] for i in items)
    assert Decimal(job["cost"]["actual_usd"]) == sum(Decimal(i["cost_usd"]) for i in items)
    assert Decimal(job["cost"]["estimated_usd"]) > 0
    # Exactly one provider call per item: nothing ran twice.
    assert httpx.get(simulator.url + "/_sim/stats").json()["total"] == 30
    assert GenerationAttempt.objects.filter(item__job_id=job_id).count() == 30
    assert Job.objects.get(pk=job_id).finished_at is not None


def test_rate_limited_items_are_retried_and_nothing_is_lost(live_stack, workspace, simulator):
    httpx.post(simulator.url + "/_sim/reset")
    httpx.post(simulator.url + "/_sim/script", json={"model": "*", "responses": [
        {"status": 429, "retry_after": 1}, {"status": 503}, {"malformed": True}]})
    client = live_stack.client(api_key_create(workspace=workspace).raw_key)
    client.post("/api/v1/brands/", json=BRAND_FIELDS)

    job_id = client.post("/api/v1/jobs/", json={
        "kind": "marketing_copy", "brand": "nordic-home", "locales": ["en"],
        "items": [product(n) for n in range(1, 6)]}).json()["id"]
    job = poll_until_finished(client, job_id)

    assert job["status"] == "succeeded"
    assert job["progress"]["succeeded"] == 5
    stats = httpx.get(simulator.url + "/_sim/stats").json()
    assert stats["total"] == 8  # 5 items + one 429, one 503, one malformed answer
    attempts = GenerationAttempt.objects.filter(item__job_id=job_id)
    assert attempts.count() == 8
    assert Decimal(job["cost"]["actual_usd"]) == sum(a.cost_usd for a in attempts)


def test_a_finished_job_posts_a_signed_webhook_and_retries_after_a_500(
        live_stack, workspace, simulator, settings):

    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True  # the submit is validated here too
    receiver = Receiver()
    receiver.answer("/hook", (500, {}))  # the first delivery fails, the retry succeeds
    httpx.post(simulator.url + "/_sim/reset")
    client = live_stack.client(api_key_create(workspace=workspace).raw_key)
    client.post("/api/v1/brands/", json=BRAND_FIELDS)
    try:
        job_id = client.post("/api/v1/jobs/", json={
            "kind": "marketing_copy", "brand": "nordic-home", "locales": ["en"],
            "webhook_url": receiver.url("/hook"), "items": [product(1), product(2)]}).json()["id"]
        job = poll_until_finished(client, job_id)
        deadline = time.monotonic() + 30
        while len(receiver.requests) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        receiver.stop()

    assert job["status"] == "succeeded"
    first, second = receiver.requests[:2]
    assert first["body"] == second["body"]  # the retry sends the same bytes
    payload = json.loads(second["body"])
    assert payload["event"] == "job.finished"
    assert payload["job"]["id"] == job_id and payload["job"]["status"] == "succeeded"
    workspace.refresh_from_db()
    assert webhook_signature_verify(workspace.webhook_secret, second["body"],
                                    second["headers"]["ContentGen-Signature"])
    assert not webhook_signature_verify("wrong-secret", second["body"],
                                        second["headers"]["ContentGen-Signature"])
    log = client.get(f"/api/v1/jobs/{job_id}/webhooks/").json()
    entries = log["results"] if isinstance(log, dict) else log
    assert [(e["attempt"], e["status"], e["response_status"]) for e in entries] == [
        (2, "succeeded", 200), (1, "failed", 500)]
