"""The one module that talks to model endpoints (through the `openai` SDK).

It takes an LLMRequest and returns an LLMResult, or raises one of three errors:
TransientLLMError (retry later: 429, 5xx, timeouts, upstream errors in a 200),
PermanentLLMError (this request will never work: 400, 401, 403, 404...) and
AnswerRejected (the model answered but the answer is unusable: empty, cut off;
the tokens were still spent, so the error carries the usage).

The SDK's own retries are off: the item task is the system's one retry loop.
"""

import json
import threading
import time
from dataclasses import dataclass
from decimal import Decimal

import openai
from django.conf import settings

from apps.generation.catalog import ModelSpec
from apps.generation.headers import RateLimitState, rate_limits_of, retry_after_s


@dataclass(frozen=True)
class LLMRequest:
    route: ModelSpec
    messages: list[dict]
    kind: str
    json_schema: dict
    max_output_tokens: int
    temperature: float = 0.7


@dataclass(frozen=True)
class LLMUsage:
    input_tokens: int = 0
    output_tokens: int = 0
    provider_cost_usd: Decimal | None = None  # OpenRouter reports each call's cost


@dataclass(frozen=True)
class LLMResult:
    text: str
    model: str  # the catalog key of the route that answered
    provider_model: str
    usage: LLMUsage
    latency_ms: int
    finish_reason: str
    request_id: str = ""
    rate_limits: RateLimitState | None = None


class LLMError(Exception):
    def __init__(self, reason: str, *, usage: LLMUsage | None = None, latency_ms: int = 0,
                 rate_limits: RateLimitState | None = None):
        self.reason = reason
        self.usage = usage or LLMUsage()
        self.latency_ms = latency_ms
        self.rate_limits = rate_limits
        super().__init__(reason)


class TransientLLMError(LLMError):
    def __init__(self, reason: str, *, retry_after_s: float | None = None,
                 status: int | None = None, **kwargs):
        self.retry_after_s = retry_after_s
        self.status = status
        super().__init__(reason, **kwargs)


class PermanentLLMError(LLMError):
    pass


class AnswerRejected(LLMError):
    pass


_clients: dict[tuple[str, str, float, float], openai.OpenAI] = {}
_clients_lock = threading.Lock()


def _client_for(route: ModelSpec) -> openai.OpenAI:
    # One client (and so one connection pool) per endpoint, shared by all threads.
    key = (route.base_url, route.api_key, settings.LLM_CONNECT_TIMEOUT_S,
           settings.LLM_READ_TIMEOUT_S)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = openai.OpenAI(
                base_url=route.base_url,
                # Self-hosted servers need no key, but the SDK insists on one.
                api_key=route.api_key or "unused",
                max_retries=0,
                timeout=openai.Timeout(settings.LLM_READ_TIMEOUT_S,
                                      connect=settings.LLM_CONNECT_TIMEOUT_S),
            )
            _clients[key] = client
        return client


def _response_format(request: LLMRequest) -> dict | None:
    mode = request.route.structured_output
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {
            "name": request.kind, "schema": request.json_schema, "strict": True}}
    if mode == "json_object":
        return {"type": "json_object"}
    if mode == "json_object_schema":
        return {"type": "json_object", "schema": request.json_schema}
    return None


def _usage_of(response) -> LLMUsage:
    usage = getattr(response, "usage", None)
    if usage is None:
        return LLMUsage()
    extra = getattr(usage, "model_extra", None) or {}
    cost = extra.get("cost")
    return LLMUsage(
        input_tokens=usage.prompt_tokens or 0,
        output_tokens=usage.completion_tokens or 0,
        provider_cost_usd=Decimal(str(cost)) if cost is not None else None,
    )


def complete(request: LLMRequest) -> LLMResult:
    route = request.route
    started = time.monotonic()
    try:
        # The raw response is the SDK's documented way to the headers; parse() is the
        # same parsing create() does.
        raw = _client_for(route).chat.completions.with_raw_response.create(
            **_request_body(request))
        response = raw.parse()
    except (openai.APIConnectionError, openai.APIStatusError) as exc:
        raise _api_error(exc, started) from exc
    upstream_error = (getattr(response, "model_extra", None) or {}).get("error")
    return _answer_read(route, response, upstream_error=upstream_error,
                        latency_ms=_since(started), rate_limits=rate_limits_of(raw.headers))


