"""Specification of the LLM simulator, through the real openai SDK over real HTTP."""

from __future__ import annotations

import http.client
import json
import math
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import openai
import pytest

from devtools.simulator import SimulatorServer, start_simulator
from devtools.simulator.content import generate_content, read_prompt
from devtools.simulator.server import go_duration

REPO_ROOT = Path(__file__).resolve().parents[2]
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
SPANISH_MARKS = re.compile(r"[áéíóúñ¿¡]")
PRODUCT_FIELDS = {"title", "short_description", "description", "bullets", "meta_description"}
DEFAULT_MODEL = "gpt-4o-mini"


def product_prompt(
    locale: str = "ru-RU",
    kind: str = "product_description",
    name: str = "Aurora Mug",
    sku: str = "MUG-001",
) -> str:
    data = {
        "sku": sku,
        "name": name,
        "brief": "A ceramic mug that keeps coffee warm.",
        "attributes": {"color": "blue", "volume_ml": 350},
        "price": "12.99 EUR",
    }
    return (
        f"Content kind: {kind}\nTarget locale: {locale}\n"
        f"<product_data>\n{json.dumps(data)}\n</product_data>"
    )


def user_messages(text: str) -> list[dict[str, Any]]:
    return [
        {"role": "system", "content": "You write product content as JSON."},
        {"role": "user", "content": text},
    ]


def http_json(
    method: str, url: str, body: Any = None, raw: bytes | None = None
) -> tuple[int, dict[str, Any]]:
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture(scope="module")
def simulator() -> SimulatorServer:
    """This module's own simulator, so these tests need nothing from Django's conftest."""
    running = start_simulator()
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def clean_simulator(simulator: SimulatorServer) -> None:
    simulator.reset()


@pytest.fixture
def llm(simulator: SimulatorServer) -> openai.OpenAI:
    sdk = openai.OpenAI(base_url=simulator.base_url, api_key="test", max_retries=0, timeout=5)
    with sdk:
        yield sdk


def ask(
    llm: openai.OpenAI, text: str | None = None, model: str = DEFAULT_MODEL, **kwargs: Any
) -> Any:
    messages = user_messages(text if text is not None else product_prompt())
    return llm.chat.completions.create(model=model, messages=messages, **kwargs)


# --- normal answers ---------------------------------------------------------------


def test_product_description_in_russian_has_all_fields_in_cyrillic(llm):
    # given a Russian product prompt
    # when the model is asked
    completion = ask(llm, product_prompt(locale="ru-RU", name="Aurora Mug"))

    # then the content is a JSON object with the five fields, in Russian, naming the product
    content = json.loads(completion.choices[0].message.content)
    assert set(content) == PRODUCT_FIELDS
    assert completion.choices[0].finish_reason == "stop"
    assert completion.id.startswith("chatcmpl-sim-")
    assert completion.model == DEFAULT_MODEL
    assert "Aurora Mug" in content["title"]
    assert "Aurora Mug" in content["description"]
    assert len(content["bullets"]) == 3
    for text in [content["description"], content["meta_description"], *content["bullets"]]:
        assert CYRILLIC.search(text)
    assert content["description"].count(".") >= 4


def test_the_same_sku_and_locale_give_the_same_content(llm):
    # given two identical requests
    first = ask(llm, product_prompt(locale="es-MX"))
    second = ask(llm, product_prompt(locale="es-MX"))

    # then the content is identical (deterministic), and Spanish
    assert first.choices[0].message.content == second.choices[0].message.content
    assert SPANISH_MARKS.search(json.loads(first.choices[0].message.content)["description"])


def test_marketing_copy_has_headline_body_and_call_to_action(llm):
    completion = ask(llm, product_prompt(locale="es", kind="marketing_copy", name="Sol Lamp"))

    content = json.loads(completion.choices[0].message.content)
    assert set(content) == {"headline", "body", "call_to_action"}
    assert "Sol Lamp" in content["headline"]
    assert "Sol Lamp" in content["body"]


