"""An OpenAI-compatible LLM simulator on real HTTP, standard library only.

It answers `POST /v1/chat/completions` and `GET /v1/models` like OpenAI/OpenRouter,
with configurable latency, rate limits (429 + Retry-After) and faults, plus
one-shot scripted answers. A model with a limit states it on every chat answer, as
OpenAI does, in `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` headers:
the limit per minute (`rpm_limit` over a `window_s` other than 60 s is scaled, like
OpenAI enforcing a per-minute limit over shorter periods), what is left of it, and
the time until it is whole again, as a Go duration ("20ms", "1s", "6m0s").
`/_sim/*` endpoints configure and observe it.
`/v1/files` and `/v1/batches` simulate OpenAI's Batch API (see batch.py).

Precedence for one chat request: a scripted entry (model queue, then "*") decides
the answer and bypasses the config's rate limits and fault rates; only the
config's latency still applies when the entry sets none. Without an entry, the
rate limiter runs first (a rejection is answered at once), then one random draw
picks at most one fault from the config's rates. A scripted entry with
`"for_variant": N` waits in its queue for a request for A/B variant N, and one with
`"as_variant": N` answers with variant N's text whatever variant was asked for.
"""

from __future__ import annotations

import copy
import json
import math
import random
import re
import socket
import socketserver
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import Decimal
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .batch import DEFAULT_BATCH_DELAY_S, BatchApiError, BatchStore
from .channels import overrun_content
from .content import PromptInfo, generate_content, read_prompt
from .localize import last_user_text, localize_content, read_source

CHARS_PER_TOKEN = 4
IMAGE_PART_TOKENS = 85
ANY_MODEL = "*"

DEFAULT_MODELS_LISTING: list[dict[str, Any]] = [
    {
        "id": "gpt-4o-mini",
        "context_length": 128000,
        "pricing": {"prompt": "0.00000015", "completion": "0.0000006"},
    },
    {
        "id": "nousresearch/hermes-3-llama-3.1-405b",
        "context_length": 65536,
        "pricing": {"prompt": "0.000001", "completion": "0.0000003"},
    },
]

MALFORMED_PREFIX = "Sure! Here is your description: "
# The request log's path for a batch line, so tests can count the model work of batches.
BATCH_LINE_PATH = "/v1/chat/completions (batch)"


# --- configuration ----------------------------------------------------------------


def deep_merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


@dataclass(frozen=True)
class Behaviour:
    """The effective behaviour for one model: config "default" merged with "models"[id]."""

    latency_ms: int = 0
    latency_jitter_ms: int = 0
    rpm_limit: int | None = None
    tpm_limit: int | None = None
    window_s: float = 60.0
    error_rate: float = 0.0
    error_status: int = 503
    timeout_rate: float = 0.0
    timeout_sleep_s: float = 30.0
    malformed_rate: float = 0.0
    schema_break_rate: float = 0.0
    wrong_language_rate: float = 0.0
    wrong_language: str = "de"
    empty_choices_rate: float = 0.0
    length_rate: float = 0.0
    error_in_200_rate: float = 0.0
    report_cost: dict[str, float] | None = None

    # null is meaningful for these (no limit), so it must not fall back to the default
    NULLABLE = ("rpm_limit", "tpm_limit", "report_cost")

    @classmethod
    def from_config(cls, config: dict[str, Any], model: str | None) -> Behaviour:
        merged: dict[str, Any] = {}
        if "report_cost" in config:
            merged["report_cost"] = config["report_cost"]
        merged = deep_merge(merged, _as_dict(config.get("default")))
        merged = deep_merge(merged, _as_dict(_as_dict(config.get("models")).get(model or "")))
        known = {spec.name for spec in fields(cls)}
        values = {
            key: value
            for key, value in merged.items()
            if key in known and (value is not None or key in cls.NULLABLE)
        }
        return cls(**values)


def _positive_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def usd_per_token_text(value: Any) -> str:
    """OpenRouter writes prices as decimal strings ("0.00000015"), never in exponent form."""
    if isinstance(value, str):
        return value
    return format(Decimal(str(value)), "f")


def listing_entry(entry: dict[str, Any]) -> dict[str, Any]:
    pricing = _as_dict(entry.get("pricing")) or {
        key: entry[key] for key in ("prompt", "completion") if key in entry}
    listed = {
        "id": entry["id"],
        "object": "model",
        "created": 0,
        "owned_by": "simulator",
        "context_length": entry.get("context_length", 0),
    }
    # Plain OpenAI-compatible listings publish no prices; OpenRouter's do.
    if pricing:
        listed["pricing"] = {key: usd_per_token_text(value) for key, value in pricing.items()}
    return listed


