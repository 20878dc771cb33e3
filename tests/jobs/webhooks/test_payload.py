"""The event body: ``{"event", "created", "job"}``, where ``job`` is what the API answers
for the same job. The payload is built apart from the API's serializer, so this test is
what keeps the two from drifting."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.jobs.models import Job
from apps.jobs.webhooks import webhook_on_job_finished

JOB_KEYS = ["id", "status", "status_label", "kind", "kind_label", "channel", "source_kind",
            "source_job", "brand",
            "brand_version",
            "locales", "model", "fallback", "priority", "webhook_url", "items_total",
            "progress", "cost", "usage", "created_at", "started_at", "finished_at"]


@pytest.mark.parametrize("provider_cost_usd", [None, Decimal("0"), Decimal("0.00041234")])
def test_the_job_in_the_payload_is_what_the_api_answers_for_the_same_job(
        api, receiver, finished_job, provider_cost_usd):
    job = finished_job(receiver.url())
    Job.objects.filter(pk=job.pk).update(
        items_succeeded=1, items_cached=1, input_tokens=1234, output_tokens=567,
        actual_cost_usd=Decimal("0.0005"), provider_cost_usd=provider_cost_usd,
        started_at=timezone.now() - timedelta(seconds=3, microseconds=250))

    delivery = webhook_on_job_finished(job_id=job.pk)
    response = api.get(f"/api/v1/jobs/{job.pk}/")

    assert response.status_code == 200
    job_in_payload = json.loads(delivery.payload)["job"]
    assert job_in_payload == response.json()
    assert list(job_in_payload) == list(response.json())  # the same order, too


def test_the_payload_keys_are_a_published_contract(delivery):
    payload = json.loads(delivery.payload)

    assert list(payload) == ["event", "created", "job"]
    assert payload["event"] == "job.finished"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z", payload["created"])
    job = payload["job"]
    assert list(job) == JOB_KEYS
    assert list(job["progress"]) == ["total", "succeeded", "needs_review", "failed",
                                     "cancelled", "pending", "cached"]
    assert list(job["cost"]) == ["estimated_usd", "actual_usd", "provider_reported_usd"]
    assert list(job["usage"]) == ["input_tokens", "output_tokens"]
    # Compact JSON, serialized once: every attempt sends and signs these very bytes.
    assert delivery.payload == json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