def test_usage_follows_the_token_formula_with_image_parts(llm):
    # given a prompt with two text parts and one image part
    text = product_prompt(locale="en")
    messages = [
        {"role": "system", "content": "You write product content as JSON."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": text},
                {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
            ],
        },
    ]

    # when the model is asked
    completion = llm.chat.completions.create(model=DEFAULT_MODEL, messages=messages)

    # then the usage is ceil(chars / 4) + 85 per image, and ceil(len(content) / 4)
    text_chars = len("You write product content as JSON.") + len(text)
    content = completion.choices[0].message.content
    assert completion.usage.prompt_tokens == math.ceil(text_chars / 4) + 85
    assert completion.usage.completion_tokens == math.ceil(len(content) / 4)
    assert completion.usage.total_tokens == (
        completion.usage.prompt_tokens + completion.usage.completion_tokens
    )


def test_report_cost_adds_the_openrouter_cost_to_usage(simulator, llm):
    simulator.configure({"report_cost": {"input_per_m": 1.0, "output_per_m": 0.3}})

    completion = ask(llm, model="nousresearch/hermes-3-llama-3.1-405b")

    usage = completion.usage
    expected = usage.prompt_tokens * 1.0 / 1e6 + usage.completion_tokens * 0.3 / 1e6
    assert usage.model_extra["cost"] == pytest.approx(expected)


def test_json_schema_lengths_and_item_counts_are_respected(llm):
    # given a json_schema response format with tight bounds
    schema = {
        "type": "object",
        "properties": {
            "title": {"type": "string", "maxLength": 25},
            "description": {"type": "string", "minLength": 900, "maxLength": 1000},
            "bullets": {
                "type": "array",
                "items": {"type": "string", "maxLength": 20},
                "minItems": 5,
                "maxItems": 5,
            },
        },
        "required": ["title", "description", "bullets"],
        "additionalProperties": False,
    }
    response_format = {
        "type": "json_schema",
        "json_schema": {"name": "product", "schema": schema, "strict": True},
    }

    # when the model is asked
    completion = ask(llm, product_prompt(locale="es"), response_format=response_format)

    # then exactly the schema's properties come back, within every bound
    content = json.loads(completion.choices[0].message.content)
    assert set(content) == {"title", "description", "bullets"}
    assert 0 < len(content["title"]) <= 25
    assert 900 <= len(content["description"]) <= 1000
    assert len(content["bullets"]) == 5
    assert all(0 < len(item) <= 20 for item in content["bullets"])


def test_json_object_with_schema_llama_cpp_style_is_honoured(llm):
    schema = {"type": "object", "properties": {"headline": {"type": "string", "maxLength": 40}}}

    completion = ask(llm, response_format={"type": "json_object", "schema": schema})

    content = json.loads(completion.choices[0].message.content)
    assert list(content) == ["headline"]
    assert len(content["headline"]) <= 40


# --- rate limits and errors -------------------------------------------------------


def test_scripted_429_carries_retry_after_and_the_next_call_succeeds(simulator, llm):
    # given one scripted 429
    simulator.script([{"status": 429, "retry_after": 2}])

    # when the model is asked twice
    with pytest.raises(openai.RateLimitError) as raised:
        ask(llm)
    completion = ask(llm)

    # then the first carries Retry-After 2 and the second is a normal answer
    assert raised.value.status_code == 429
    assert raised.value.response.headers["retry-after"] == "2"
    assert raised.value.body["code"] == "rate_limit_exceeded"
    assert json.loads(completion.choices[0].message.content)["title"]


def test_script_for_one_model_does_not_touch_another(simulator, llm):
    simulator.script([{"status": 500}], model="nousresearch/hermes-3-llama-3.1-405b")

    completion = ask(llm, model=DEFAULT_MODEL)

    assert completion.choices[0].finish_reason == "stop"
    with pytest.raises(openai.InternalServerError):
        ask(llm, model="nousresearch/hermes-3-llama-3.1-405b")


def test_rpm_limit_gives_two_answers_then_429(simulator, llm):
    # given a limit of two requests per minute for the model
    simulator.configure({"models": {DEFAULT_MODEL: {"rpm_limit": 2}}})

    # when three requests arrive
    ask(llm)
    ask(llm)
    with pytest.raises(openai.RateLimitError) as raised:
        ask(llm)

    # then the third waits for the oldest request to leave the 60 s window
    assert 1 <= int(raised.value.response.headers["retry-after"]) <= 60
    assert [entry["status"] for entry in simulator.requests()] == [200, 200, 429]
    # and another model is not limited
    assert ask(llm, model="nousresearch/hermes-3-llama-3.1-405b").choices