# --- what one answer will be ------------------------------------------------------


@dataclass
class Outcome:
    """The decided answer to one chat request, before it is rendered."""

    status: int = 200
    retry_after: float | None = None
    error_message: str | None = None
    latency_s: float = 0.0
    timeout_s: float | None = None
    malformed: bool = False
    schema_break: bool = False
    language: str | None = None
    empty_choices: bool = False
    finish_reason: str = "stop"
    error_in_200: bool = False
    raw_content: str | None = None
    # A faulty localization on purpose (devtools.simulator.localize.FAULTS).
    localize_fault: str | None = None
    usage_override: dict[str, Any] | None = None
    as_variant: int | None = None
    # A limit to break on purpose (channels.overrun_content): {"field", "length"|"entries"}
    overrun: dict[str, Any] | None = None

    @classmethod
    def from_script(cls, entry: dict[str, Any], behaviour: Behaviour) -> Outcome:
        latency_ms = entry.get("latency_ms", behaviour.latency_ms)
        outcome = cls(
            status=int(entry.get("status", 200)),
            retry_after=entry.get("retry_after"),
            error_message=entry.get("message"),
            latency_s=float(latency_ms) / 1000,
            malformed=bool(entry.get("malformed")),
            schema_break=bool(entry.get("schema_break")),
            language=entry.get("wrong_language"),
            empty_choices=bool(entry.get("empty_choices")),
            finish_reason=entry.get("finish_reason", "stop"),
            error_in_200=bool(entry.get("error_in_200")),
            raw_content=entry.get("content"),
            usage_override=_as_dict(entry.get("usage")) or None,
            as_variant=_positive_int(entry.get("as_variant")),
            overrun=_as_dict(entry.get("overrun")) or None,
            localize_fault=entry.get("localize_fault"),
        )
        if entry.get("timeout"):
            outcome.timeout_s = float(entry.get("sleep_s", behaviour.timeout_sleep_s))
        return outcome

    @classmethod
    def for_fault(cls, fault: str | None, behaviour: Behaviour, latency_s: float) -> Outcome:
        outcome = cls(latency_s=latency_s)
        if fault == "error_rate":
            outcome.status = int(behaviour.error_status)
        elif fault == "timeout_rate":
            outcome.timeout_s = float(behaviour.timeout_sleep_s)
        elif fault == "malformed_rate":
            outcome.malformed = True
        elif fault == "schema_break_rate":
            outcome.schema_break = True
        elif fault == "wrong_language_rate":
            outcome.language = behaviour.wrong_language
        elif fault == "empty_choices_rate":
            outcome.empty_choices = True
        elif fault == "length_rate":
            outcome.finish_reason = "length"
        elif fault == "error_in_200_rate":
            outcome.error_in_200 = True
        return outcome


FAULT_RATES = (
    "error_rate",
    "timeout_rate",
    "malformed_rate",
    "schema_break_rate",
    "wrong_language_rate",
    "empty_choices_rate",
    "length_rate",
    "error_in_200_rate",
)


def pick_fault(behaviour: Behaviour, draw: float) -> str | None:
    threshold = 0.0
    for fault in FAULT_RATES:
        threshold += float(getattr(behaviour, fault) or 0)
        if draw < threshold:
            return fault
    return None


@dataclass(frozen=True)
class Rejection:
    """A request refused by the rate limiter."""

    limit_type: str  # "requests" or "tokens", as OpenAI names them
    retry_after_s: int


