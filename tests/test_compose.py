"""docker-compose.yml: the compose client accepts it, and it runs the stack we mean
(five services with healthchecks, a broker that never evicts, no secret in the file)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

COMPOSE_FILE = Path(settings.BASE_DIR) / "docker-compose.yml"
DUMMY_ENV = {"DJANGO_SECRET_KEY": "dummy-secret-key-for-config",
             "POSTGRES_PASSWORD": "dummy-postgres-password"}


def compose_command() -> list[str] | None:
    """`docker compose` (the plugin) or the standalone `docker-compose`, if installed."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.fixture(scope="module")
def compose() -> dict:
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed")
    return yaml.safe_load(COMPOSE_FILE.read_text())


def test_compose_client_validates_the_file():
    command = compose_command()
    if command is None:
        pytest.skip("the docker compose client is not installed "
                    "(neither the `docker compose` plugin nor `docker-compose`)")

    result = subprocess.run([*command, "-f", str(COMPOSE_FILE), "config", "--quiet"],
                            env={**os.environ, **DUMMY_ENV}, capture_output=True, text=True,
                            timeout=60)

    assert result.returncode == 0, result.stderr


def test_compose_refuses_to_start_without_the_secrets():
    command = compose_command()
    if command is None:
        pytest.skip("the docker compose client is not installed "
                    "(neither the `docker compose` plugin nor `docker-compose`)")
    env = {key: value for key, value in os.environ.items() if key not in DUMMY_ENV}

    result = subprocess.run([*command, "-f", str(COMPOSE_FILE), "config", "--quiet"],
                            env=env, capture_output=True, text=True, timeout=60)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr or "POSTGRES_PASSWORD" in result.stderr


def test_the_stack_has_five_services(compose):
    assert set(compose["services"]) == {"web", "worker", "beat", "redis", "postgres"}


def test_web_migrates_first_and_is_checked_for_readiness(compose):
    web = compose["services"]["web"]

    assert re.search(r"migrate --noinput && .*gunicorn ", web["command"])
    assert "/readyz" in " ".join(web["healthcheck"]["test"])


def test_worker_runs_threads_and_is_checked_by_worker_health(compose):
    worker = compose["services"]["worker"]

    # The production worker is the default one: threads come from settings, not flags.
    assert "--pool" not in worker["command"] and "--concurrency" not in worker["command"]
    assert settings.CELERY_WORKER_POOL == "threads"
    assert "manage.py worker_health" in " ".join(worker["healthcheck"]["test"])


def test_beat_keeps_its_schedule_in_tmp(compose):
    assert compose["services"]["beat"]["command"].startswith(
        "celery -A contentgen beat --schedule /tmp/celerybeat-schedule")


def test_app_services_wait_for_healthy_redis_and_postgres(compose):
    for name in ("web", "worker", "beat"):
        depends_on = compose["services"][name]["depends_on"]
        assert depends_on == {"postgres": {"condition": "service_healthy"},
                              "redis": {"condition": "service_healthy"}}, name


def test_redis_never_evicts_and_persists(compose):
    redis = compose["services"]["redis"]

    assert redis["image"] == "redis:7"
    assert "--appendonly yes" in redis["command"]
    assert "--maxmemory-policy noeviction" in redis["command"]
    assert "redis-cli" in " ".join(redis["healthcheck"]["test"])


def test_postgres_is_16_and_checked(compose):
    postgres = compose["services"]["postgres"]

    assert postgres["image"] == "postgres:16"
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])


def test_no_secret_is_written_in_the_file(compose):
    # Every secret is a ${VARIABLE}; a required one fails loudly when unset.
    env = compose["services"]["web"]["environment"]
    assert env["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
    assert "${POSTGRES_PASSWORD:?" in env["DATABASE_URL"]
    assert compose["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?")
    for name in ("HERMES_API_KEY", "OPENAI_API_KEY", "METRICS_TOKEN"):
        assert env[name] == f"${{{name}:-}}"
    # No URL in the file carries a literal password.
    for user, password in re.findall(r"://([^:/@\s]+):([^@\s]+)@", COMPOSE_FILE.read_text()):
        assert password.startswith("${"), f"literal password for {user}"