def test_rpm_window_slides(simulator, llm):
    simulator.configure({"default": {"rpm_limit": 1, "window_s": 0.3}})
    ask(llm)
    with pytest.raises(openai.RateLimitError):
        ask(llm)

    time.sleep(0.35)

    assert ask(llm).choices[0].finish_reason == "stop"


def test_tpm_limit_counts_prompt_and_max_tokens(simulator, llm):
    # given a token budget that fits one request with max_tokens 400
    prompt_tokens = math.ceil(
        (len("You write product content as JSON.") + len(product_prompt())) / 4
    )
    simulator.configure({"default": {"tpm_limit": prompt_tokens + 400}})

    # when two such requests arrive
    ask(llm, max_tokens=400)
    with pytest.raises(openai.RateLimitError) as raised:
        ask(llm, max_tokens=400)

    # then the second is refused as a token limit
    assert raised.value.body["type"] == "tokens"


def test_error_rate_one_answers_503(simulator, llm):
    simulator.configure({"default": {"error_rate": 1, "error_status": 503}})

    with pytest.raises(openai.InternalServerError) as raised:
        ask(llm)

    assert raised.value.status_code == 503
    assert raised.value.body["type"] == "server_error"


def test_timeout_makes_the_sdk_time_out(simulator):
    # given a scripted timeout longer than the client's patience
    simulator.script([{"timeout": True, "sleep_s": 0.5}])
    impatient = openai.OpenAI(
        base_url=simulator.base_url, api_key="test", max_retries=0, timeout=0.2
    )

    # when the model is asked, then the SDK gives up with a timeout
    with pytest.raises(openai.APITimeoutError):
        ask(impatient)
    impatient.close()


def test_timeout_closes_the_connection_without_an_answer(simulator):
    # given a scripted timeout shorter than the client's patience
    simulator.script([{"timeout": True, "sleep_s": 0.3}])
    connection = http.client.HTTPConnection("127.0.0.1", simulator.port, timeout=5)
    body = json.dumps({"model": DEFAULT_MODEL, "messages": user_messages("hi")})

    # when the request is sent
    connection.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})

    # then the server hangs up without a status line, and logs no status
    with pytest.raises(http.client.RemoteDisconnected):
        connection.getresponse()
    connection.close()
    assert simulator.requests()[0]["status"] is None
    assert simulator.stats()["by_model"][DEFAULT_MODEL]["status"] == {"timeout": 1}


def test_malformed_answer_is_not_json(simulator, llm):
    simulator.configure({"default": {"malformed_rate": 1}})

    content = ask(llm).choices[0].message.content

    assert content.startswith("Sure! Here is your description: ")
    with pytest.raises(json.JSONDecodeError):
        json.loads(content)


def test_schema_break_drops_exactly_one_required_field(simulator, llm):
    simulator.script([{"schema_break": True}])

    content = json.loads(ask(llm).choices[0].message.content)

    assert len(PRODUCT_FIELDS - set(content)) == 1


def test_wrong_language_script_answers_in_english(simulator, llm):
    # given a Russian prompt and a scripted wrong language
    simulator.script([{"wrong_language": "en"}])

    # when the model is asked
    content = json.loads(ask(llm, product_prompt(locale="ru-RU")).choices[0].message.content)

    # then the text is English, not Russian
    assert not CYRILLIC.search(content["description"])
    assert " the " in content["description"]
    assert "Aurora Mug" in content["title"]


def test_wrong_language_rate_uses_german_by_default(simulator, llm):
    simulator.configure({"default": {"wrong_language_rate": 1}})

    content = json.loads(ask(llm, product_prompt(locale="es")).choices[0].message.content)

    assert re.search(r"\b(und|Sie|die)\b", content["description"])


def test_length_finish_reason_cuts_the_content(simulator, llm):
    simulator.script([{"finish_reason": "length"}])

    choice = ask(llm).choices[0]

    assert choice.finish_reason == "length"
    with pytest.raises(json.JSONDecodeError):
        json.loads(choice.message.content)


def test_empty_choices_and_error_in_200(simulator):
    simulator.script([{"empty_choices": True}, {"error_in_200": True}])
    body = {"model": DEFAULT_MODEL, "messages": user_messages("hi")}

    empty = http_json("POST", simulator.base_url + "/chat/completions", body)
    upstream_error = http_json("POST", simulator.base_url + "/chat/completions", body)

    assert empty[0] == 200
    assert empty[1]["choices"] == []
    assert upstream_error == (200, {"error": {"message": "upstream error", "code": 502}})


