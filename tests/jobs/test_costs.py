"""Cost before and after: estimates, budgets, the output cache, provider-reported cost."""

from decimal import Decimal

import httpx
import pytest
from django.utils import timezone

from apps.accounts.models import WorkspaceMonthlySpend
from apps.accounts.selectors import workspace_month_spent
from apps.accounts.services import month_of
from apps.brands.services import brand_create
from apps.generation.catalog import catalog_get
from apps.jobs.domain import JobSubmission
from apps.jobs.models import Job, JobItem
from apps.jobs.serializers import ItemInputSerializer
from apps.jobs.services import item_generate, job_submit
from tests.conftest import BRAND_FIELDS, product, sim_requests, submit

pytestmark = pytest.mark.usefixtures("catalog_on_simulator")


def body(**overrides):
    data = {"kind": "product_description", "brand": "nordic-home", "locales": ["en", "ru"],
            "items": [product(1), product(2), product(3, image_urls=["https://img.example/a.jpg"])]}
    data.update(overrides)
    return data


def test_estimate_shows_each_model_each_policy_and_runs_nothing(api, brand, sim):
    response = api.post("/api/v1/estimate/", body(), format="json")

    estimate = response.json()
    assert response.status_code == 200
    assert estimate["items_total"] == 6
    assert set(estimate["routed"]) == {"hermes-3-405b", "gpt-4o-mini"}
    assert estimate["routed"]["gpt-4o-mini"]["items"] == 2  # the image product, two locales
    assert estimate["routed"]["hermes-3-405b"]["items"] == 4
    # Every item on Hermes is impossible (images); every item on GPT-4o-mini is priced.
    assert estimate["models"]["hermes-3-405b"]["cost_usd"] is None
    assert Decimal(estimate["models"]["gpt-4o-mini"]["cost_usd"]) > 0
    routed_total = sum(Decimal(m["cost_usd"]) for m in estimate["routed"].values())
    assert Decimal(estimate["estimated_cost_usd"]) == routed_total == Decimal(
        estimate["policies"]["auto"])
    assert Decimal(estimate["policies"]["cheapest"]) <= Decimal(estimate["policies"]["auto"])
    # Image tokens are billed as the provider bills them: 2,833 per low-detail image.
    image_items = estimate["routed"]["gpt-4o-mini"]
    assert image_items["input_tokens"] > 2 * 2833
    assert not Job.objects.exists()
    assert sim_requests(sim) == []


def test_estimate_prices_follow_the_catalog(api, brand, settings):
    cheap = api.post("/api/v1/estimate/", body(model="gpt-4o-mini"), format="json").json()
    catalog = dict(settings.MODEL_CATALOG)
    catalog["gpt-4o-mini"] = {**catalog["gpt-4o-mini"], "input_usd_per_mtok": Decimal("1.50"),
                              "output_usd_per_mtok": Decimal("6.00")}
    settings.MODEL_CATALOG = catalog

    dear = api.post("/api/v1/estimate/", body(model="gpt-4o-mini"), format="json").json()

    assert Decimal(dear["estimated_cost_usd"]) == Decimal(cheap["estimated_cost_usd"]) * 10


def test_a_job_whose_estimate_passes_the_budget_is_refused_with_the_figures(api, workspace, brand):
    workspace.monthly_budget_usd = Decimal("0.01")
    workspace.save()
    WorkspaceMonthlySpend.objects.create(workspace=workspace, month=month_of(timezone.now()),
                                         cost_usd=Decimal("0.009"))

    response = api.post("/api/v1/jobs/", body(), format="json")

    error = response.json()["error"]
    assert response.status_code == 402
    assert error["code"] == "budget_exceeded"
    assert error["budget"]["budget_usd"] == "0.01000000"
    assert error["budget"]["spent_usd"] == "0.00900000"
    assert Decimal(error["budget"]["estimate_usd"]) > Decimal("0.001")
    assert "would pass the monthly budget of $0.01000000" in error["message"]
    assert not Job.objects.exists()