class RateWindow:
    """Sliding window of accepted requests of one model: (arrival time, tokens)."""

    def __init__(self) -> None:
        self._entries: deque[tuple[float, int]] = deque()

    def admit(self, behaviour: Behaviour, tokens: int, now: float) -> Rejection | None:
        window_s = float(behaviour.window_s)
        while self._entries and self._entries[0][0] <= now - window_s:
            self._entries.popleft()
        if behaviour.rpm_limit is not None and len(self._entries) >= behaviour.rpm_limit:
            return Rejection("requests", self._seconds_until_expiry(0, window_s, now))
        if behaviour.tpm_limit is not None:
            rejection = self._check_tokens(behaviour.tpm_limit, tokens, window_s, now)
            if rejection:
                return rejection
        self._entries.append((now, tokens))
        return None

    def _check_tokens(
        self, limit: int, tokens: int, window_s: float, now: float
    ) -> Rejection | None:
        excess = sum(used for _, used in self._entries) + tokens - limit
        if excess <= 0:
            return None
        # The wait is until enough old requests leave the window for this one to fit.
        freed = 0
        for index, (_, used) in enumerate(self._entries):
            freed += used
            if freed >= excess:
                return Rejection("tokens", self._seconds_until_expiry(index, window_s, now))
        return Rejection("tokens", max(1, math.ceil(window_s)))

    def headers(self, behaviour: Behaviour, now: float) -> dict[str, str]:
        """The x-ratelimit-* headers for the window as it stands (call after admit)."""
        window_s = float(behaviour.window_s)
        per_minute = 60.0 / window_s
        # The window is whole again once its newest request has left it.
        reset = self._entries[-1][0] + window_s - now if self._entries else 0.0
        headers = {}
        if behaviour.rpm_limit is not None:
            left = max(0, behaviour.rpm_limit - len(self._entries))
            headers.update({
                "x-ratelimit-limit-requests": str(round(behaviour.rpm_limit * per_minute)),
                "x-ratelimit-remaining-requests": str(math.floor(left * per_minute)),
                "x-ratelimit-reset-requests": go_duration(reset),
            })
        if behaviour.tpm_limit is not None:
            left = max(0, behaviour.tpm_limit - sum(used for _, used in self._entries))
            headers.update({
                "x-ratelimit-limit-tokens": str(round(behaviour.tpm_limit * per_minute)),
                "x-ratelimit-remaining-tokens": str(math.floor(left * per_minute)),
                "x-ratelimit-reset-tokens": go_duration(reset),
            })
        return headers

    def _seconds_until_expiry(self, index: int, window_s: float, now: float) -> int:
        if index >= len(self._entries):
            return max(1, math.ceil(window_s))
        arrived = self._entries[index][0]
        return max(1, math.ceil(arrived + window_s - now))


def go_duration(seconds: float) -> str:
    """A duration as Go prints it (OpenAI's reset headers), to the millisecond."""
    ms = max(0, round(seconds * 1000))
    if ms < 1000:
        return f"{ms}ms" if ms else "0s"
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs = f"{rest // 1000}s" if rest % 1000 == 0 else f"{rest / 1000:.3f}".rstrip("0") + "s"
    if hours:
        return f"{hours}h{minutes}m{secs}"
    return f"{minutes}m{secs}" if minutes else secs


# --- shared state -----------------------------------------------------------------


