import subprocess
import sys

import pytest
from rest_framework.test import APIClient

from apps.accounts.models import ApiKey, Workspace
from apps.accounts.services import api_key_create, api_key_digest, api_key_revoke
from tests.conftest import stack_env


def test_key_is_stored_as_a_digest_only(workspace):
    issued = api_key_create(workspace=workspace, name="ci")

    stored = ApiKey.objects.get(pk=issued.api_key.pk)
    assert stored.digest == api_key_digest(issued.raw_key)
    assert issued.raw_key not in {stored.digest, stored.prefix, stored.name}
    assert issued.raw_key.startswith("cg_")


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope", "Token abc", "Bearer a b"])
def test_requests_without_a_valid_key_are_refused(db, header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get("/api/v1/jobs/")

    assert response.status_code == 401
    assert response.json()["error"]["code"] in {"not_authenticated", "authentication_failed"}


def test_revoked_key_is_refused(workspace):
    issued = api_key_create(workspace=workspace)
    api_key_revoke(api_key=issued.api_key)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.raw_key}")

    assert client.get("/api/v1/jobs/").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_create_api_key_command_creates_workspace_and_prints_key_last(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "create_api_key", "--workspace", "newco"],
        env=stack_env(), capture_output=True, text=True, timeout=60, check=True,
    )

    raw_key = result.stdout.strip().splitlines()[-1]
    workspace = Workspace.objects.get(slug="newco")
    assert ApiKey.objects.get(workspace=workspace).digest == api_key_digest(raw_key)
