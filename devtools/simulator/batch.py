"""The simulator's Batch API: enough of OpenAI's `/v1/files` and `/v1/batches`.

A batch's status follows the time since it was created: "validating" for the first
half of `batch_delay_s` (config, default 1.0 s, read when the batch is created), then
"in_progress", then "completed" - or "failed" when its input file did not validate.
Nothing runs in the background: the first retrieve (or cancel) after the delay answers
every line, once, and later calls read the stored files.

Each line is answered by the same code as a live `POST /v1/chat/completions`, in input
file order. So a scripted entry queued any time before that first retrieve is consumed
by the first line(s) of the batch (the model's queue, then "*"), and the config's rate
limits and fault rates apply per line. Latency and timeout sleeps are skipped (the
batch delay stands for them); a line that would time out gets an error line without a
response, the shape OpenAI uses for lines that expired.
"""

from __future__ import annotations

import email.policy
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from typing import Any

CHAT_ENDPOINT = "/v1/chat/completions"
COMPLETION_WINDOW = "24h"
DEFAULT_BATCH_DELAY_S = 1.0
TERMINAL_STATUSES = ("completed", "failed", "cancelled", "expired")

# Answers one line's chat request: (HTTP status, JSON body); status None: no answer.
LineAnswer = Callable[[dict[str, Any]], tuple[int | None, Any]]


class BatchApiError(Exception):
    """An HTTP error answer of the files or batches API."""

    def __init__(
        self, status: int, message: str, code: str | None = None, param: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.param = param


@dataclass(frozen=True)
class FormField:
    filename: str | None
    content: bytes


def parse_form(content_type: str, body: bytes) -> dict[str, FormField]:
    """multipart/form-data through the email parser (the `cgi` module is deprecated)."""
    if not content_type.lower().startswith("multipart/form-data"):
        raise BatchApiError(400, "The body must be multipart/form-data.", "invalid_content_type")
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
    if not message.is_multipart():
        raise BatchApiError(400, "The multipart body has no parts.", "invalid_multipart")
    fields: dict[str, FormField] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            payload = part.get_payload(decode=True)
            content = payload if isinstance(payload, bytes) else b""
            fields[name] = FormField(part.get_filename(), content)
    return fields


@dataclass
class StoredFile:
    id: str
    filename: str
    purpose: str
    content: bytes
    created_at: int

    def as_object(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.content),
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
            "expires_at": None,
            "status_details": None,
        }


@dataclass
class StoredBatch:
    id: str
    input_file_id: str
    endpoint: str
    completion_window: str
    metadata: dict[str, Any] | None
    created_at: float  # wall clock, for the object's timestamps
    started: float  # monotonic, for the status by elapsed time
    delay_s: float
    lines: list[dict[str, Any]]
    validation_errors: list[dict[str, Any]]
    status: str = "validating"
    status_times: dict[str, int] = field(default_factory=dict)
    output_file_id: str | None = None
    error_file_id: str | None = None
    counts: dict[str, int] = field(
        default_factory=lambda: {"total": 0, "completed": 0, "failed": 0}
    )

    def as_object(self) -> dict[str, Any]:
        errors = None
        if self.validation_errors and self.status == "failed":
            errors = {"object": "list", "data": self.validation_errors}
        return {
            "id": self.id,
            "object": "batch",
            "endpoint": self.endpoint,
            "input_file_id": self.input_file_id,
            "completion_window": self.completion_window,
            "status": self.status,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "created_at": int(self.created_at),
            "in_progress_at": self.status_times.get("in_progress"),
            "finalizing_at": self.status_times.get("finalizing"),
            "completed_at": self.status_times.get("completed"),
            "failed_at": self.status_times.get("failed"),
            "expires_at": int(self.created_at) + 24 * 3600,
            "expired_at": None,
            "cancelling_at": self.status_times.get("cancelling"),
            "cancelled_at": self.status_times.get("cancelled"),
            "request_counts": dict(self.counts),
            "metadata": self.metadata,
            "errors": errors,
        }