def _answer_read(route: ModelSpec, response, *, upstream_error, latency_ms: int,
                 rate_limits: RateLimitState | None = None) -> LLMResult:
    """The checks every answer passes, online or from a batch line: an error inside a
    200, no choices, a cut-off or empty answer are failures, billed with their usage."""
    usage = _usage_of(response)
    if upstream_error:
        # OpenRouter reports some upstream failures inside a 200.
        raise TransientLLMError(f"upstream error: {json.dumps(upstream_error)[:300]}",
                                usage=usage, latency_ms=latency_ms, rate_limits=rate_limits)
    choices = getattr(response, "choices", None)
    if not choices:
        raise TransientLLMError("answer without choices", usage=usage, latency_ms=latency_ms,
                                rate_limits=rate_limits)
    choice = choices[0]
    message = getattr(choice, "message", None)
    text = (getattr(message, "content", None) or "") if message else ""
    finish_reason = getattr(choice, "finish_reason", None)
    if finish_reason != "stop":
        raise AnswerRejected(f"finish_reason '{finish_reason}'", usage=usage,
                             latency_ms=latency_ms, rate_limits=rate_limits)
    if not text.strip():
        raise AnswerRejected("empty answer", usage=usage, latency_ms=latency_ms,
                             rate_limits=rate_limits)
    return LLMResult(
        text=text,
        model=route.key,
        provider_model=getattr(response, "model", "") or route.provider_model,
        usage=usage,
        latency_ms=latency_ms,
        finish_reason=finish_reason,
        request_id=getattr(response, "id", "") or "",
        rate_limits=rate_limits,
    )


@dataclass(frozen=True)
class ListedModel:
    id: str
    context_length: int | None
    prompt_usd_per_token: Decimal | None
    completion_usd_per_token: Decimal | None


def list_models(route: ModelSpec) -> list[ListedModel]:
    """The endpoint's /models listing, with prices where it publishes them (OpenRouter)."""
    try:
        page = _client_for(route).models.list()
    except openai.APIError as exc:
        raise TransientLLMError(f"model listing failed: {exc}") from exc
    listed = []
    for entry in page.data:
        extra = getattr(entry, "model_extra", None) or {}
        pricing = extra.get("pricing") or {}
        prompt, completion = pricing.get("prompt"), pricing.get("completion")
        listed.append(ListedModel(
            id=entry.id, context_length=extra.get("context_length"),
            prompt_usd_per_token=Decimal(str(prompt)) if prompt is not None else None,
            completion_usd_per_token=Decimal(str(completion)) if completion is not None else None,
        ))
    return listed


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _error_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        message = body.get("message") or (body.get("error") or {}).get("message")
        if message:
            return str(message)[:300]
    return exc.message[:300]


# --- Batch API -------------------------------------------------------------------
# OpenAI's Batch API: the same chat requests as complete(), uploaded as one JSONL file
# and answered within 24 hours. The price discount is the caller's to apply.

BATCH_ENDPOINT = "/v1/chat/completions"
BATCH_COMPLETION_WINDOW = "24h"
# The statuses whose output and error files hold answers: all lines, or those that ran.
_BATCH_STATUSES_WITH_OUTPUT = ("completed", "expired", "cancelled")


@dataclass(frozen=True)
class BatchLine:
    custom_id: str
    request: LLMRequest


@dataclass(frozen=True)
class BatchOutcome:
    custom_id: str
    result: LLMResult | None
    error: LLMError | None  # TransientLLMError, PermanentLLMError or AnswerRejected


@dataclass(frozen=True)
class BatchStatus:
    batch_id: str
    status: str  # the provider's: validating, in_progress, finalizing, completed, failed...
    outcomes: list[BatchOutcome]  # in file order (answers, then errors); match by custom_id
    errors: tuple[str, ...] = ()  # why a "failed" batch did not validate, one per problem


def batch_submit(route: ModelSpec, lines: list[BatchLine], *,
                 metadata: dict[str, str] | None = None) -> str:
    """Uploads the lines as a JSONL file and creates a batch on it; returns the batch id."""
    custom_ids = [line.custom_id for line in lines]
    if not lines:
        raise ValueError("a batch needs at least one line")
    if len(set(custom_ids)) != len(custom_ids):
        raise ValueError("custom_id values must be unique within a batch")
    if any(line.request.route.key != route.key for line in lines):
        # OpenAI runs one model per batch.
        raise ValueError(f"every line of a batch must use the batch's route '{route.key}'")
    content = "".join(
        json.dumps({"custom_id": line.custom_id, "method": "POST", "url": BATCH_ENDPOINT,
                    "body": _request_body(line.request)}, ensure_ascii=False) + "\n"
        for line in lines
    ).encode()
    client = _client_for(route)
    started = time.monotonic()
    try:
        # If the create fails, the uploaded file stays behind; the provider expires it.
        uploaded = client.files.create(file=("batch.jsonl", content, "application/jsonl"),
                                       purpose="batch")
        batch = client.batches.create(
            input_file_id=uploaded.id, endpoint=BATCH_ENDPOINT,
            completion_window=BATCH_COMPLETION_WINDOW,
            metadata=metadata if metadata is not None else openai.omit,
        )
    except (openai.APIConnectionError, openai.APIStatusError) as exc:
        raise _api_error(exc, started) from exc
    return batch.id


