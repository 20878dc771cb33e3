"""The whole API against its own OpenAPI schema: property-based requests (schemathesis),
bounded in examples, must never get a 5xx or an answer the schema does not describe."""

import json
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.accounts.services import api_key_create
from apps.jobs.models import GenerationAttempt
from contentgen.wsgi import application
from tests.conftest import product, submit


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


@schema.parametrize()
@pytest.mark.parametrize("accept", ["application/json", "text/csv", "*/*"])
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_endpoint_answers_json_whatever_the_accept_and_names_an_unknown_property(
        case, accept, raw_key, wsgi_calls_keep_the_test_connection):
    # (Schemathesis also tries methods an operation lacks; those bodies are never read.)
    sent_unknown = (isinstance(case.body, dict)
                    and case.method.upper() == case.operation.method.upper())
    if sent_unknown:
        case.body = {**case.body, "unknown_property": 1}

    response = case.call(headers={"Authorization": f"Bearer {raw_key}", "Accept": accept})

    case.validate_response(response, checks=[not_a_server_error])
    content_type = response.headers.get("content-type", [""])[0]
    if content_type.startswith("text/csv"):
        # Only the items export makes CSV, and only when asked for it.
        assert (case.path, accept, response.status_code) == (
            "/api/v1/jobs/{job_id}/items/", "text/csv", 200)
    else:
        assert content_type == "application/json", (accept, response.status_code)
    if sent_unknown:
        assert response.status_code >= 400  # never accepted with the property dropped
    if sent_unknown and response.status_code == 400 and case.media_type == "application/json":
        assert "unknown_property" in response.json()["error"]["fields"]