def test_raw_content_latency_and_usage_override(simulator, llm):
    simulator.script(
        [{"content": "plain words", "latency_ms": 200, "usage": {"prompt_tokens": 7}}]
    )

    started = time.monotonic()
    completion = ask(llm)

    assert time.monotonic() - started >= 0.2
    assert completion.choices[0].message.content == "plain words"
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (7, 3)
    assert completion.usage.total_tokens == 10


# --- control and observation ------------------------------------------------------


def test_request_log_records_body_authorization_and_status(simulator, llm):
    # given a scripted 429 then a normal answer
    simulator.script([{"status": 429, "retry_after": 1}])

    # when two requests arrive with an API key, and one raw request without a key
    with pytest.raises(openai.RateLimitError):
        ask(llm, max_tokens=300)
    ask(llm, max_tokens=300)
    http_json("POST", simulator.base_url + "/chat/completions", {"model": "x", "messages": []})

    # then all three are logged in order, with the body, the key's presence and the status
    status, log = http_json("GET", simulator.url + "/_sim/requests")
    assert status == 200
    entries = log["requests"]
    assert [entry["seq"] for entry in entries] == [1, 2, 3]
    assert [entry["status"] for entry in entries] == [429, 200, 400]
    assert [entry["authorization"] for entry in entries] == [True, True, False]
    assert entries[1]["path"] == "/v1/chat/completions"
    assert entries[1]["model"] == DEFAULT_MODEL
    assert entries[1]["body"]["max_tokens"] == 300
    assert entries[1]["body"]["messages"] == user_messages(product_prompt())
    assert "test" not in json.dumps(entries)
    # and ?since filters by sequence number
    later = http_json("GET", simulator.url + "/_sim/requests?since=2")[1]["requests"]
    assert [entry["seq"] for entry in later] == [3]


def test_stats_count_by_model_and_status(simulator, llm):
    simulator.script([{"status": 502}])
    with pytest.raises(openai.InternalServerError):
        ask(llm)
    ask(llm)

    assert http_json("GET", simulator.url + "/_sim/stats") == (
        200,
        {
            "total": 2,
            "by_model": {DEFAULT_MODEL: {"requests": 2, "status": {"502": 1, "200": 1}}},
        },
    )


def test_config_endpoints_merge_replace_and_reset(simulator):
    merged = http_json("POST", simulator.url + "/_sim/config", {"default": {"latency_ms": 5}})
    merged = http_json("POST", simulator.url + "/_sim/config", {"default": {"rpm_limit": 3}})
    assert merged == (200, {"default": {"latency_ms": 5, "rpm_limit": 3}})

    replaced = http_json("PUT", simulator.url + "/_sim/config", {"seed": 7})
    assert replaced == (200, {"seed": 7})

    http_json("POST", simulator.url + "/_sim/script", {"responses": [{"status": 500}]})
    assert http_json("POST", simulator.url + "/_sim/reset", {}) == (200, {"ok": True})
    assert http_json("GET", simulator.url + "/_sim/config") == (200, {})
    assert http_json("GET", simulator.url + "/_sim/health") == (200, {"ok": True})


def test_models_listing_carries_context_and_pricing(simulator, llm):
    status, listing = http_json("GET", simulator.base_url + "/models")

    assert status == 200
    assert listing["object"] == "list"
    assert listing["data"] == [
        {
            "id": "gpt-4o-mini",
            "object": "model",
            "created": 0,
            "owned_by": "simulator",
            "context_length": 128000,
            "pricing": {"prompt": "0.00000015", "completion": "0.0000006"},
        },
        {
            "id": "nousresearch/hermes-3-llama-3.1-405b",
            "object": "model",
            "created": 0,
            "owned_by": "simulator",
            "context_length": 65536,
            "pricing": {"prompt": "0.000001", "completion": "0.0000003"},
        },
    ]
    assert [model.id for model in llm.models.list()] == [item["id"] for item in listing["data"]]


def test_models_listing_comes_from_config(simulator):
    listed = {"id": "m", "context_length": 8, "prompt": 2e-7, "completion": 1e-6}
    simulator.configure({"models_listing": [listed]})

    listing = http_json("GET", simulator.base_url + "/models")[1]

    assert listing["data"][0]["pricing"] == {"prompt": "0.0000002", "completion": "0.000001"}


