"""The whole API against its own OpenAPI schema: property-based requests (schemathesis),
bounded in examples, must never get a 5xx or an answer the schema does not describe."""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.checks import not_a_server_error

from django.core import signals
from django.db import close_old_connections

from apps.accounts.services import api_key_create
from contentgen.wsgi import application


@pytest.fixture
def raw_key(workspace, brand):
    return api_key_create(workspace=workspace).raw_key


# Loaded once, at collection: serving the schema needs no database. (schemathesis's
# lazy `from_fixture` reads a pytest internal that pytest 9 removed.)
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def wsgi_calls_keep_the_test_connection(db):
    # Like Django's test client: requests must not close the test's own connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_endpoint_conforms_to_the_schema(case, raw_key, wsgi_calls_keep_the_test_connection):
    response = case.call(headers={"Authorization": f"Bearer {raw_key}"})

    case.validate_response(response, checks=[not_a_server_error, status_code_conformance,
                                             content_type_conformance,
                                             response_schema_conformance])


def test_the_schema_documents_every_endpoint_and_the_error_shape(client):
    document = json.loads(client.get("/api/schema/",
                                     HTTP_ACCEPT="application/vnd.oai.openapi+json").content)

    paths = set(document["paths"])
    assert {"/api/v1/jobs/", "/api/v1/jobs/{job_id}/", "/api/v1/jobs/{job_id}/items/",
            "/api/v1/jobs/{job_id}/cancel/", "/api/v1/jobs/{job_id}/retry/",
            "/api/v1/jobs/{job_id}/resume/", "/api/v1/jobs/{job_id}/webhooks/",
            "/api/v1/estimate/", "/api/v1/models/", "/api/v1/usage/", "/api/v1/brands/",
            "/api/v1/brands/{slug}/", "/api/v1/webhook-secret/"} <= paths
    error = document["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["$ref"].endswith("/ErrorBody")
    assert set(document["components"]["schemas"]["ErrorBody"]["required"]) == {
        "code", "message", "fields"}
    assert document["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"


def test_the_interactive_docs_load_without_a_cdn(client):
    page = client.get("/api/docs/").content.decode()

    assert "swagger-ui" in page
    assert "cdn.jsdelivr.net" not in page
