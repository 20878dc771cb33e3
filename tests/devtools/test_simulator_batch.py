"""Specification of the simulator's Batch API (/v1/files, /v1/batches), through the real
openai SDK over real HTTP."""

from __future__ import annotations

import json
import time
from typing import Any

import openai
import pytest

from devtools.simulator import SimulatorServer, start_simulator
from devtools.simulator.server import BATCH_LINE_PATH

MODEL = "gpt-4o-mini"
DELAY_S = 0.3
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


def chat_body(name: str, locale: str = "en-US") -> dict[str, Any]:
    prompt = (
        f"Content kind: marketing_copy\nTarget locale: {locale}\n"
        f"<product_data>\n{json.dumps({'sku': name, 'name': name}, ensure_ascii=False)}\n"
        "</product_data>"
    )
    return {
        "model": MODEL,
        "messages": [
            {"role": "system", "content": "You write product content as JSON."},
            {"role": "user", "content": prompt},
        ],
        "max_tokens": 300,
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "marketing_copy", "schema": SCHEMA, "strict": True},
        },
    }


def input_line(custom_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions", "body": body}


def jsonl(records: list[Any]) -> bytes:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode()


def parsed_lines(content: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in content.decode().splitlines()]


@pytest.fixture(scope="module")
def simulator() -> SimulatorServer:
    """This module's own simulator, so these tests need nothing from Django's conftest."""
    running = start_simulator()
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def clean_simulator(simulator: SimulatorServer) -> None:
    simulator.reset()
    simulator.configure({"batch_delay_s": DELAY_S})


@pytest.fixture
def llm(simulator: SimulatorServer) -> openai.OpenAI:
    sdk = openai.OpenAI(base_url=simulator.base_url, api_key="x", max_retries=0, timeout=5)
    with sdk:
        yield sdk


def upload(llm: openai.OpenAI, content: bytes) -> Any:
    return llm.files.create(file=("requests.jsonl", content), purpose="batch")


def submit(llm: openai.OpenAI, records: list[Any], **kwargs: Any) -> Any:
    uploaded = upload(llm, jsonl(records))
    return llm.batches.create(input_file_id=uploaded.id, endpoint="/v1/chat/completions",
                              completion_window="24h", **kwargs)


def wait_until_done(llm: openai.OpenAI, batch_id: str) -> Any:
    deadline = time.monotonic() + 5
    while True:
        batch = llm.batches.retrieve(batch_id)
        if batch.status in ("completed", "failed", "cancelled", "expired"):
            return batch
        assert time.monotonic() < deadline, f"batch still {batch.status}"
        time.sleep(0.05)


def batch_line_requests(simulator: SimulatorServer) -> list[dict[str, Any]]:
    return [entry for entry in simulator.requests() if entry["path"] == BATCH_LINE_PATH]


# --- files ------------------------------------------------------------------------


def test_an_uploaded_file_is_described_and_returned_byte_for_byte(llm):
    # given a JSONL file with Cyrillic text and CRLF line ends
    content = jsonl([input_line("a", chat_body("Лампа", "ru-RU"))]).replace(b"\n", b"\r\n")

    # when it is uploaded
    uploaded = llm.files.create(file=("lamps.jsonl", content), purpose="batch")

    # then it is a processed batch file of that size, and its content is what was sent
    assert uploaded.id.startswith("file-sim-")
    assert (uploaded.object, uploaded.purpose, uploaded.status) == ("file", "batch", "processed")
    assert uploaded.filename == "lamps.jsonl"
    assert uploaded.bytes == len(content)
    assert llm.files.retrieve(uploaded.id) == uploaded
    assert llm.files.content(uploaded.id).content == content


def test_an_unknown_file_is_not_found(llm):
    with pytest.raises(openai.NotFoundError):
        llm.files.retrieve("file-missing")
    with pytest.raises(openai.NotFoundError):
        llm.files.content("file-missing")


def test_only_the_batch_purpose_is_accepted(simulator, llm):
    with pytest.raises(openai.BadRequestError) as raised:
        llm.files.create(file=("a.jsonl", b"{}\n"), purpose="fine-tune")

    assert raised.value.body["param"] == "purpose"
    assert [(entry["path"], entry["status"]) for entry in simulator.requests()] == [
        ("/v1/files", 400)
    ]


# --- a batch's life ---------------------------------------------------------------


def test_a_batch_validates_runs_and_completes_with_one_output_line_per_request(simulator, llm):
    # given three chat requests in one input file, and a batch delay of 0.5 s
    simulator.configure({"batch_delay_s": 0.5})
    names = ["Lamp", "Desk", "Chair"]
    records = [input_line(f"item-{n}", chat_body(name)) for n, name in enumerate(names)]

    # when the batch is created and retrieved over time
    created = submit(llm, records, metadata={"job": "42"})
    seen_first = llm.batches.retrieve(created.id).status
    time.sleep(0.3)
    seen_midway = llm.batches.retrieve(created.id).status
    time.sleep(0.3)
    done = llm.batches.retrieve(created.id)

    # then it moved validating -> in_progress -> completed
    assert created.id.startswith("batch-sim-")
    assert (created.status, seen_first, seen_midway, done.status) == (
        "validating", "validating", "in_progress", "completed")
    assert created.metadata == {"job": "42"}
    assert (created.output_file_id, created.error_file_id, created.errors) == (None, None, None)
    assert done.error_file_id is None
    assert (done.request_counts.total, done.request_counts.completed,
            done.request_counts.failed) == (3, 3, 0)
    assert done.in_progress_at is not None and done.completed_at is not None

    # and the output file answers every custom_id with a chat.completion
    output = parsed_lines(llm.files.content(done.output_file_id).content)
    assert [line["custom_id"] for line in output] == ["item-0", "item-1", "item-2"]
    for line, name in zip(output, names, strict=True):
        assert line["id"].startswith("batch_req_")
        assert line["error"] is None
        assert line["response"]["status_code"] == 200
        assert line["response"]["request_id"].startswith("req_sim_")
        body = line["response"]["body"]
        assert body["object"] == "chat.completion"
        assert body["model"] == MODEL
        assert body["choices"][0]["finish_reason"] == "stop"
        content = json.loads(body["choices"][0]["message"]["content"])
        assert set(content) == {"headline", "body", "call_to_action"}
        assert name in content["headline"]
        assert body["usage"]["prompt_tokens"] > 0 and body["usage"]["completion_tokens"] > 0


def test_lines_are_answered_once_however_often_the_batch_is_retrieved(simulator, llm):
    # given a completed batch of two lines
    created = submit(llm, [input_line("a", chat_body("Lamp")), input_line("b", chat_body("Desk"))])
    done = wait_until_done(llm, created.id)

    # when it is retrieved again
    again = llm.batches.retrieve(created.id)

    # then the same output file is reported, and the model answered each line once
    assert again.output_file_id == done.output_file_id
    assert again.request_counts == done.request_counts
    logged = batch_line_requests(simulator)
    assert [(entry["model"], entry["status"]) for entry in logged] == [(MODEL, 200), (MODEL, 200)]
    assert logged[0]["body"] == chat_body("Lamp")


def test_every_files_and_batches_call_is_in_the_request_log(simulator, llm):
    created = submit(llm, [input_line("a", chat_body("Lamp"))])
    done = wait_until_done(llm, created.id)
    llm.files.content(done.output_file_id)

    paths = [entry["path"] for entry in simulator.requests()]
    batch_path = f"/v1/batches/{created.id}"
    # The polls before completion vary with timing; the rest is exact.
    assert paths[:2] == ["/v1/files", "/v1/batches"]
    assert paths[-3:] == [batch_path, BATCH_LINE_PATH, f"/v1/files/{done.output_file_id}/content"]
    assert set(paths[2:-2]) == {batch_path}
    assert simulator.requests()[1]["body"]["input_file_id"] == created.input_file_id


# --- faults per line --------------------------------------------------------------


def test_a_scripted_fault_is_consumed_by_the_first_line_and_lands_in_the_error_file(
    simulator, llm
):
    # given a scripted 500 (for any model) and a batch of three lines
    simulator.script([{"status": 500, "message": "upstream exploded"}])
    records = [input_line(f"item-{n}", chat_body(name)) for n, name in enumerate(["A", "B", "C"])]

    # when the batch completes
    done = wait_until_done(llm, submit(llm, records).id)

    # then the first line (input order) got the 500, in the error file; the others succeeded
    assert (done.request_counts.total, done.request_counts.completed,
            done.request_counts.failed) == (3, 2, 1)
    errors = parsed_lines(llm.files.content(done.error_file_id).content)
    assert len(errors) == 1
    assert errors[0]["custom_id"] == "item-0"
    assert errors[0]["error"] is None
    assert errors[0]["response"]["status_code"] == 500
    assert errors[0]["response"]["body"] == {"error": {
        "message": "upstream exploded", "type": "server_error", "param": None,
        "code": "server_error"}}
    output = parsed_lines(llm.files.content(done.output_file_id).content)
    assert [line["custom_id"] for line in output] == ["item-1", "item-2"]
    assert [entry["status"] for entry in batch_line_requests(simulator)] == [500, 200, 200]


def test_config_faults_apply_to_every_line(simulator, llm):
    # given every answer of the model cut off by length
    simulator.configure({"default": {"length_rate": 1.0}})

    # when a batch of two lines completes
    done = wait_until_done(llm, submit(
        llm, [input_line("a", chat_body("Lamp")), input_line("b", chat_body("Desk"))]).id)

    # then both are answered (HTTP 200) with finish_reason "length"
    output = parsed_lines(llm.files.content(done.output_file_id).content)
    assert [line["response"]["body"]["choices"][0]["finish_reason"] for line in output] == [
        "length", "length"]
    assert done.error_file_id is None


def test_a_line_that_would_time_out_gets_an_error_without_a_response_at_once(simulator, llm):
    # given a scripted timeout of 30 s
    simulator.script([{"timeout": True, "sleep_s": 30}])

    # when a batch of one line completes
    started = time.monotonic()
    done = wait_until_done(llm, submit(llm, [input_line("slow", chat_body("Lamp"))]).id)

    # then nobody waited the 30 s, and the line is an error without a response
    assert time.monotonic() - started < 5
    assert done.output_file_id is None
    errors = parsed_lines(llm.files.content(done.error_file_id).content)
    assert [(line["custom_id"], line["response"], line["error"]["code"]) for line in errors] == [
        ("slow", None, "request_timeout")]


# --- cancel -----------------------------------------------------------------------


def test_a_batch_cancelled_before_it_completes_is_never_answered(simulator, llm):
    created = submit(llm, [input_line("a", chat_body("Lamp"))])

    cancelled = llm.batches.cancel(created.id)
    time.sleep(DELAY_S + 0.1)
    later = llm.batches.retrieve(created.id)

    assert cancelled.status == "cancelled"
    assert cancelled.cancelled_at is not None
    assert (later.status, later.output_file_id, later.error_file_id) == ("cancelled", None, None)
    assert batch_line_requests(simulator) == []


def test_a_completed_batch_cannot_be_cancelled(llm):
    done = wait_until_done(llm, submit(llm, [input_line("a", chat_body("Lamp"))]).id)

    with pytest.raises(openai.ConflictError):
        llm.batches.cancel(done.id)

    assert llm.batches.retrieve(done.id).status == "completed"


# --- bad input --------------------------------------------------------------------


def test_an_input_file_with_a_broken_line_fails_the_batch_with_its_errors(simulator, llm):
    # given an input file whose second line is not JSON and whose third has the wrong url
    content = (
        jsonl([input_line("a", chat_body("Lamp"))])
        + b"{not json\n"
        + jsonl([{**input_line("c", chat_body("Desk")), "url": "/v1/embeddings"}])
    )
    uploaded = upload(llm, content)

    # when a batch is created from it
    created = llm.batches.create(input_file_id=uploaded.id, endpoint="/v1/chat/completions",
                                 completion_window="24h")
    done = wait_until_done(llm, created.id)

    # then it validates first, then fails listing both lines; no line was answered
    assert created.status == "validating"
    assert done.status == "failed"
    assert done.failed_at is not None
    assert [(error.line, error.code) for error in done.errors.data] == [
        (2, "invalid_json_line"), (3, "invalid_url")]
    assert (done.output_file_id, done.error_file_id) == (None, None)
    assert batch_line_requests(simulator) == []


def test_an_unknown_input_file_is_rejected_at_once(simulator, llm):
    with pytest.raises(openai.BadRequestError) as raised:
        llm.batches.create(input_file_id="file-missing", endpoint="/v1/chat/completions",
                           completion_window="24h")

    assert raised.value.body["param"] == "input_file_id"
    assert [(entry["path"], entry["status"]) for entry in simulator.requests()] == [
        ("/v1/batches", 400)]


def test_only_the_chat_completions_endpoint_is_simulated(llm):
    uploaded = upload(llm, jsonl([input_line("a", chat_body("Lamp"))]))

    with pytest.raises(openai.BadRequestError) as raised:
        llm.batches.create(input_file_id=uploaded.id, endpoint="/v1/embeddings",
                           completion_window="24h")

    assert raised.value.body["param"] == "endpoint"


def test_an_unknown_batch_is_not_found(llm):
    with pytest.raises(openai.NotFoundError):
        llm.batches.retrieve("batch-missing")