def test_a_running_job_that_reaches_the_budget_pauses_and_resumes(api, workspace, brand, sim,
                                                                  django_capture_on_commit_callbacks):
    workspace.monthly_budget_usd = Decimal("1.00")
    workspace.save()
    job = submit(workspace, items=[product(1), product(2)])
    first, second = job.items.order_by("position")
    item_generate(item_id=first.pk)
    spent = workspace_month_spent(workspace=workspace)
    assert spent == first.__class__.objects.get(pk=first.pk).cost_usd > 0
    workspace.monthly_budget_usd = spent  # the budget is now used up
    workspace.save()

    item_generate(item_id=second.pk)

    second.refresh_from_db()
    job.refresh_from_db()
    assert (second.status, second.attempts) == (JobItem.Status.PAUSED, 0)
    assert job.status == Job.Status.PAUSED
    assert len(sim_requests(sim)) == 1  # nothing called, nothing billed
    refused = api.post(f"/api/v1/jobs/{job.pk}/resume/")
    assert refused.status_code == 402

    workspace.monthly_budget_usd = Decimal("10.00")
    workspace.save()
    with django_capture_on_commit_callbacks() as callbacks:
        resumed = api.post(f"/api/v1/jobs/{job.pk}/resume/")
    second.refresh_from_db()
    assert resumed.status_code == 200
    assert resumed.json()["status"] == "running"
    assert second.status == JobItem.Status.PENDING
    assert len(callbacks) == 1
    item_generate(item_id=second.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED


def test_resubmitting_the_same_products_is_served_from_the_cache(workspace, brand, sim):
    first = submit(workspace, items=[product(1), product(2)], locales=["en"])
    for item in first.items.all():
        item_generate(item_id=item.pk)

    again = submit(workspace, items=[product(1), product(2, brief="A new brief.")], locales=["en"])

    hit, miss = again.items.order_by("position")
    assert (hit.status, hit.from_cache, hit.cost_usd) == (JobItem.Status.SUCCEEDED, True, 0)
    assert hit.content == first.items.get(position=0).content
    assert miss.status == JobItem.Status.PENDING
    assert (again.items_cached, again.items_succeeded) == (1, 1)
    assert again.estimated_cost_usd == miss.estimated_cost_usd > 0


def test_a_fully_cached_job_finishes_at_once_and_costs_nothing(workspace, brand, sim):
    first = submit(workspace, items=[product(1)], locales=["en"])
    item_generate(item_id=first.items.get().pk)

    again = submit(workspace, items=[product(1)], locales=["en"])

    assert again.status == Job.Status.SUCCEEDED
    assert again.actual_cost_usd == 0
    assert len(sim_requests(sim)) == 1


def test_fresh_output_can_be_asked_for(workspace, brand, sim):
    first = submit(workspace, items=[product(1)], locales=["en"])
    item_generate(item_id=first.items.get().pk)
    serializer = ItemInputSerializer(data=product(1))
    serializer.is_valid(raise_exception=True)

    fresh = job_submit(workspace=workspace, submission=JobSubmission(
        kind="product_description", brand="nordic-home", locales=["en-US"], model="auto",
        items=[ItemInputSerializer().to_item(serializer.validated_data)], fresh=True))

    assert fresh.items.get().status == JobItem.Status.PENDING
    assert fresh.items_cached == 0


def test_the_cache_never_crosses_workspaces(workspace, other_workspace, brand, sim):
    first = submit(workspace, items=[product(1)], locales=["en"])
    item_generate(item_id=first.items.get().pk)
    brand_create(workspace=other_workspace, **BRAND_FIELDS)

    other = submit(other_workspace, items=[product(1)], locales=["en"])

    assert other.items.get().from_cache is False


def test_provider_reported_cost_is_stored_beside_ours(api, workspace, brand, sim):
    httpx.post(sim.url + "/_sim/config",
               json={"report_cost": {"input_per_m": 0.9, "output_per_m": 0.9}})
    job = submit(workspace, items=[product(1)], locales=["en"])
    item = job.items.get()

    item_generate(item_id=item.pk)

    item.refresh_from_db()
    expected = (Decimal(item.input_tokens + item.output_tokens) * Decimal("0.9")
                / Decimal(1_000_000))
    assert abs(item.provider_cost_usd - expected) < Decimal("0.00000001")
    assert item.cost_usd == catalog_get()["hermes-3-405b"].cost_usd(item.input_tokens,
                                                                     item.output_tokens)
    shown = api.get(f"/api/v1/jobs/{job.pk}/").json()["cost"]
    assert shown["provider_reported_usd"] == f"{item.provider_cost_usd:.8f}"
    assert WorkspaceMonthlySpend.objects.get(workspace=workspace).cost_usd == item.cost_usd