class BatchStore:
    """Files and batches of one simulator; every access holds the lock.

    Kept across `/_sim/reset` (like completion ids), so ids never repeat and a batch
    created before a reset can still be read.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[str, StoredFile] = {}
        self._batches: dict[str, StoredBatch] = {}
        self._counters = {"file": 0, "batch": 0, "line": 0, "request": 0}

    # files

    def create_file(self, content_type: str, body: bytes) -> dict[str, Any]:
        form = parse_form(content_type, body)
        purpose_field = form.get("purpose")
        upload = form.get("file")
        if purpose_field is None:
            raise BatchApiError(400, "'purpose' is required.", "missing_required_parameter",
                                "purpose")
        if upload is None:
            raise BatchApiError(400, "'file' is required.", "missing_required_parameter", "file")
        purpose = purpose_field.content.decode("utf-8", "replace").strip()
        if purpose != "batch":
            message = f"Only purpose 'batch' is simulated, not {purpose!r}."
            raise BatchApiError(400, message, "invalid_value", "purpose")
        with self._lock:
            stored = self._add_file(upload.filename or "upload.jsonl", purpose, upload.content)
            return stored.as_object()

    def file_object(self, file_id: str) -> dict[str, Any]:
        with self._lock:
            return self._file(file_id).as_object()

    def file_content(self, file_id: str) -> bytes:
        with self._lock:
            return self._file(file_id).content

    # batches

    def create_batch(self, body: dict[str, Any], delay_s: float) -> dict[str, Any]:
        input_file_id = body.get("input_file_id")
        if not isinstance(input_file_id, str):
            raise BatchApiError(400, "'input_file_id' is required.", "missing_required_parameter",
                                "input_file_id")
        endpoint = body.get("endpoint")
        if endpoint != CHAT_ENDPOINT:
            message = f"Only endpoint '{CHAT_ENDPOINT}' is simulated, not {endpoint!r}."
            raise BatchApiError(400, message, "invalid_value", "endpoint")
        if body.get("completion_window") != COMPLETION_WINDOW:
            message = f"'completion_window' must be '{COMPLETION_WINDOW}'."
            raise BatchApiError(400, message, "invalid_value", "completion_window")
        metadata = body.get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise BatchApiError(400, "'metadata' must be an object.", "invalid_type", "metadata")
        with self._lock:
            stored_file = self._files.get(input_file_id)
            if stored_file is None or stored_file.purpose != "batch":
                message = f"Invalid 'input_file_id': {input_file_id!r} is no batch file."
                raise BatchApiError(400, message, "invalid_file", "input_file_id")
            lines, errors = validate_input(stored_file.content)
            self._counters["batch"] += 1
            batch = StoredBatch(
                id=f"batch-sim-{self._counters['batch']}",
                input_file_id=input_file_id,
                endpoint=endpoint,
                completion_window=COMPLETION_WINDOW,
                metadata=metadata,
                created_at=time.time(),
                started=time.monotonic(),
                delay_s=max(0.0, float(delay_s)),
                lines=lines,
                validation_errors=errors,
            )
            batch.counts["total"] = 0 if errors else len(lines)
            self._batches[batch.id] = batch
            return batch.as_object()

    def retrieve_batch(self, batch_id: str, answer: LineAnswer) -> dict[str, Any]:
        # The lock is held while lines are answered, so concurrent retrieves answer them once.
        with self._lock:
            batch = self._batch(batch_id)
            self._advance(batch, answer)
            return batch.as_object()

    def cancel_batch(self, batch_id: str, answer: LineAnswer) -> dict[str, Any]:
        with self._lock:
            batch = self._batch(batch_id)
            self._advance(batch, answer)
            if batch.status == "cancelled":
                return batch.as_object()
            if batch.status in TERMINAL_STATUSES:
                message = f"Cannot cancel a batch with status '{batch.status}'."
                raise BatchApiError(409, message, "batch_not_cancellable")
            # No line has been answered yet, so nothing was done and nothing is billed.
            now = int(time.time())
            batch.status_times.update(cancelling=now, cancelled=now)
            batch.status = "cancelled"
            return batch.as_object()

    # internals (the lock is held)

    def _add_file(self, filename: str, purpose: str, content: bytes) -> StoredFile:
        self._counters["file"] += 1
        stored = StoredFile(f"file-sim-{self._counters['file']}", filename, purpose, content,
                            int(time.time()))
        self._files[stored.id] = stored
        return stored

    def _file(self, file_id: str) -> StoredFile:
        stored = self._files.get(file_id)
        if stored is None:
            raise BatchApiError(404, f"No such File object: {file_id}", "not_found", "id")
        return stored

    def _batch(self, batch_id: str) -> StoredBatch:
        batch = self._batches.get(batch_id)
        if batch is None:
            raise BatchApiError(404, f"No batch found with id '{batch_id}'.", "not_found", "id")
        return batch

    def _advance(self, batch: StoredBatch, answer: LineAnswer) -> None:
        if batch.status in TERMINAL_STATUSES:
            return
        elapsed = time.monotonic() - batch.started
        half = batch.delay_s / 2
        if elapsed < half:
            return
        if batch.validation_errors:
            batch.status = "failed"
            batch.status_times["failed"] = int(batch.created_at + half)
            return
        if batch.status == "validating":
            batch.status = "in_progress"
            batch.status_times["in_progress"] = int(batch.created_at + half)
        if elapsed < batch.delay_s:
            return
        self._answer_lines(batch, answer)
        finished = int(batch.created_at + batch.delay_s)
        batch.status_times.update(finalizing=finished, completed=finished)
        batch.status = "completed"

    def _answer_lines(self, batch: StoredBatch, answer: LineAnswer) -> None:
        answered: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        for line in batch.lines:
            status, body = answer(line["body"])
            self._counters["line"] += 1
            self._counters["request"] += 1
            record: dict[str, Any] = {"id": f"batch_req_{self._counters['line']}",
                                      "custom_id": line["custom_id"]}
            if status is None:
                record["response"] = None
                record["error"] = {"code": "request_timeout",
                                   "message": "The request timed out before the model answered."}
                failed.append(record)
                continue
            record["response"] = {"status_code": status,
                                  "request_id": f"req_sim_{self._counters['request']}",
                                  "body": body}
            record["error"] = None
            (answered if status == 200 else failed).append(record)
        if answered:
            batch.output_file_id = self._add_file(f"{batch.id}_output.jsonl", "batch_output",
                                                  jsonl(answered)).id
        if failed:
            batch.error_file_id = self._add_file(f"{batch.id}_error.jsonl", "batch_output",
                                                 jsonl(failed)).id
        batch.counts.update(total=len(batch.lines), completed=len(answered), failed=len(failed))


def jsonl(records: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode()


def validate_input(content: bytes) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The input file's lines, or the errors that fail the batch (as OpenAI lists them)."""
    lines: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return [], [batch_error("invalid_file_encoding", "The input file is not UTF-8.")]
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        problem = line_problem(raw, seen)
        if problem is None:
            line = json.loads(raw)
            seen.add(line["custom_id"])
            lines.append(line)
        else:
            errors.append(batch_error(*problem, line=number))
    if not lines and not errors:
        errors.append(batch_error("empty_file", "The input file has no requests."))
    return lines, errors


def line_problem(raw: str, seen: set[str]) -> tuple[str, str, str | None] | None:
    """(code, message, param) of what is wrong with one input line, or None."""
    try:
        line = json.loads(raw)
    except ValueError:
        return "invalid_json_line", "This line is not valid JSON.", None
    if not isinstance(line, dict):
        return "invalid_json_line", "This line is not a JSON object.", None
    custom_id = line.get("custom_id")
    if not isinstance(custom_id, str) or not custom_id:
        return "missing_required_parameter", "'custom_id' is required.", "custom_id"
    if custom_id in seen:
        return "duplicate_custom_id", f"The custom_id {custom_id!r} is used twice.", "custom_id"
    if line.get("method") != "POST":
        return "invalid_method", "'method' must be 'POST'.", "method"
    if line.get("url") != CHAT_ENDPOINT:
        return "invalid_url", f"'url' must be the batch's endpoint '{CHAT_ENDPOINT}'.", "url"
    if not isinstance(line.get("body"), dict):
        return "missing_required_parameter", "'body' must be an object.", "body"
    return None


def batch_error(
    code: str, message: str, param: str | None = None, line: int | None = None
) -> dict[str, Any]:
    return {"code": code, "message": message, "param": param, "line": line}