def batch_poll(route: ModelSpec, batch_id: str) -> BatchStatus:
    """The batch's status; once it has output, every answered line as an outcome."""
    client = _client_for(route)
    started = time.monotonic()
    try:
        batch = client.batches.retrieve(batch_id)
        contents = []
        if batch.status in _BATCH_STATUSES_WITH_OUTPUT:
            contents = [client.files.content(file_id).content
                        for file_id in (batch.output_file_id, batch.error_file_id) if file_id]
    except (openai.APIConnectionError, openai.APIStatusError) as exc:
        raise _api_error(exc, started) from exc
    outcomes = [_batch_outcome(route, record)
                for content in contents for record in _jsonl_records(content)]
    errors = tuple(
        f"line {error.line}: {error.code}: {error.message}"
        for error in ((batch.errors.data or []) if batch.errors else [])
    )
    return BatchStatus(batch_id=batch.id, status=batch.status, outcomes=outcomes, errors=errors)


def _request_body(request: LLMRequest) -> dict:
    # One body for live calls and batch lines, so a batch answer is what a live call gives.
    body = {
        "model": request.route.provider_model,
        "messages": request.messages,
        "max_tokens": request.max_output_tokens,
        "temperature": request.temperature,
    }
    response_format = _response_format(request)
    if response_format is not None:
        body["response_format"] = response_format
    return body


def _api_error(exc: openai.APIConnectionError | openai.APIStatusError,
               started: float) -> LLMError:
    # What may work when tried again later is transient; the rest never will.
    if isinstance(exc, openai.APITimeoutError):
        return TransientLLMError("timeout", latency_ms=_since(started))
    if isinstance(exc, openai.APIConnectionError):
        return TransientLLMError("connection error", latency_ms=_since(started))
    status = exc.status_code
    reason = f"HTTP {status}: {_error_message(exc)}"
    rate_limits = rate_limits_of(exc.response.headers)
    if status in (408, 409, 429) or status >= 500:
        return TransientLLMError(reason, status=status, latency_ms=_since(started),
                                 retry_after_s=retry_after_s(exc.response.headers),
                                 rate_limits=rate_limits)
    return PermanentLLMError(reason, latency_ms=_since(started), rate_limits=rate_limits)


def _jsonl_records(content: bytes) -> list[dict]:
    try:
        records = [json.loads(line) for line in content.decode("utf-8").splitlines()
                   if line.strip()]
    except (UnicodeDecodeError, ValueError) as exc:
        # The provider writes these files; an unreadable one is worth downloading again.
        raise TransientLLMError(f"unreadable batch output file: {exc}") from exc
    if not all(isinstance(record, dict) for record in records):
        raise TransientLLMError("unreadable batch output file: a line is not an object")
    return records


def _batch_outcome(route: ModelSpec, record: dict) -> BatchOutcome:
    custom_id = str(record.get("custom_id") or "")
    response = record.get("response") or {}
    status = response.get("status_code")
    body = response.get("body")
    if status is None:
        # The line never got an answer (it expired, or failed upstream): nothing was billed.
        error = record.get("error") or {}
        reason = f"batch line not answered: {error.get('code')}: {error.get('message')}"
        return BatchOutcome(custom_id, None, TransientLLMError(reason[:300]))
    if status != 200:
        error = body.get("error") if isinstance(body, dict) else None
        message = error.get("message") if isinstance(error, dict) else None
        reason = f"HTTP {status}: {str(message or body)[:300]}"
        if status in (408, 409, 429) or status >= 500:
            return BatchOutcome(custom_id, None, TransientLLMError(reason, status=status))
        return BatchOutcome(custom_id, None, PermanentLLMError(reason))
    try:
        return BatchOutcome(custom_id, _batch_result(route, body), None)
    except LLMError as exc:
        return BatchOutcome(custom_id, None, exc)


def _batch_result(route: ModelSpec, body: object) -> LLMResult:
    """complete()'s checks on one answered line; raises the error complete() would."""
    if not isinstance(body, dict):
        raise TransientLLMError("batch line answered without a body")
    # Lenient like the SDK's own parsing: a body missing fields still gives its usage.
    # A line has no latency of its own; the batch's turnaround is the caller's.
    response = openai.types.chat.ChatCompletion.construct(**body)
    return _answer_read(route, response, upstream_error=body.get("error"), latency_ms=0)
