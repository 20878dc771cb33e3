"""Specification of the client's Batch API section (batch_submit, batch_poll), against the
simulator over real HTTP.

The simulator answers a batch's lines in input order on the first poll after its delay,
each exactly like a live chat call: a scripted entry queued before that poll is consumed
by the first line(s), so a script of one entry hits the first line of the batch.
"""

import json
import time
from dataclasses import replace
from decimal import Decimal

import httpx
import pytest

from apps.generation.catalog import ModelSpec
from apps.generation.client import (
    AnswerRejected,
    BatchLine,
    BatchOutcome,
    BatchStatus,
    LLMRequest,
    LLMResult,
    LLMUsage,
    PermanentLLMError,
    TransientLLMError,
    batch_poll,
    batch_submit,
)

BATCH_LINE_PATH = "/v1/chat/completions (batch)"
SYSTEM_PROMPT = "You write marketing copy as JSON."
SCHEMA = {
    "type": "object",
    "properties": {
        "headline": {"type": "string"},
        "body": {"type": "string"},
        "call_to_action": {"type": "string"},
    },
    "required": ["headline", "body", "call_to_action"],
    "additionalProperties": False,
}


def route_to(base_url: str) -> ModelSpec:
    return ModelSpec(
        key="gpt-4o-mini", display_name="GPT-4o-mini", provider_model="gpt-4o-mini",
        base_url=base_url, context_tokens=128000, input_usd_per_mtok=Decimal("0.15"),
        output_usd_per_mtok=Decimal("0.60"), supports_images=True,
        structured_output="json_schema", api_key="test",
    )


def request_for(route: ModelSpec, sku: str, name: str) -> LLMRequest:
    product = json.dumps({"sku": sku, "name": name})
    user = (f"Content kind: marketing_copy\nTarget locale: en-US\n"
            f"<product_data>\n{product}\n</product_data>")
    return LLMRequest(
        route=route,
        messages=[{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}],
        kind="marketing_copy", json_schema=SCHEMA, max_output_tokens=300,
    )


def lines_for(route: ModelSpec, names: dict[str, str]) -> list[BatchLine]:
    return [BatchLine(custom_id=sku, request=request_for(route, sku, name))
            for sku, name in names.items()]


def poll_until_done(route: ModelSpec, batch_id: str) -> BatchStatus:
    deadline = time.monotonic() + 5
    while True:
        status = batch_poll(route, batch_id)
        if status.status in ("completed", "failed", "expired", "cancelled"):
            return status
        assert time.monotonic() < deadline, f"batch still {status.status}"
        time.sleep(0.05)


def by_custom_id(status: BatchStatus) -> dict[str, BatchOutcome]:
    return {outcome.custom_id: outcome for outcome in status.outcomes}


def logged(sim, path: str) -> list[dict]:
    return [entry for entry in sim.requests() if entry["path"] == path]


@pytest.fixture
def route(sim) -> ModelSpec:
    httpx.post(f"{sim.url}/_sim/config", json={"batch_delay_s": 0.3}).raise_for_status()
    return route_to(sim.base_url)


THREE = {"A": "Lamp", "B": "Desk", "C": "Chair"}


def test_a_batch_of_three_lines_completes_with_three_parsed_results(sim, route):
    # given three marketing-copy requests
    batch_id = batch_submit(route, lines_for(route, THREE), metadata={"job": "7"})

    # when the batch is polled until it completes
    status = poll_until_done(route, batch_id)

    # then each custom_id has a result whose text is the schema's JSON, with usage
    assert status.batch_id == batch_id
    assert status.status == "completed"
    assert status.errors == ()
    outcomes = by_custom_id(status)
    assert sorted(outcomes) == ["A", "B", "C"]
    for sku, name in THREE.items():
        outcome = outcomes[sku]
        assert outcome.error is None
        result = outcome.result
        assert isinstance(result, LLMResult)
        content = json.loads(result.text)
        assert set(content) == {"headline", "body", "call_to_action"}
        assert name in content["headline"]
        assert (result.model, result.provider_model) == ("gpt-4o-mini", "gpt-4o-mini")
        assert result.finish_reason == "stop"
        assert result.request_id.startswith("chatcmpl-sim-")
        assert result.latency_ms == 0
        assert result.usage.input_tokens > 0 and result.usage.output_tokens > 0
        assert result.usage.provider_cost_usd is None


def test_each_line_carries_the_parameters_complete_sends(sim, route):
    # given one line, submitted with metadata
    request = request_for(route, "A", "Lamp")
    batch_id = batch_submit(route, [BatchLine(custom_id="A", request=request)],
                            metadata={"job": "7"})

    # when it completes
    poll_until_done(route, batch_id)

    # then the model got complete()'s parameters, and the batch is a 24h chat batch
    [line] = logged(sim, BATCH_LINE_PATH)
    assert line["body"] == {
        "model": "gpt-4o-mini",
        "messages": request.messages,
        "max_tokens": 300,
        "temperature": 0.7,
        "response_format": {"type": "json_schema", "json_schema": {
            "name": "marketing_copy", "schema": SCHEMA, "strict": True}},
    }
    [created] = logged(sim, "/v1/batches")
    assert created["body"]["endpoint"] == "/v1/chat/completions"
    assert created["body"]["completion_window"] == "24h"
    assert created["body"]["metadata"] == {"job": "7"}


