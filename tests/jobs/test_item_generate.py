"""The item state machine, run in-process against the simulator over real HTTP."""

import math

import pytest

from apps.generation.catalog import catalog_get
from apps.jobs.domain import RetryLater
from apps.jobs.models import GenerationAttempt, JobItem
from apps.jobs.services import item_generate
from tests.conftest import product, script, sim_requests, submit

pytestmark = pytest.mark.usefixtures("catalog_on_simulator")


def test_item_is_generated_billed_and_finishes_the_job(workspace, brand, sim):
    job = submit(workspace, items=[product(1)], locales=["es"])
    item = job.items.get()

    item_generate(item_id=item.pk)

    item.refresh_from_db()
    job.refresh_from_db()
    request = sim_requests(sim)[0]
    assert request["model"] == "nousresearch/hermes-3-llama-3.1-405b"
    assert request["authorization"] is True
    assert "Target locale: es" in request["body"]["messages"][1]["content"]
    assert item.status == JobItem.Status.SUCCEEDED
    assert item.model_used == "hermes-3-405b"
    assert set(item.content) == {"title", "short_description", "description", "bullets",
                                 "meta_description"}
    assert "Oak desk lamp 1" in item.content["title"]
    # Usage is the simulator's: prompt characters / 4 and answer characters / 4.
    prompt_chars = sum(len(m["content"]) for m in request["body"]["messages"])
    assert item.input_tokens == math.ceil(prompt_chars / 4)
    expected_cost = catalog_get()["hermes-3-405b"].cost_usd(item.input_tokens, item.output_tokens)
    assert item.cost_usd == expected_cost > 0
    assert (job.status, job.items_succeeded, job.items_failed) == ("succeeded", 1, 0)
    assert job.actual_cost_usd == expected_cost
    assert (job.input_tokens, job.output_tokens) == (item.input_tokens, item.output_tokens)
    assert job.finished_at is not None


def test_second_delivery_of_a_claimed_item_does_nothing(workspace, brand, sim):
    job = submit(workspace, items=[product(1)])
    item = job.items.get()
    item_generate(item_id=item.pk)

    item_generate(item_id=item.pk)

    assert len(sim_requests(sim)) == 1
    assert GenerationAttempt.objects.filter(item=item).count() == 1
    job.refresh_from_db()
    assert job.items_succeeded == 1


def test_invalid_output_is_regenerated_and_every_attempt_is_billed(workspace, brand, sim):
    script(sim, {"malformed": True})
    job = submit(workspace, items=[product(1)])
    item = job.items.get()

    item_generate(item_id=item.pk)

    item.refresh_from_db()
    attempts = list(item.generation_attempts.order_by("pk"))
    assert [a.outcome for a in attempts] == ["invalid_output", "ok"]
    assert item.status == JobItem.Status.SUCCEEDED
    assert item.cost_usd == sum(a.cost_usd for a in attempts)
    assert attempts[0].cost_usd > 0
    second_prompt = sim_requests(sim)[1]["body"]["messages"][1]["content"]
    assert "Your previous answer was rejected: not valid JSON" in second_prompt


def test_item_fails_after_bounded_regenerations(workspace, brand, sim):
    workspace.max_regenerations = 1
    workspace.save()
    script(sim, {"schema_break": True}, {"malformed": True})
    job = submit(workspace, items=[product(1)])
    item = job.items.get()

    item_generate(item_id=item.pk)

    item.refresh_from_db()
    job.refresh_from_db()
    assert item.status == JobItem.Status.FAILED
    assert item.error.startswith("no valid output after 2 tries")
    assert item.content is None
    assert len(sim_requests(sim)) == 2
    assert (job.status, job.items_failed) == ("failed", 1)
    assert job.actual_cost_usd == item.cost_usd > 0


