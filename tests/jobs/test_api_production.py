"""The API a production team integrates with: idempotency, cancel and retry, filters,
limits and throttling, the model catalog and usage."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.throttling import SimpleRateThrottle

from apps.brands.services import brand_create
from apps.jobs.models import GenerationAttempt, Job, JobItem
from apps.jobs.services import item_generate
from tests.conftest import BRAND_FIELDS, product, script

pytestmark = pytest.mark.usefixtures("catalog_on_simulator")


def body(**overrides):
    data = {"kind": "product_description", "brand": "nordic-home", "locales": ["en", "es"],
            "items": [product(1), product(2)]}
    data.update(overrides)
    return data


# --- Idempotency ---------------------------------------------------------------------

def test_a_repeat_with_the_same_key_and_body_returns_the_original_job(api, brand):
    first = api.post("/api/v1/jobs/", body(), format="json", HTTP_IDEMPOTENCY_KEY="order-42")
    again = api.post("/api/v1/jobs/", body(), format="json", HTTP_IDEMPOTENCY_KEY="order-42")

    assert first.status_code == 202
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Job.objects.count() == 1
    assert JobItem.objects.count() == 4


def test_the_same_key_with_another_body_is_a_409_and_writes_nothing(api, brand):
    api.post("/api/v1/jobs/", body(), format="json", HTTP_IDEMPOTENCY_KEY="order-42")

    response = api.post("/api/v1/jobs/", body(locales=["ru"]), format="json",
                        HTTP_IDEMPOTENCY_KEY="order-42")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in response.json()["error"]["fields"]
    assert Job.objects.count() == 1


def test_idempotency_keys_are_per_workspace(api, other_api, brand, other_workspace):
    brand_create(workspace=other_workspace, **BRAND_FIELDS)
    api.post("/api/v1/jobs/", body(), format="json", HTTP_IDEMPOTENCY_KEY="order-42")

    other = api_response = other_api.post("/api/v1/jobs/", body(), format="json",
                                          HTTP_IDEMPOTENCY_KEY="order-42")

    assert api_response.status_code == 202
    assert Job.objects.filter(workspace=other_workspace).count() == 1
    assert other.json()["id"] != str(Job.objects.exclude(workspace=other_workspace).get().pk)
    assert other.json()["id"] == str(Job.objects.get(workspace=other_workspace).pk)


# --- Cancel and retry ----------------------------------------------------------------

def test_cancel_mid_job_stops_pending_items_and_charges_nothing_for_them(api, workspace, brand,
                                                                        sim):
    job_id = api.post("/api/v1/jobs/", body(), format="json").json()["id"]
    first = JobItem.objects.filter(job_id=job_id).order_by("pk").first()
    item_generate(item_id=first.pk)

    response = api.post(f"/api/v1/jobs/{job_id}/cancel/")

    job = Job.objects.get(pk=job_id)
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["progress"]["cancelled"] == 3
    assert set(JobItem.objects.filter(job_id=job_id).exclude(pk=first.pk)
               .values_list("status", flat=True)) == {"cancelled"}
    cancelled = JobItem.objects.filter(job_id=job_id, status="cancelled")
    assert sum(i.cost_usd for i in cancelled) == 0
    assert not GenerationAttempt.objects.filter(item__in=cancelled).exists()
    assert job.actual_cost_usd == JobItem.objects.get(pk=first.pk).cost_usd > 0
    # A message still in the queue for a cancelled item does nothing.
    item_generate(item_id=cancelled.first().pk)
    assert not GenerationAttempt.objects.filter(item__in=cancelled).exists()


def test_a_finished_job_cannot_be_cancelled(api, workspace, brand, sim):
    job_id = api.post("/api/v1/jobs/", body(items=[product(1)], locales=["en"]),
                      format="json").json()["id"]
    item_generate(item_id=JobItem.objects.get(job_id=job_id).pk)

    response = api.post(f"/api/v1/jobs/{job_id}/cancel/")

    assert response.status_code == 409
    assert Job.objects.get(pk=job_id).status == "succeeded"


def test_retry_requeues_failed_and_review_items_as_new_attempts(api, workspace, brand, sim,
                                                               django_capture_on_commit_callbacks):
    script(sim, {"status": 400})
    job_id = api.post("/api/v1/jobs/", body(items=[product(1)], locales=["en"]),
                      format="json").json()["id"]
    item = JobItem.objects.get(job_id=job_id)
    item_generate(item_id=item.pk)
    assert Job.objects.get(pk=job_id).status == "failed"

    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(f"/api/v1/jobs/{job_id}/retry/")

    assert response.status_code == 200
    assert response.json()["status"] == "running"
    assert response.json()["progress"]["failed"] == 0
    assert len(callbacks) == 1
    item.refresh_from_db()
    assert (item.status, item.attempts, item.error) == ("pending", 0, "")
    item_generate(item_id=item.pk)
    job = Job.objects.get(pk=job_id)
    assert job.status == "succeeded"
    assert list(item.generation_attempts.values_list("outcome", flat=True)) == [
        "permanent_error", "ok"]


# --- Filters ------------------------------------------------------------------------

def test_items_filter_by_status_locale_and_sku(api, brand, sim):
    job_id = api.post("/api/v1/jobs/", body(), format="json").json()["id"]
    first = JobItem.objects.get(job_id=job_id, sku="SKU-001", locale="es-ES")
    item_generate(item_id=first.pk)

    def skus(query):
        results = api.get(f"/api/v1/jobs/{job_id}/items/?{query}").json()["results"]
        return sorted((r["sku"], r["locale"]) for r in results)

    assert skus("status=succeeded") == [("SKU-001", "es-ES")]
    assert skus("status=pending&locale=en-US") == [("SKU-001", "en-US"), ("SKU-002", "en-US")]
    assert skus("sku=SKU-002") == [("SKU-002", "en-US"), ("SKU-002", "es-ES")]
    bad = api.get(f"/api/v1/jobs/{job_id}/items/?status=bogus")
    assert bad.status_code == 400
    assert "status" in bad.json()["error"]["fields"]


# --- Limits and throttling -----------------------------------------------------------

def test_a_body_over_the_limit_is_a_413(api, brand, settings):
    settings.API_MAX_BODY_BYTES = 2000

    response = api.post("/api/v1/jobs/", body(items=[product(n) for n in range(30)]),
                        format="json")

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"
    assert not Job.objects.exists()


@pytest.mark.parametrize("item, field", [
    (product(1, image_urls=[f"https://img.example/{n}.jpg" for n in range(11)]),
     "items.0.image_urls"),
    (product(1, brief="x" * 5001), "items.0.brief"),
    (product(1, attributes={f"a{n}": n for n in range(51)}), "items.0.attributes"),
    (product(1, attributes={"notes": "y" * 1200}), "items.0.attributes"),
    (product(1, keywords=["k"] * 31), "items.0.keywords"),
])
def test_per_field_limits_are_400s_naming_the_field(api, brand, item, field):
    response = api.post("/api/v1/jobs/", body(items=[item]), format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_items_per_job_are_limited(api, brand, settings):
    settings.JOB_MAX_ITEMS = 3

    response = api.post("/api/v1/jobs/", body(items=[product(n) for n in range(4)]),
                        format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["items"] == ["A job takes at most 3 items."]


def test_submissions_are_throttled_per_api_key_with_retry_after(api, other_api, brand,
                                                                monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES",
                        {"api_key": "1000/min", "api_key_submit": "2/min"})

    codes = [api.post("/api/v1/estimate/", body(), format="json").status_code for _ in range(3)]
    throttled = api.post("/api/v1/jobs/", body(), format="json")
    reads = api.get("/api/v1/jobs/")
    other = other_api.post("/api/v1/estimate/", body(), format="json")

    assert codes == [200, 200, 429]
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert throttled.json()["error"]["code"] == "throttled"
    assert reads.status_code == 200  # reads are not submissions
    assert other.status_code == 400  # another key has its own count (and no brand)
    assert not Job.objects.exists()


# --- Catalog and usage ----------------------------------------------------------------

def test_models_lists_the_catalog_with_prices_and_no_secrets(api):
    response = api.get("/api/v1/models/")

    models = {m["model"]: m for m in response.json()["results"]}
    assert models["gpt-4o-mini"]["input_usd_per_mtok"] == "0.15"
    assert models["hermes-3-405b"]["supports_images"] is False
    assert "api_key" not in response.content.decode()
    assert "sk-test" not in response.content.decode()


def test_usage_sums_tokens_and_cost_per_model_brand_and_day(api, workspace, brand, sim):
    job_id = api.post("/api/v1/jobs/", body(items=[product(1), product(
        2, image_urls=["https://img.example/a.jpg"])], locales=["en"]), format="json").json()["id"]
    for item in JobItem.objects.filter(job_id=job_id):
        item_generate(item_id=item.pk)
    today = datetime.date.today().isoformat()

    usage = api.get(f"/api/v1/usage/?from={today}&to={today}").json()

    attempts = GenerationAttempt.objects.filter(item__job_id=job_id)
    by_model = {row["model"]: row for row in usage["by_model"]}
    assert set(by_model) == {"hermes-3-405b", "gpt-4o-mini"}
    assert sum(Decimal(r["cost_usd"]) for r in usage["by_model"]) == sum(
        a.cost_usd for a in attempts)
    assert usage["by_brand"] == [{"brand": "nordic-home", "calls": 2,
                                  "input_tokens": sum(a.input_tokens for a in attempts),
                                  "output_tokens": sum(a.output_tokens for a in attempts),
                                  "cost_usd": f"{sum(a.cost_usd for a in attempts):.8f}"}]
    assert [row["day"] for row in usage["by_day"]] == [today]


def test_usage_is_scoped_to_the_workspace_and_validates_dates(api, other_api, workspace, brand,
                                                               sim):
    job_id = api.post("/api/v1/jobs/", body(items=[product(1)], locales=["en"]),
                      format="json").json()["id"]
    item_generate(item_id=JobItem.objects.get(job_id=job_id).pk)

    assert other_api.get("/api/v1/usage/").json()["by_model"] == []
    bad = api.get("/api/v1/usage/?from=2026-13-01")
    backwards = api.get("/api/v1/usage/?from=2026-02-01&to=2026-01-01")
    too_long = api.get("/api/v1/usage/?from=2024-01-01&to=2025-06-01")
    assert (bad.status_code, list(bad.json()["error"]["fields"])) == (400, ["from"])
    assert (backwards.status_code, list(backwards.json()["error"]["fields"])) == (400, ["from"])
    assert (too_long.status_code, too_long.json()["error"]["fields"]) == (
        400, {"to": ["Ask for at most 366 days at a time."]})