def test_the_schema_documents_every_endpoint_and_the_error_shape(client):
    document = json.loads(client.get("/api/schema/",
                                     HTTP_ACCEPT="application/vnd.oai.openapi+json").content)

    paths = set(document["paths"])
    assert {"/api/v1/jobs/", "/api/v1/jobs/{job_id}/", "/api/v1/jobs/{job_id}/items/",
            "/api/v1/jobs/{job_id}/cancel/", "/api/v1/jobs/{job_id}/retry/",
            "/api/v1/jobs/{job_id}/resume/", "/api/v1/jobs/{job_id}/webhooks/",
            "/api/v1/jobs/{job_id}/items/{item_id}/",
            "/api/v1/jobs/{job_id}/items/{item_id}/approve/",
            "/api/v1/jobs/{job_id}/items/{item_id}/reject/",
            "/api/v1/jobs/{job_id}/items/{item_id}/revisions/",
            "/api/v1/estimate/", "/api/v1/models/", "/api/v1/usage/", "/api/v1/brands/",
            "/api/v1/brands/{slug}/", "/api/v1/webhook-secret/"} <= paths
    error = document["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["$ref"].endswith("/ErrorBody")
    assert set(document["components"]["schemas"]["ErrorBody"]["required"]) == {
        "code", "message", "fields"}
    assert document["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"


def test_request_bodies_admit_no_extra_property_but_free_form_maps_do(client):
    schemas = schema_document(client)["components"]["schemas"]

    closed = {name for name, component in schemas.items()
              if component.get("additionalProperties") is False}

    assert closed == {"BrandRequest", "PatchedBrandRequest", "LocaleOverrideRequest",
                      "ExampleRequest", "LengthBoundRequest", "JobCreateRequest",
                      "JobCreateFormRequest", "ItemInputRequest", "PatchedItemEditRequest",
                      "ItemApproveRequest", "ItemRejectRequest", "GlossaryRequest",
                      "GlossaryEntryRequest", "BriefProductRequest"}
    assert schemas["ItemInputRequest"]["properties"]["attributes"]["additionalProperties"] == {}


def test_the_interactive_docs_load_without_a_cdn(client):
    page = client.get("/api/docs/").content.decode()

    assert "swagger-ui" in page
    assert "cdn.jsdelivr.net" not in page


# --- Typed answers: named components, not a bare "object" ---------------------------


def schema_document(client) -> dict:
    return json.loads(client.get("/api/schema/",
                                 HTTP_ACCEPT="application/vnd.oai.openapi+json").content)


def component(document: dict, ref: str) -> dict:
    return document["components"]["schemas"][ref.removeprefix("#/components/schemas/")]


def answer_of(document: dict, path: str, method: str) -> tuple[str, dict]:
    """The name and the schema of the component an operation's 200 answers."""
    ref = document["paths"][path][method]["responses"]["200"]["content"]["application/json"][
        "schema"]["$ref"]
    return ref.removeprefix("#/components/schemas/"), component(document, ref)


def types(schema: dict) -> dict[str, str]:
    return {name: field.get("type", "$ref") for name, field in schema["properties"].items()}


def test_the_estimate_answers_a_typed_component(client):
    document = schema_document(client)

    name, estimate = answer_of(document, "/api/v1/estimate/", "post")

    assert name == "Estimate"
    assert types(estimate) == {"items_total": "integer", "items_cached": "integer",
                               "model": "string", "estimated_cost_usd": "string",
                               "routed": "object", "models": "object", "policies": "object",
                               "budget": "$ref"}
    fields = estimate["properties"]
    assert fields["estimated_cost_usd"]["format"] == "decimal"
    assert fields["policies"]["additionalProperties"]["format"] == "decimal"
    per_model = fields["routed"]["additionalProperties"]
    assert fields["models"]["additionalProperties"] == per_model
    model_estimate = component(document, per_model["$ref"])
    assert types(model_estimate) == {"items": "integer", "input_tokens": "integer",
                                     "output_tokens": "integer", "cost_usd": "string"}
    assert model_estimate["properties"]["cost_usd"]["nullable"] is True
    assert fields["budget"]["nullable"] is True
    budget = component(document, fields["budget"]["allOf"][0]["$ref"])
    assert types(budget) == {"budget_usd": "string", "spent_usd": "string",
                             "committed_usd": "string", "estimate_usd": "string",
                             "remaining_usd": "string", "fits": "boolean"}


def test_the_model_catalog_answers_a_typed_component(client):
    document = schema_document(client)

    name, catalog = answer_of(document, "/api/v1/models/", "get")

    assert name == "ModelCatalog"
    assert types(catalog) == {"results": "array"}
    model = component(document, catalog["properties"]["results"]["items"]["$ref"])
    assert types(model) == {"model": "string", "name": "string", "provider_model": "string",
                            "context_tokens": "integer", "input_usd_per_mtok": "string",
                            "output_usd_per_mtok": "string", "supports_images": "boolean",
                            "batch_api": "boolean"}


def test_usage_answers_a_typed_component(client):
    document = schema_document(client)

    name, usage = answer_of(document, "/api/v1/usage/", "get")

    assert name == "Usage"
    assert types(usage) == {"from": "string", "to": "string", "by_model": "array",
                            "by_brand": "array", "by_day": "array"}
    assert usage["properties"]["from"]["format"] == usage["properties"]["to"]["format"] == "date"
    rows = {key: component(document, usage["properties"][f"by_{key}"]["items"]["$ref"])
            for key in ("model", "brand", "day")}
    totals = {"calls": "integer", "input_tokens": "integer", "output_tokens": "integer",
              "cost_usd": "string"}
    assert {key: types(row) for key, row in rows.items()} == {
        "model": {"model": "string", **totals}, "brand": {"brand": "string", **totals},
        "day": {"day": "string", **totals}}
    assert rows["day"]["properties"]["day"]["format"] == "date"


def test_real_estimate_catalog_and_usage_answers_conform_to_their_components(
        raw_key, workspace, wsgi_calls_keep_the_test_connection):
    # A budget, an image item that one model cannot take (a null cost) and a model call:
    # every branch of the three shapes is in the answers.
    workspace.monthly_budget_usd = Decimal("0.01")
    workspace.save()
    item = submit(workspace, items=[product(1)]).items.get()
    GenerationAttempt.objects.create(item=item, model="gpt-4o-mini", input_tokens=10,
                                     output_tokens=5, cost_usd=Decimal("0.00001"),
                                     outcome=GenerationAttempt.Outcome.OK)
    cases = [
        schema["/api/v1/estimate/"]["POST"].Case(media_type="application/json", body={
            "kind": "product_description", "brand": "nordic-home", "locales": ["en"],
            "items": [product(1), product(2, image_urls=["https://img.example/a.jpg"])]}),
        schema["/api/v1/models/"]["GET"].Case(),
        schema["/api/v1/usage/"]["GET"].Case(),
    ]

    responses = [case.call(headers={"Authorization": f"Bearer {raw_key}"}) for case in cases]

    assert [response.status_code for response in responses] == [200, 200, 200]
    assert responses[0].json()["models"]["hermes-3-405b"]["cost_usd"] is None
    assert responses[0].json()["budget"]["fits"] is True
    assert responses[2].json()["by_model"][0]["cost_usd"] == "0.00001000"
    for case, response in zip(cases, responses, strict=True):
        case.validate_response(response, checks=[response_schema_conformance])


def test_the_review_endpoints_answer_typed_components(client):
    document = schema_document(client)
    item_path = "/api/v1/jobs/{job_id}/items/{item_id}/"

    name, item = answer_of(document, item_path, "patch")
    revisions_name, revisions = answer_of(document, item_path + "revisions/", "get")

    assert name == "JobItem"
    assert answer_of(document, item_path + "approve/", "post")[0] == "JobItem"
    assert answer_of(document, item_path + "reject/", "post")[0] == "JobItem"
    fields = item["properties"]
    assert (fields["edited"]["type"], fields["revision"]["type"]) == ("boolean", "integer")
    assert fields["review"]["nullable"] is True
    assert component(document, fields["review"]["oneOf"][0]["$ref"])["enum"] == [
        "pending", "approved", "rejected"]
    assert set(document["paths"][item_path + "reject/"]["post"]["responses"]) == {
        "200", "400", "401", "402", "404", "409"}
    revision = component(document, revisions["properties"]["results"]["items"]["$ref"])
    assert revisions_name == "PaginatedRevisions"
    assert set(revision["properties"]) == {"number", "author", "created_at",
                                           "previous_content", "new_content"}
    assert (revision["properties"]["number"]["type"],
            revision["properties"]["author"]["type"]) == ("integer", "string")