def test_rate_limit_releases_the_item_and_honours_retry_after(workspace, brand, sim):
    script(sim, {"status": 429, "retry_after": 7})
    job = submit(workspace, items=[product(1)])
    item = job.items.get()

    with pytest.raises(RetryLater) as caught:
        item_generate(item_id=item.pk)

    assert caught.value.countdown == 7
    item.refresh_from_db()
    assert (item.status, item.attempts) == (JobItem.Status.PENDING, 1)
    assert "HTTP 429" in item.error
    item_generate(item_id=item.pk)  # the retry
    item.refresh_from_db()
    assert (item.status, item.attempts, item.error) == (JobItem.Status.SUCCEEDED, 2, "")
    assert list(item.generation_attempts.values_list("outcome", flat=True)) == [
        "transient_error", "ok"]


def test_transient_failures_stop_at_the_attempt_bound(workspace, brand, sim, settings):
    settings.GENERATION_MAX_ATTEMPTS = 2
    job = submit(workspace, items=[product(1), product(2)])
    first, second = job.items.order_by("position")
    item_generate(item_id=second.pk)
    script(sim, {"status": 503}, {"status": 503})

    with pytest.raises(RetryLater):
        item_generate(item_id=first.pk)
    item_generate(item_id=first.pk)

    first.refresh_from_db()
    job.refresh_from_db()
    assert first.status == JobItem.Status.FAILED
    assert first.error.startswith("gave up after 2 attempts: HTTP 503")
    assert (job.status, job.items_succeeded, job.items_failed) == ("partially_succeeded", 1, 1)


def test_permanent_error_fails_the_item_at_once(workspace, brand, sim):
    script(sim, {"status": 400})
    job = submit(workspace, items=[product(1)])
    item = job.items.get()

    item_generate(item_id=item.pk)

    item.refresh_from_db()
    assert item.status == JobItem.Status.FAILED
    assert item.error.startswith("HTTP 400")
    assert len(sim_requests(sim)) == 1


@pytest.mark.parametrize("answer, reason", [
    ({"finish_reason": "length"}, "finish_reason 'length'"),
    ({"empty_choices": True}, "answer without choices"),
    ({"error_in_200": True}, "upstream error"),
])
def test_bad_200_answers_are_failures_not_content(workspace, brand, sim, answer, reason):
    script(sim, answer)
    job = submit(workspace, items=[product(1)])
    item = job.items.get()

    try:
        item_generate(item_id=item.pk)
    except RetryLater:
        item_generate(item_id=item.pk)

    item.refresh_from_db()
    first_attempt = item.generation_attempts.order_by("pk").first()
    assert reason in first_attempt.error
    assert first_attempt.outcome != "ok"
    assert item.status == JobItem.Status.SUCCEEDED  # the next answer was good


def test_image_item_goes_to_gpt4o_mini_with_image_parts(workspace, brand, sim):
    job = submit(workspace, items=[product(1, image_urls=["https://img.example/lamp.jpg"])])
    item = job.items.get()

    item_generate(item_id=item.pk)

    request = sim_requests(sim)[0]
    assert request["model"] == "gpt-4o-mini"
    parts = request["body"]["messages"][1]["content"]
    assert parts[1] == {"type": "image_url",
                        "image_url": {"url": "https://img.example/lamp.jpg", "detail": "low"}}
    assert request["body"]["response_format"]["type"] == "json_schema"
    item.refresh_from_db()
    assert item.model_used == "gpt-4o-mini"
    assert item.cost_usd == catalog_get()["gpt-4o-mini"].cost_usd(item.input_tokens,
                                                                   item.output_tokens)


def test_marketing_copy_has_its_own_fields(workspace, brand, sim):
    job = submit(workspace, items=[product(1)], kind="marketing_copy", locales=["ru"])
    item = job.items.get()

    item_generate(item_id=item.pk)

    item.refresh_from_db()
    assert set(item.content) == {"headline", "body", "call_to_action"}
    assert any("\u0400" <= ch <= "\u04ff" for ch in item.content["body"])


def test_hermes_route_sends_json_object_and_schema_in_the_prompt(workspace, brand, sim):
    job = submit(workspace, items=[product(1)])

    item_generate(item_id=job.items.get().pk)

    body = sim_requests(sim)[0]["body"]
    assert body["response_format"] == {"type": "json_object"}
    assert '"required": ["title", "short_description"' in body["messages"][0]["content"]