def test_bad_requests_answer_json_errors_and_the_server_survives(simulator):
    bad_json = http_json("POST", simulator.base_url + "/chat/completions", raw=b"{not json")
    unknown = http_json("GET", simulator.url + "/nowhere")
    bad_script = http_json("POST", simulator.url + "/_sim/script", {"responses": "nope"})

    assert bad_json[0] == 400
    assert bad_json[1]["error"]["code"] == "invalid_json"
    assert unknown[0] == 404
    assert bad_script[0] == 400
    assert http_json("GET", simulator.url + "/_sim/health") == (200, {"ok": True})
    assert simulator.requests()[0]["status"] == 400


def test_concurrent_requests_are_all_answered_and_logged(simulator, llm):
    simulator.configure({"default": {"latency_ms": 200}})
    results: list[str] = []

    def call() -> None:
        results.append(ask(llm).choices[0].finish_reason)

    threads = [threading.Thread(target=call) for _ in range(20)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)

    assert results == ["stop"] * 20
    assert time.monotonic() - started < 2
    assert sorted(entry["seq"] for entry in simulator.requests()) == list(range(1, 21))


# --- content module -----------------------------------------------------------------


def test_read_prompt_finds_kind_locale_and_data_in_any_message():
    user_text = product_prompt(locale="es-MX").replace("Content kind: product_description\n", "")
    messages = [
        {"role": "system", "content": "Content kind: marketing_copy"},
        {"role": "user", "content": user_text},
    ]

    prompt = read_prompt(messages)

    assert (prompt.kind, prompt.locale, prompt.language) == ("marketing_copy", "es-MX", "es")
    assert prompt.data["name"] == "Aurora Mug"


def test_read_prompt_defaults_without_markers():
    prompt = read_prompt([{"role": "user", "content": "Write something."}])

    assert (prompt.kind, prompt.language, prompt.data) == ("product_description", "en", {})
    assert "Product" in generate_content(prompt.kind, prompt.language, prompt.data, None)["title"]


def test_brand_terms_in_the_prompt_are_honoured(llm):
    # given a brand that requires one term and bans another that the templates use
    system = (
        "You are the copywriter.\nAlways include these terms:\n- Acme Care\n\n"
        "Never use these terms:\n- gift\n- quality\n"
    )
    messages = [
        {"role": "system", "content": system},
        {"role": "user", "content": product_prompt(locale="en")},
    ]

    # when the model is asked
    completion = llm.chat.completions.create(model=DEFAULT_MODEL, messages=messages)

    # then the required term is written and the banned ones are not
    content = json.loads(completion.choices[0].message.content)
    assert "Acme Care" in content["description"]
    assert "gift" not in completion.choices[0].message.content.lower()
    assert "quality" not in content["description"].lower()


@pytest.mark.parametrize("language", ["es", "ru", "en", "de", "fr"])
def test_every_language_names_the_product_in_title_and_description(language):
    data = {"sku": "S", "name": "Nimbus X"}

    content = generate_content("product_description", language, data, None)

    assert "Nimbus X" in content["title"]
    assert "Nimbus X" in content["description"]


# --- the CLI ------------------------------------------------------------------------


def test_cli_prints_ready_line_and_stops_on_sigterm():
    # given the simulator started as a process
    config = json.dumps({"default": {"latency_ms": 1}})
    command = [sys.executable, "-m", "devtools.simulator", "--host", "127.0.0.1", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--config", config],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # when it is ready
        line = read_line_with_timeout(process, timeout_s=10)

        # then it printed exactly the READY line and answers on that URL
        match = re.fullmatch(r"SIMULATOR_READY (http://127\.0\.0\.1:(\d+))\n", line)
        assert match, line
        url = match.group(1)
        assert http_json("GET", url + "/_sim/health") == (200, {"ok": True})
        assert http_json("GET", url + "/_sim/config")[1] == {"default": {"latency_ms": 1}}

        # and SIGTERM stops it cleanly
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=5) == 0
        assert process.stdout.read() == ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
        process.stdout.close()
        process.stderr.close()


def read_line_with_timeout(process: subprocess.Popen, timeout_s: float) -> str:
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout_s)
    assert lines, f"no READY line within {timeout_s}s"
    return lines[0]


# --- x-ratelimit-* headers, as OpenAI sends them --------------------------------------


def ask_raw(llm: openai.OpenAI, **kwargs: Any) -> Any:
    return llm.chat.completions.with_raw_response.create(
        model=DEFAULT_MODEL, messages=user_messages(product_prompt()), **kwargs)


