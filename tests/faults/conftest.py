"""Fixtures of the fault suite: a whole stack of its own (Redis, web, workers, beat) that
a test may break, and the ledgers that tell whether anything was lost or run twice."""

import collections
import json
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from apps.accounts.services import api_key_create
from apps.jobs.models import GenerationAttempt, JobItem
from devtools import devstack
from tests.conftest import BRAND_FIELDS, stack_env

HERMES_PROVIDER_MODEL = "nousresearch/hermes-3-llama-3.1-405b"
OPENAI_PROVIDER_MODEL = "gpt-4o-mini"

# The stacks run the production defaults for recovery (lease 30 s renewed by a live
# worker, sweep every 15 s): the healing times these tests measure are what users get.


@dataclass
class FaultStack:
    """Real processes on loopback, all owned by one test: it may kill any of them."""

    env: dict
    log_dir: Path
    redis_port: int
    redis: devstack.ManagedProcess
    web: devstack.ManagedProcess
    raw_key: str
    workers: list = field(default_factory=list)
    beat: devstack.ManagedProcess | None = None

    @property
    def url(self) -> str:
        return self.web.url

    def client(self, raw_key: str | None = None) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30,
                            headers={"Authorization": f"Bearer {raw_key or self.raw_key}"})

    def worker_start(self, *, name: str, concurrency: int) -> devstack.ManagedProcess:
        worker = devstack.start_worker(env=self.env, log_dir=self.log_dir, name=name,
                                       concurrency=concurrency)
        self.workers.append(worker)
        return worker

    def workers_replace_if_stalled(self, *, job_id: str, grace_s: float,
                                   concurrency: int) -> int:
        """As a supervisor would: when the job makes no progress for `grace_s`, kill the
        workers and start new ones. Returns how many were replaced."""
        done = items_with_status(job_id, "succeeded")
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline:
            if items_with_status(job_id, "succeeded") > done:
                return 0
            time.sleep(1)
        dead = list(self.workers)
        self.workers.clear()
        for worker in dead:
            worker.stop(sig=signal.SIGKILL)
            self.worker_start(name=f"{worker.name}-new", concurrency=concurrency)
        return len(dead)

    def redis_stop(self) -> None:
        self.redis.stop(sig=signal.SIGTERM)

    def redis_start_empty(self) -> None:
        # The same port, so every client reconnects to it; nothing was saved, so it is empty.
        self.redis = devstack.start_embedded_redis(port=self.redis_port,
                                                   log_dir=self.log_dir / "redis-2")

    def logs(self, lines: int = 30) -> str:
        processes = [self.web, *self.workers, *([self.beat] if self.beat else [])]
        return "\n".join(f"--- {p.name} ---\n{p.log_tail(lines)}" for p in processes)

    def stop(self) -> None:
        for process in [*self.workers, *([self.beat] if self.beat else []), self.web]:
            process.stop(timeout=15)
        self.redis.stop()


def beat_start(*, env: dict, log_dir: Path) -> devstack.ManagedProcess:
    process = devstack._spawn("beat", [
        sys.executable, "-m", "celery", "-A", "contentgen", "beat",
        "--schedule", str(log_dir / "beat-schedule"), "--loglevel", "INFO",
    ], env=env, log_dir=log_dir)
    log_path = process.log_path
    devstack.wait_until(lambda: b"beat: Starting" in log_path.read_bytes(), timeout=60,
                        process=process, what="Celery beat")
    return process


@pytest.fixture
def fault_stack(transactional_db, simulator, workspace, tmp_path):
    """Start a stack with `fault_stack(extra=..., concurrency=...)`; it is stopped after
    the test, before the database is flushed. Its Redis is its own, so stopping or
    emptying it touches no one else."""
    started: list[FaultStack] = []

    def start(*, extra: dict | None = None, concurrency: int = 8, beat: bool = True,
              web_workers: int = 1, web_threads: int = 8) -> FaultStack:
        log_dir = tmp_path / "stack"
        redis_port = devstack.free_port()
        redis_process = devstack.start_embedded_redis(port=redis_port, log_dir=log_dir / "redis")
        env = stack_env(simulator_url=simulator.base_url, extra={
            "REDIS_URL": redis_process.url, **(extra or {})})
        web = devstack.start_web(env=env, port=devstack.free_port(), log_dir=log_dir,
                                 workers=web_workers, threads=web_threads)
        stack = FaultStack(env=env, log_dir=log_dir, redis_port=redis_port, redis=redis_process,
                           web=web, raw_key=api_key_create(workspace=workspace).raw_key)
        started.append(stack)
        stack.worker_start(name="worker1", concurrency=concurrency)
        if beat:
            stack.beat = beat_start(env=env, log_dir=log_dir)
        with stack.client() as client:
            created = client.post("/api/v1/brands/", json=BRAND_FIELDS)
            assert created.status_code == 201, created.text
        return stack

    yield start
    for stack in started:
        stack.stop()


# --- Ledgers -------------------------------------------------------------------


def sim_configure(simulator, config: dict) -> None:
    simulator.reset()
    simulator.configure(config)


def job_submit_over_http(client: httpx.Client, items: list[dict], **fields) -> str:
    submitted = client.post("/api/v1/jobs/", json={
        "kind": "product_description", "brand": "nordic-home", "locales": ["en"],
        "items": items, **fields})
    assert submitted.status_code == 202, submitted.text
    return submitted.json()["id"]


def calls_per_sku(simulator, *, status: int | None = None) -> collections.Counter:
    """Chat requests the provider received, per item sku (from the prompt's product data);
    with `status`, only those it answered with that status."""
    calls = collections.Counter()
    for request in simulator.requests():
        if request["path"] != "/v1/chat/completions" or (status and request["status"] != status):
            continue
        if request["body"] is None:
            # Cut off mid-send (its worker was killed): the provider never read a prompt.
            continue
        user = next(m["content"] for m in request["body"]["messages"] if m["role"] == "user")
        if isinstance(user, list):  # a message with images: text parts beside image parts
            user = "".join(part.get("text", "") for part in user if part.get("type") == "text")
        data = json.loads(user.split("<product_data>")[1].split("</product_data>")[0])
        calls[data["sku"]] += 1
    return calls


def attempts_per_sku(job_id: str, *, outcome: str | None = None) -> collections.Counter:
    attempts = GenerationAttempt.objects.filter(item__job_id=job_id)
    if outcome:
        attempts = attempts.filter(outcome=outcome)
    return collections.Counter(attempts.values_list("item__sku", flat=True))


def items_with_status(job_id: str, status: str) -> int:
    return JobItem.objects.filter(job_id=job_id, status=status).count()


def wait_for(check, *, timeout: float, what: str, stack: FaultStack | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not reached after {timeout}s\n"
                                 + (stack.logs() if stack else ""))
        time.sleep(0.1)