class SimulatorState:
    """Config, scripts, request log and rate windows; every access holds the lock."""

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self._lock = threading.Lock()
        # Completion ids stay unique across resets, so a client never sees one twice.
        self._completion_counter = 0
        self._clear(config or {})

    def _clear(self, config: dict[str, Any]) -> None:
        self._config: dict[str, Any] = copy.deepcopy(config)
        self._rng = random.Random(config.get("seed", 0))
        self._scripts: dict[str, deque[dict[str, Any]]] = {}
        self._log: list[dict[str, Any]] = []
        self._windows: dict[str, RateWindow] = {}

    # configuration

    def config(self) -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(self._config)

    def merge_config(self, patch: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._config = deep_merge(self._config, patch)
            if "seed" in patch:
                self._rng = random.Random(self._config["seed"])
            return copy.deepcopy(self._config)

    def replace_config(self, config: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._config = copy.deepcopy(config)
            self._rng = random.Random(self._config.get("seed", 0))
            return copy.deepcopy(self._config)

    def reset(self) -> None:
        with self._lock:
            self._clear({})

    def behaviour_for(self, model: str | None) -> Behaviour:
        with self._lock:
            return Behaviour.from_config(self._config, model)

    def models_listing(self) -> list[dict[str, Any]]:
        with self._lock:
            listing = self._config.get("models_listing", DEFAULT_MODELS_LISTING)
            return [listing_entry(entry) for entry in listing if isinstance(entry, dict)]

    # scripts

    def append_script(self, model: str, responses: list[dict[str, Any]]) -> dict[str, int]:
        with self._lock:
            self._scripts.setdefault(model, deque()).extend(copy.deepcopy(responses))
            return {key: len(queue) for key, queue in self._scripts.items()}

    def pop_script(self, model: str | None, variant: int = 1) -> dict[str, Any] | None:
        """The first entry for this request: an entry with `for_variant` waits for a
        request for that A/B variant, the others take the next request."""
        with self._lock:
            for key in (model, ANY_MODEL):
                queue = self._scripts.get(key) if key is not None else None
                for entry in queue or ():
                    if entry.get("for_variant") in (None, variant):
                        queue.remove(entry)
                        return entry
            return None

    # decisions

    def admit(
        self, model: str | None, behaviour: Behaviour, tokens: int
    ) -> tuple[Rejection | None, dict[str, str]]:
        """The limiter's decision, and the rate-limit headers of the answer."""
        with self._lock:
            window = self._windows.setdefault(model or "", RateWindow())
            now = time.monotonic()
            rejection = window.admit(behaviour, tokens, now)
            return rejection, window.headers(behaviour, now)

    def rate_headers(self, model: str | None, behaviour: Behaviour) -> dict[str, str]:
        """The rate-limit headers for an answer that did not pass the limiter (scripted)."""
        with self._lock:
            window = self._windows.setdefault(model or "", RateWindow())
            return window.headers(behaviour, time.monotonic())

    def draw_outcome(self, behaviour: Behaviour) -> Outcome:
        """One uniform draw picks at most one fault, so the rates are exact shares."""
        with self._lock:
            draw = self._rng.random()
            jitter_ms = 0
            if behaviour.latency_jitter_ms > 0:
                jitter_ms = self._rng.randint(0, int(behaviour.latency_jitter_ms))
        latency_s = (behaviour.latency_ms + jitter_ms) / 1000
        return Outcome.for_fault(pick_fault(behaviour, draw), behaviour, latency_s)

    def next_completion_id(self) -> str:
        with self._lock:
            self._completion_counter += 1
            return f"chatcmpl-sim-{self._completion_counter}"

    # observation

    def record(
        self, path: str, model: str | None, body: Any, authorization: bool
    ) -> dict[str, Any]:
        """Logs a /v1 request; the returned entry gets its status once it is answered."""
        with self._lock:
            entry = {
                "seq": len(self._log) + 1,
                "time": time.time(),
                "path": path,
                "model": model,
                "body": copy.deepcopy(body),
                "status": None,
                "authorization": authorization,
            }
            self._log.append(entry)
            return entry

    def set_status(self, entry: dict[str, Any], status: int | None) -> None:
        with self._lock:
            entry["status"] = status

    def requests_since(self, since: int = 0) -> list[dict[str, Any]]:
        with self._lock:
            return copy.deepcopy([entry for entry in self._log if entry["seq"] > since])

    def stats(self) -> dict[str, Any]:
        with self._lock:
            by_model: dict[str, dict[str, Any]] = {}
            for entry in self._log:
                if entry["model"] is None:
                    continue
                model_stats = by_model.setdefault(entry["model"], {"requests": 0, "status": {}})
                model_stats["requests"] += 1
                status_key = "timeout" if entry["status"] is None else str(entry["status"])
                model_stats["status"][status_key] = model_stats["status"].get(status_key, 0) + 1
            return {"total": len(self._log), "by_model": by_model}


# --- rendering answers ------------------------------------------------------------


def error_body(
    status: int, message: str | None = None, error_type: str | None = None, code: Any = None
) -> dict[str, Any]:
    if status == 429:
        defaults = ("Rate limit reached", "requests", "rate_limit_exceeded")
    elif status >= 500:
        defaults = (_phrase(status), "server_error", "server_error")
    else:
        defaults = (_phrase(status), "invalid_request_error", "invalid_request")
    return {
        "error": {
            "message": message or defaults[0],
            "type": error_type or defaults[1],
            "param": None,
            "code": code if code is not None else defaults[2],
        }
    }


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def response_schema(response_format: Any) -> dict[str, Any] | None:
    """The JSON schema asked for, in OpenAI's json_schema or llama.cpp's json_object form."""
    if not isinstance(response_format, dict):
        return None
    if response_format.get("type") == "json_schema":
        schema = _as_dict(response_format.get("json_schema")).get("schema")
    else:
        schema = response_format.get("schema")
    return schema if isinstance(schema, dict) else None


def prompt_tokens(prompt: PromptInfo) -> int:
    return math.ceil(prompt.text_chars / CHARS_PER_TOKEN) + IMAGE_PART_TOKENS * prompt.image_parts


def requested_max_tokens(body: dict[str, Any]) -> int:
    value = body.get("max_tokens") or body.get("max_completion_tokens") or 0
    return int(value) if isinstance(value, (int, float)) else 0


def remove_one_required_field(
    content: dict[str, Any], schema: dict[str, Any] | None
) -> dict[str, Any]:
    required = [name for name in _as_dict(schema).get("required", []) if name in content]
    candidates = required or list(content)
    if not candidates:
        return content
    # Deterministic pick from the content itself, so reruns break the same field.
    victim = candidates[len(json.dumps(content, ensure_ascii=False)) % len(candidates)]
    return {key: value for key, value in content.items() if key != victim}


def malformed_text(content: dict[str, Any]) -> str:
    prose = " ".join(value for value in content.values() if isinstance(value, str))
    return MALFORMED_PREFIX + prose


def render_content(body: dict[str, Any], prompt: PromptInfo, outcome: Outcome) -> str:
    if outcome.raw_content is not None:
        return str(outcome.raw_content)
    if prompt.source is None:
        prompt.source, prompt.source_kind, prompt.glossary_terms = read_source(
            last_user_text(body.get("messages") or []))
    schema = response_schema(body.get("response_format")) or prompt.schema
    language = outcome.language or prompt.language
    # A scripted `as_variant` writes that variant's text (a model ignoring the variant it
    # was asked for); asked again, the variant gets its own text.
    variant = outcome.as_variant or prompt.variant
    if prompt.source is not None:
        content = localize_content(prompt.source, prompt.source_kind, prompt.locale, schema,
                                   prompt.glossary_terms, fault=outcome.localize_fault,
                                   limits=prompt.limits, language=language)
    else:
        content = generate_content(
            prompt.kind,
            language,
            prompt.data,
            schema,
            locale=prompt.locale,
            required_terms=prompt.required_terms,
            banned_terms=prompt.banned_terms,
            variant=variant,
            limits=prompt.limits,
        )
    if outcome.overrun:
        content = overrun_content(content, outcome.overrun, language,
                                  " ".join(str(v) for v in content.values() if isinstance(v, str))
                                  or "text")
    if outcome.schema_break:
        content = remove_one_required_field(content, schema)
    if outcome.malformed:
        return malformed_text(content)
    text = json.dumps(content, ensure_ascii=False)
    if outcome.finish_reason == "length":
        return text[: len(text) // 2]
    return text


def build_usage(
    prompt_count: int, content: str, outcome: Outcome, behaviour: Behaviour
) -> dict[str, Any]:
    usage: dict[str, Any] = {
        "prompt_tokens": prompt_count,
        "completion_tokens": math.ceil(len(content) / CHARS_PER_TOKEN),
    }
    override = outcome.usage_override or {}
    usage.update({key: value for key, value in override.items() if key != "total_tokens"})
    usage["total_tokens"] = override.get(
        "total_tokens", usage["prompt_tokens"] + usage["completion_tokens"]
    )
    cost = behaviour.report_cost
    if isinstance(cost, dict) and "cost" not in override:
        usage["cost"] = (
            usage["prompt_tokens"] * float(cost.get("input_per_m", 0)) / 1e6
            + usage["completion_tokens"] * float(cost.get("output_per_m", 0)) / 1e6
        )
    return usage


def completion_body(
    completion_id: str, model: Any, content: str, usage: dict[str, Any], outcome: Outcome
) -> dict[str, Any]:
    choices = []
    if not outcome.empty_choices:
        choices.append(
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": outcome.finish_reason,
                "logprobs": None,
            }
        )
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": choices,
        "usage": usage,
    }


# --- HTTP ---------------------------------------------------------------------------


class HttpError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = error_body(status, message, code=code)


@dataclass
class Reply:
    status: int | None
    body: Any = None  # None: close the connection without answering
    headers: dict[str, str] | None = None

    @classmethod
    def no_answer(cls) -> Reply:
        return cls(None)


class SimulatorRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx (the openai SDK) expects
    server_version = "ContentGenLLMSimulator/1.0"
    disable_nagle_algorithm = True
    server: SimulatorServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Quiet: tests and the demo read stdout/stderr."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._dispatch("PUT")

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:  # noqa: N802
        self._dispatch("PATCH")

    # plumbing

    def _dispatch(self, method: str) -> None:
        url = urlsplit(self.path)
        self.query = parse_qs(url.query)
        try:
            self.raw_body = self._read_body()
            reply = self._route(method, url.path)
        except HttpError as error:
            reply = Reply(error.status, error.body)
        except Exception as error:  # never let one request kill the connection thread
            reply = Reply(500, error_body(500, f"Simulator error: {error!r}"))
        self._send(reply)

    def _route(self, method: str, path: str) -> Reply:
        path = path.rstrip("/") or "/"
        if not path.startswith(("/v1/", "/_sim/")) and path in ("/chat/completions", "/models"):
            path = "/v1" + path  # lenient about a base URL without /v1
        routes = ROUTES.get(path)
        if routes is None and path.startswith("/v1/models/"):
            routes = {"GET": SimulatorRequestHandler.get_model}
        if routes is None:
            routes = next((found for pattern, found in PATTERN_ROUTES if pattern.fullmatch(path)),
                          None)
        if routes is None:
            raise HttpError(404, f"Unknown path: {path}", code="not_found")
        action = routes.get(method)
        if action is None:
            message = f"Method {method} not allowed on {path}"
            raise HttpError(405, message, code="method_not_allowed")
        return action(self, path)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True  # the framing is unknown, the connection unusable
            raise HttpError(400, "Invalid Content-Length header.") from None
        return self.rfile.read(length) if length > 0 else b""

    def _read_chunked(self) -> bytes:
        chunks = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def json_body(self) -> Any:
        if not self.raw_body:
            raise HttpError(400, "The request body is empty; a JSON body is required.")
        try:
            return json.loads(self.raw_body)
        except (ValueError, UnicodeDecodeError) as error:
            raise HttpError(400, f"Invalid JSON body: {error}", code="invalid_json") from None

    def json_object_body(self) -> dict[str, Any]:
        body = self.json_body()
        if not isinstance(body, dict):
            raise HttpError(400, "The JSON body must be an object.", code="invalid_json")
        return body

    def has_bearer_token(self) -> bool:
        return self.headers.get("Authorization", "").lower().startswith("bearer ")

    def _send(self, reply: Reply) -> None:
        if reply.body is None:
            self.close_connection = True
            return
        if isinstance(reply.body, bytes):  # file content, sent as stored
            payload, content_type = reply.body, "application/octet-stream"
        else:
            payload = json.dumps(reply.body, ensure_ascii=False).encode()
            content_type = "application/json"
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (reply.headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # /v1

    def chat_completions(self, path: str) -> Reply:
        state = self.server.state
        try:
            body = self.json_object_body()
        except HttpError as error:
            entry = state.record(self.path, None, None, self.has_bearer_token())
            state.set_status(entry, error.status)
            raise
        model = body.get("model") if isinstance(body.get("model"), str) else None
        entry = state.record(self.path, model, body, self.has_bearer_token())
        reply = self._answer_chat(body, model)
        state.set_status(entry, reply.status)
        return reply

    def _answer_chat(
        self,
        body: dict[str, Any],
        model: str | None,
        pause: Callable[[float], bool] | None = None,
    ) -> Reply:
        state = self.server.state
        pause = pause or self.server.pause
        if model is None:
            return Reply(400, error_body(400, "'model' is required.", code="missing_model"))
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            message = "'messages' must be a non-empty list."
            return Reply(400, error_body(400, message, code="invalid_messages"))

        prompt = read_prompt(messages)
        prompt_count = prompt_tokens(prompt)
        behaviour = state.behaviour_for(model)
        script = state.pop_script(model, prompt.variant)
        if script is not None:
            outcome = Outcome.from_script(script, behaviour)
            limit_headers = state.rate_headers(model, behaviour)
        else:
            rejection, limit_headers = state.admit(
                model, behaviour, prompt_count + requested_max_tokens(body))
            if rejection:
                return self._rate_limited(rejection, limit_headers)
            outcome = state.draw_outcome(behaviour)
        reply = self._answer_outcome(body, model, prompt, prompt_count, behaviour, outcome, pause)
        if reply.status is not None and limit_headers:
            reply.headers = {**limit_headers, **(reply.headers or {})}
        return reply

    def _answer_outcome(
        self,
        body: dict[str, Any],
        model: str,
        prompt: PromptInfo,
        prompt_count: int,
        behaviour: Behaviour,
        outcome: Outcome,
        pause: Callable[[float], bool],
    ) -> Reply:
        state = self.server.state
        if not pause(outcome.latency_s):
            return Reply.no_answer()
        if outcome.timeout_s is not None:
            pause(outcome.timeout_s)
            return Reply.no_answer()
        if outcome.status >= 400:
            return self._error_reply(outcome)
        if outcome.error_in_200:
            return Reply(200, {"error": {"message": "upstream error", "code": 502}})
        content = render_content(body, prompt, outcome)
        answered_text = "" if outcome.empty_choices else content
        usage = build_usage(prompt_count, answered_text, outcome, behaviour)
        completion_id = state.next_completion_id()
        return Reply(outcome.status, completion_body(completion_id, model, content, usage, outcome))

    @staticmethod
    def _rate_limited(rejection: Rejection, limit_headers: dict[str, str]) -> Reply:
        message = f"Rate limit reached for {rejection.limit_type}"
        body = error_body(429, message, error_type=rejection.limit_type)
        return Reply(429, body, {**limit_headers, "Retry-After": str(rejection.retry_after_s)})

    @staticmethod
    def _error_reply(outcome: Outcome) -> Reply:
        headers = {}
        if outcome.retry_after is not None:
            headers["Retry-After"] = str(math.ceil(float(outcome.retry_after)))
        return Reply(outcome.status, error_body(outcome.status, outcome.error_message), headers)

    def list_models(self, path: str) -> Reply:
        entry = self.server.state.record(self.path, None, None, self.has_bearer_token())
        reply = Reply(200, {"object": "list", "data": self.server.state.models_listing()})
        self.server.state.set_status(entry, reply.status)
        return reply

    def get_model(self, path: str) -> Reply:
        model_id = path.removeprefix("/v1/models/")
        entry = self.server.state.record(self.path, model_id, None, self.has_bearer_token())
        found = [item for item in self.server.state.models_listing() if item["id"] == model_id]
        if found:
            reply = Reply(200, found[0])
        else:
            message = f"Unknown model: {model_id}"
            reply = Reply(404, error_body(404, message, code="model_not_found"))
        self.server.state.set_status(entry, reply.status)
        return reply

    # /v1/files and /v1/batches (the logic is in batch.py)

    def create_file(self, path: str) -> Reply:
        content_type = self.headers.get("Content-Type", "")
        return self._batch_api(lambda: Reply(200, self.server.batches.create_file(
            content_type, self.raw_body)))

    def get_file(self, path: str) -> Reply:
        file_id = path.split("/")[3]
        return self._batch_api(lambda: Reply(200, self.server.batches.file_object(file_id)))

    def get_file_content(self, path: str) -> Reply:
        file_id = path.split("/")[3]
        return self._batch_api(lambda: Reply(200, self.server.batches.file_content(file_id)))

    def create_batch(self, path: str) -> Reply:
        delay_s = self.server.state.config().get("batch_delay_s", DEFAULT_BATCH_DELAY_S)
        return self._batch_api(lambda: Reply(200, self.server.batches.create_batch(
            self.json_object_body(), delay_s)))

    def get_batch(self, path: str) -> Reply:
        batch_id = path.split("/")[3]
        return self._batch_api(lambda: Reply(200, self.server.batches.retrieve_batch(
            batch_id, self._answer_batch_line)))

    def cancel_batch(self, path: str) -> Reply:
        batch_id = path.split("/")[3]
        return self._batch_api(lambda: Reply(200, self.server.batches.cancel_batch(
            batch_id, self._answer_batch_line)))

    def _batch_api(self, call: Callable[[], Reply]) -> Reply:
        """Logs the call like other /v1 calls and turns errors into OpenAI error answers."""
        state = self.server.state
        logged_body = None
        if "json" in self.headers.get("Content-Type", ""):
            try:
                logged_body = json.loads(self.raw_body or b"null")
            except (ValueError, UnicodeDecodeError):
                pass
        entry = state.record(self.path, None, logged_body, self.has_bearer_token())
        try:
            reply = call()
        except BatchApiError as error:
            body = error_body(error.status, error.message, code=error.code)
            body["error"]["param"] = error.param
            reply = Reply(error.status, body)
        except HttpError as error:
            reply = Reply(error.status, error.body)
        state.set_status(entry, reply.status)
        return reply

    def _answer_batch_line(self, body: dict[str, Any]) -> tuple[int | None, Any]:
        state = self.server.state
        model = body.get("model") if isinstance(body.get("model"), str) else None
        entry = state.record(BATCH_LINE_PATH, model, body, self.has_bearer_token())
        # No sleeping: the batch delay stands for the latency; a timeout still yields no answer.
        reply = self._answer_chat(body, model, pause=lambda _seconds: self.server.pause(0))
        state.set_status(entry, reply.status)
        return reply.status, reply.body

    # /_sim

    def health(self, path: str) -> Reply:
        return Reply(200, {"ok": True})

    def get_config(self, path: str) -> Reply:
        return Reply(200, self.server.state.config())

    def merge_config(self, path: str) -> Reply:
        return Reply(200, self.server.state.merge_config(self.json_object_body()))

    def replace_config(self, path: str) -> Reply:
        return Reply(200, self.server.state.replace_config(self.json_object_body()))

    def reset(self, path: str) -> Reply:
        self.server.state.reset()
        return Reply(200, {"ok": True})

    def append_script(self, path: str) -> Reply:
        body = self.json_object_body()
        model = body.get("model", ANY_MODEL)
        responses = body.get("responses")
        if not isinstance(model, str):
            raise HttpError(400, "'model' must be a string (a model id or \"*\").")
        if not isinstance(responses, list) or not all(isinstance(item, dict) for item in responses):
            raise HttpError(400, "'responses' must be a list of objects.")
        return Reply(200, {"queued": self.server.state.append_script(model, responses)})

    def list_requests(self, path: str) -> Reply:
        try:
            since = int(self.query.get("since", ["0"])[0])
        except ValueError:
            raise HttpError(400, "'since' must be an integer.") from None
        return Reply(200, {"requests": self.server.state.requests_since(since)})

    def stats(self, path: str) -> Reply:
        return Reply(200, self.server.state.stats())


Action = Callable[[SimulatorRequestHandler, str], Reply]

ROUTES: dict[str, dict[str, Action]] = {
    "/v1/chat/completions": {"POST": SimulatorRequestHandler.chat_completions},
    "/v1/models": {"GET": SimulatorRequestHandler.list_models},
    "/v1/files": {"POST": SimulatorRequestHandler.create_file},
    "/v1/batches": {"POST": SimulatorRequestHandler.create_batch},
    "/_sim/health": {"GET": SimulatorRequestHandler.health},
    "/_sim/config": {
        "GET": SimulatorRequestHandler.get_config,
        "POST": SimulatorRequestHandler.merge_config,
        "PUT": SimulatorRequestHandler.replace_config,
    },
    "/_sim/reset": {"POST": SimulatorRequestHandler.reset},
    "/_sim/script": {"POST": SimulatorRequestHandler.append_script},
    "/_sim/requests": {"GET": SimulatorRequestHandler.list_requests},
    "/_sim/stats": {"GET": SimulatorRequestHandler.stats},
}

# Paths with an id in them.
PATTERN_ROUTES: list[tuple[re.Pattern[str], dict[str, Action]]] = [
    (re.compile(r"/v1/files/[^/]+"), {"GET": SimulatorRequestHandler.get_file}),
    (re.compile(r"/v1/files/[^/]+/content"), {"GET": SimulatorRequestHandler.get_file_content}),
    (re.compile(r"/v1/batches/[^/]+"), {"GET": SimulatorRequestHandler.get_batch}),
    (re.compile(r"/v1/batches/[^/]+/cancel"), {"POST": SimulatorRequestHandler.cancel_batch}),
]


class SimulatorServer(ThreadingHTTPServer):
    """The HTTP server; also the in-process handle (start/stop, config, scripts, log)."""

    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True

    def __init__(
        self, config: dict[str, Any] | None = None, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.state = SimulatorState(config)
        self.batches = BatchStore()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        super().__init__((host, port), SimulatorRequestHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn) that can stall for seconds.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        host = self.server_address[0]
        return f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{self.port}"

    @property
    def base_url(self) -> str:
        return self.url + "/v1"

    # lifecycle

    def start(self) -> SimulatorServer:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self.serve_forever,
                kwargs={"poll_interval": 0.1},
                name="llm-simulator",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._stopping.is_set():
            return
        self._stopping.set()
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
        self.server_close()
        self._close_connections()

    def pause(self, seconds: float) -> bool:
        """Sleeps unless the server stops meanwhile; False when it stopped."""
        if seconds <= 0:
            return not self._stopping.is_set()
        return not self._stopping.wait(seconds)

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    # keep-alive connections are tracked so stop() can end them instead of leaving them idle

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def _close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (timeouts, stopped tests) are normal here, not errors."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            return
        super().handle_error(request, client_address)

    # in-process control, the same operations as the /_sim endpoints

    def configure(self, patch: dict[str, Any]) -> dict[str, Any]:
        return self.state.merge_config(patch)

    def replace_config(self, config: dict[str, Any]) -> dict[str, Any]:
        return self.state.replace_config(config)

    def script(self, responses: list[dict[str, Any]], model: str = ANY_MODEL) -> dict[str, int]:
        return self.state.append_script(model, responses)

    def reset(self) -> None:
        self.state.reset()

    def requests(self, since: int = 0) -> list[dict[str, Any]]:
        return self.state.requests_since(since)

    def stats(self) -> dict[str, Any]:
        return self.state.stats()


def start_simulator(
    config: dict[str, Any] | None = None, host: str = "127.0.0.1", port: int = 0
) -> SimulatorServer:
    """Starts a simulator in a background thread (port 0: a free port)."""
    return SimulatorServer(config, host=host, port=port).start()