def test_every_answer_states_the_limits_what_is_left_and_when_they_are_whole(
        simulator, llm):
    # given a model allowing 3 requests and 10,000 tokens a minute
    simulator.configure({"default": {"rpm_limit": 3, "tpm_limit": 10_000}})
    prompt_tokens = math.ceil(
        (len("You write product content as JSON.") + len(product_prompt())) / 4)

    # when two requests are answered
    ask_raw(llm, max_tokens=400)
    headers = ask_raw(llm, max_tokens=400).headers

    # then the second answer says what is left after both
    assert headers["x-ratelimit-limit-requests"] == "3"
    assert headers["x-ratelimit-remaining-requests"] == "1"
    assert headers["x-ratelimit-limit-tokens"] == "10000"
    assert headers["x-ratelimit-remaining-tokens"] == str(10_000 - 2 * (prompt_tokens + 400))
    # and that the window is whole once the newest request has left it, in Go's format
    assert re.fullmatch(r"(59\.\d{1,3}|60)s|1m0s", headers["x-ratelimit-reset-requests"])
    assert headers["x-ratelimit-reset-tokens"] == headers["x-ratelimit-reset-requests"]


def test_a_429_states_the_spent_limit(simulator, llm):
    simulator.configure({"default": {"rpm_limit": 1}})
    ask(llm)

    with pytest.raises(openai.RateLimitError) as raised:
        ask(llm)

    headers = raised.value.response.headers
    assert (headers["x-ratelimit-limit-requests"], headers["x-ratelimit-remaining-requests"]) == (
        "1", "0")
    assert "x-ratelimit-limit-tokens" not in headers  # no token limit configured


def test_a_short_window_states_its_limit_per_minute(simulator, llm):
    # 5 requests in any 2 s is 150 a minute, enforced over 2 s (as OpenAI may quantize)
    simulator.configure({"default": {"rpm_limit": 5, "window_s": 2}})

    headers = ask_raw(llm).headers

    assert headers["x-ratelimit-limit-requests"] == "150"
    assert headers["x-ratelimit-remaining-requests"] == "120"
    assert headers["x-ratelimit-reset-requests"] in ("2s", "1.999s", "1.998s")


def test_a_model_without_limits_sends_no_rate_limit_headers(simulator, llm):
    headers = ask_raw(llm).headers

    assert not [name for name in headers if name.startswith("x-ratelimit-")]


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0s"), (0.02, "20ms"), (1, "1s"), (1.5, "1.5s"), (360, "6m0s"), (90.25, "1m30.25s"),
    (3723, "1h2m3s"),
])
def test_durations_are_written_as_go_writes_them(seconds, text):
    assert go_duration(seconds) == text


# --- A/B variants ---------------------------------------------------------------------


def variant_prompt(number: int, count: int = 3) -> str:
    return product_prompt(locale="es-ES") + f"\nThis is variant {number} of {count} of an A/B test."


def answer_of(llm: openai.OpenAI, text: str) -> dict[str, Any]:
    completion = llm.chat.completions.create(model=DEFAULT_MODEL, messages=user_messages(text))
    return json.loads(completion.choices[0].message.content)


def test_each_variant_gets_its_own_text_and_variant_1_is_the_text_without_variants(llm):
    plain = answer_of(llm, product_prompt(locale="es-ES"))
    variants = [answer_of(llm, variant_prompt(number)) for number in (1, 2, 3)]

    assert variants[0] == plain
    assert len({json.dumps(v, sort_keys=True) for v in variants}) == 3
    assert len({v["title"] for v in variants}) == 3
    assert variants[1] == answer_of(llm, variant_prompt(2))  # deterministic per variant


def test_a_script_for_a_variant_waits_for_it_and_may_repeat_another_variant(
        simulator, llm):
    http_json("POST", simulator.url + "/_sim/script",
              {"model": "*", "responses": [{"for_variant": 2, "as_variant": 1}]})
    first = answer_of(llm, variant_prompt(1))
    third = answer_of(llm, variant_prompt(3))

    second = answer_of(llm, variant_prompt(2))
    second_again = answer_of(llm, variant_prompt(2))

    assert second == first  # the scripted entry waited for variant 2, then repeated variant 1
    assert third != first
    assert second_again != first  # one-shot: asked again, variant 2 writes its own text