def test_a_batch_still_running_has_no_outcomes_and_no_model_work(sim, route):
    batch_id = batch_submit(route, lines_for(route, THREE))

    status = batch_poll(route, batch_id)

    assert status == BatchStatus(batch_id=batch_id, status="validating", outcomes=[])
    assert logged(sim, BATCH_LINE_PATH) == []


def test_a_scripted_500_makes_the_first_line_a_transient_error(sim, route):
    # given one scripted 500 for any model: the batch's first line consumes it
    httpx.post(f"{sim.url}/_sim/script",
               json={"model": "*", "responses": [{"status": 500}]}).raise_for_status()

    # when a batch of three completes
    status = poll_until_done(route, batch_submit(route, lines_for(route, THREE)))

    # then line A failed transiently, unbilled; B and C have results; the model ran three times
    outcomes = by_custom_id(status)
    failed = outcomes["A"]
    assert failed.result is None
    assert isinstance(failed.error, TransientLLMError)
    assert failed.error.status == 500
    assert failed.error.reason == "HTTP 500: Internal Server Error"
    assert failed.error.usage == LLMUsage()
    assert [sku for sku, outcome in outcomes.items() if outcome.result is not None] == ["B", "C"]
    assert [entry["status"] for entry in logged(sim, BATCH_LINE_PATH)] == [500, 200, 200]


def test_a_line_cut_off_by_length_is_rejected_with_its_billed_usage(sim, route):
    httpx.post(f"{sim.url}/_sim/script",
               json={"model": "*", "responses": [{"finish_reason": "length"}]}).raise_for_status()

    status = poll_until_done(route, batch_submit(route, lines_for(route, THREE)))

    rejected = by_custom_id(status)["A"]
    assert rejected.result is None
    assert isinstance(rejected.error, AnswerRejected)
    assert rejected.error.reason == "finish_reason 'length'"
    assert rejected.error.usage.input_tokens > 0 and rejected.error.usage.output_tokens > 0
    assert by_custom_id(status)["B"].error is None


def test_an_empty_answer_is_rejected(sim, route):
    httpx.post(f"{sim.url}/_sim/script",
               json={"model": "*", "responses": [{"content": "  "}]}).raise_for_status()

    status = poll_until_done(route, batch_submit(route, lines_for(route, {"A": "Lamp"})))

    [outcome] = status.outcomes
    assert isinstance(outcome.error, AnswerRejected)
    assert outcome.error.reason == "empty answer"


def test_an_upstream_error_inside_a_200_is_transient_with_its_usage(sim, route):
    httpx.post(f"{sim.url}/_sim/script",
               json={"model": "*", "responses": [{"error_in_200": True}]}).raise_for_status()

    status = poll_until_done(route, batch_submit(route, lines_for(route, {"A": "Lamp"})))

    [outcome] = status.outcomes
    assert isinstance(outcome.error, TransientLLMError)
    assert outcome.error.reason.startswith("upstream error: ")


def test_a_line_that_was_never_answered_is_transient(sim, route):
    # given a line that would time out: the batch writes it without a response
    httpx.post(f"{sim.url}/_sim/script",
               json={"model": "*", "responses": [{"timeout": True}]}).raise_for_status()

    status = poll_until_done(route, batch_submit(route, lines_for(route, {"A": "Lamp"})))

    [outcome] = status.outcomes
    assert isinstance(outcome.error, TransientLLMError)
    assert outcome.error.reason.startswith("batch line not answered: request_timeout: ")


def test_polling_an_unknown_batch_is_a_permanent_error(sim, route):
    with pytest.raises(PermanentLLMError) as raised:
        batch_poll(route, "batch-missing")

    assert raised.value.reason.startswith("HTTP 404: ")
    assert [entry["path"] for entry in sim.requests()] == ["/v1/batches/batch-missing"]


def test_an_unreachable_endpoint_is_a_transient_error():
    route = route_to("http://127.0.0.1:9/v1")  # the discard port: nothing listens

    with pytest.raises(TransientLLMError) as raised:
        batch_submit(route, lines_for(route, {"A": "Lamp"}))

    assert raised.value.reason == "connection error"


def test_duplicate_custom_ids_are_refused_before_anything_is_uploaded(sim, route):
    lines = [BatchLine("A", request_for(route, "A", "Lamp")),
             BatchLine("A", request_for(route, "A", "Desk"))]

    with pytest.raises(ValueError, match="unique"):
        batch_submit(route, lines)

    assert sim.requests() == []


def test_a_line_for_another_route_is_refused(sim, route):
    other = replace(route, key="hermes-3-405b")

    with pytest.raises(ValueError, match="batch's route"):
        batch_submit(route, [BatchLine("A", request_for(other, "A", "Lamp"))])

    assert sim.requests() == []
