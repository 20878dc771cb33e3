"""Economy jobs through the OpenAI Batch API (simulated): half price, folded back."""

import time
from decimal import Decimal

import httpx
import pytest

from apps.generation.catalog import catalog_get
from apps.jobs.models import Job, JobItem, ProviderBatch
from apps.jobs.services import batches_poll, job_dispatch
from tests.conftest import product, script, sim_requests

pytestmark = pytest.mark.usefixtures("catalog_on_simulator")
IMAGE = ["https://img.example/lamp.jpg"]


def economy_job(api, items) -> Job:
    response = api.post("/api/v1/jobs/", {
        "kind": "product_description", "brand": "nordic-home", "locales": ["en"],
        "priority": "economy", "items": items}, format="json")
    assert response.status_code == 202, response.json()
    return Job.objects.get(pk=response.json()["id"])


def test_economy_job_runs_through_the_batch_api_at_half_price(api, brand, sim):
    httpx.post(sim.url + "/_sim/config", json={"batch_delay_s": 0.2})
    job = economy_job(api, [product(1, image_urls=IMAGE), product(2, image_urls=IMAGE),
                            product(3)])

    job_dispatch(job_id=job.pk)

    batch = ProviderBatch.objects.get()
    statuses = dict(job.items.values_list("sku", "status"))
    assert statuses == {"SKU-001": "batched", "SKU-002": "batched", "SKU-003": "pending"}
    assert batch.model == "gpt-4o-mini"
    time.sleep(0.3)
    batches_poll()

    batch.refresh_from_db()
    assert batch.status == "done"
    full_price = catalog_get()["gpt-4o-mini"]
    for item in job.items.filter(sku__in=["SKU-001", "SKU-002"]):
        assert item.status == JobItem.Status.SUCCEEDED
        assert item.model_used == "gpt-4o-mini"
        normal = full_price.cost_usd(item.input_tokens, item.output_tokens)
        assert abs(item.cost_usd - normal / 2) <= Decimal("0.00000001")
        assert item.cost_usd > 0
    paths = [r["path"] for r in sim_requests(sim)]
    assert paths.count("/v1/files") == 1
    assert paths.count("/v1/batches") == 1
    assert paths.count("/v1/chat/completions (batch)") == 2
    assert "/v1/chat/completions" not in paths  # nothing of the batch ran online


def test_a_failed_batch_line_goes_back_to_the_online_queue(api, brand, sim):
    httpx.post(sim.url + "/_sim/config", json={"batch_delay_s": 0.1})
    job = economy_job(api, [product(1, image_urls=IMAGE), product(2, image_urls=IMAGE)])
    job_dispatch(job_id=job.pk)
    script(sim, {"status": 500})  # taken by the batch's first line when it is answered
    time.sleep(0.2)

    batches_poll()

    first, second = job.items.order_by("position")
    assert first.status == JobItem.Status.PENDING  # to be rewritten online
    assert first.generation_attempts.get().outcome == "transient_error"
    assert first.cost_usd == 0  # a failed line is not billed
    assert second.status == JobItem.Status.SUCCEEDED


def test_standard_jobs_never_use_the_batch_api(api, brand, sim):
    response = api.post("/api/v1/jobs/", {
        "kind": "product_description", "brand": "nordic-home", "locales": ["en"],
        "items": [product(1, image_urls=IMAGE)]}, format="json")

    job_dispatch(job_id=response.json()["id"])

    assert not ProviderBatch.objects.exists()
    assert JobItem.objects.get().status == JobItem.Status.PENDING
