"""The API's conventions: an unknown field is a 400 naming it; `Accept` is honoured; every
path under /api/ answers JSON, whatever the method, and none depends on CSRF."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authentication import SessionAuthentication
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from apps.accounts.models import Workspace
from apps.brands.models import BrandTemplate
from apps.core.api import ApiView
from apps.jobs.models import Job, JobItem
from tests.conftest import BRAND_FIELDS, product

UNKNOWN = "Unknown field."
READ_ONLY = "This field is read-only and cannot be set."


def job_body(**overrides) -> dict:
    return {"kind": "product_description", "brand": "nordic-home", "locales": ["en"],
            "items": [product(1), product(2)], **overrides}


def fields_of(response) -> dict:
    return response.json()["error"]["fields"]


# --- 1. Unknown request fields are refused ---------------------------------------------


def test_a_misspelt_brand_field_is_a_400_naming_it_and_nothing_is_written(api, workspace):
    response = api.post("/api/v1/brands/", {**BRAND_FIELDS, "bannned_terms": ["cheap"]},
                        format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert fields_of(response) == {"bannned_terms": [UNKNOWN]}
    assert not BrandTemplate.objects.exists()


def test_every_unknown_field_of_a_brand_is_named_at_its_path(api, workspace):
    body = {**BRAND_FIELDS, "tone": "calm",
            "locales": {"es": {"adress": "formal", "notes": "Usted."}},
            "length_bounds": {"title": {"min": 10, "maximum": 80}},
            "examples": [{"locale": "en", "product": {"name": "Lamp"},
                          "output": {"title": "Oak lamp"}, "score": 5}]}

    response = api.post("/api/v1/brands/", body, format="json")

    assert response.status_code == 400
    assert fields_of(response) == {"tone": [UNKNOWN], "locales.es.adress": [UNKNOWN],
                                   "length_bounds.title.maximum": [UNKNOWN],
                                   "examples.0.score": [UNKNOWN]}
    assert not BrandTemplate.objects.exists()


def test_unknown_fields_are_named_beside_the_other_errors(api, workspace):
    response = api.post("/api/v1/brands/", {"slug": "x", "name": "X", "vioce": "Calm."},
                        format="json")

    assert response.status_code == 400
    assert fields_of(response) == {"voice": ["This field is required."], "vioce": [UNKNOWN]}


def test_read_only_brand_fields_sent_by_a_client_are_refused(api, brand):
    response = api.patch("/api/v1/brands/nordic-home/",
                         {"voice": "Bold.", "version": 7, "archived_at": None,
                          "created_at": "2020-01-01T00:00:00Z"}, format="json")

    assert response.status_code == 400
    assert fields_of(response) == {"version": [READ_ONLY], "archived_at": [READ_ONLY],
                                   "created_at": [READ_ONLY]}
    brand.refresh_from_db()
    assert brand.voice == BRAND_FIELDS["voice"]
    assert brand.versions.count() == 1


def test_a_patch_with_an_unknown_field_changes_nothing(api, brand):
    response = api.patch("/api/v1/brands/nordic-home/",
                         {"voice": "Bold.", "locales": {"ru": {"curency": "RUB"}}}, format="json")

    assert response.status_code == 400
    assert fields_of(response) == {"locales.ru.curency": [UNKNOWN]}
    assert brand.versions.count() == 1


@pytest.mark.parametrize("path", ["/api/v1/jobs/", "/api/v1/estimate/"])
def test_every_unknown_field_of_a_job_body_is_named_at_its_path(api, brand, path):
    body = job_body(webhok_url="https://example.com/hook", id="job-1",
                    items=[product(1, colour="red"), product(2), product(3, prodct="x", title="T")])

    response = api.post(path, body, format="json")

    assert response.status_code == 400
    assert fields_of(response) == {"webhok_url": [UNKNOWN], "id": [UNKNOWN],
                                   "items.0.colour": [UNKNOWN], "items.2.prodct": [UNKNOWN],
                                   "items.2.title": [UNKNOWN]}
    assert not Job.objects.exists()
    assert not JobItem.objects.exists()


def test_an_unknown_field_is_named_beside_a_refused_webhook_url(api, brand, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False

    response = api.post("/api/v1/jobs/", job_body(webhook_url="http://127.0.0.1/hook",
                                                  priorty="economy"), format="json")

    assert response.status_code == 400
    assert set(fields_of(response)) == {"webhook_url", "priorty"}
    assert fields_of(response)["priorty"] == [UNKNOWN]
    assert not Job.objects.exists()


def test_an_unknown_field_named_with_a_lone_surrogate_is_shown_by_its_escape(api, workspace):
    body = '{"slug": "x", "name": "X", "voice": "Calm.", "\\udc00": 1}'

    response = api.generic("POST", "/api/v1/brands/", body.encode(),
                           content_type="application/json")

    assert response.status_code == 400
    assert fields_of(response) == {"\\udc00": [UNKNOWN]}


def test_free_form_maps_keep_every_key(api, brand):
    attributes = {"colour": "red", "prodct": "x", "id": 1, "nested": {"anything": True}}
    example = {"locale": "en", "product": {"whatever": "goes", "id": 3},
               "output": {"title": "Lamp", "created_at": "today"}}

    job = api.post("/api/v1/jobs/", job_body(items=[product(1, attributes=attributes)]),
                   format="json")
    brand_response = api.patch("/api/v1/brands/nordic-home/", {"examples": [example]},
                               format="json")

    assert job.status_code == 202, job.json()
    assert JobItem.objects.get().input["attributes"] == attributes
    assert brand_response.status_code == 200, brand_response.json()
    assert brand_response.json()["examples"] == [example]


def test_an_unknown_form_field_of_a_csv_upload_is_named(api, brand):
    upload = io.BytesIO(b"sku,name\nA-1,Lamp\n")
    upload.name = "items.csv"

    response = api.post("/api/v1/jobs/", {"kind": "product_description", "brand": "nordic-home",
                                          "locales": "en", "webhok_url": "https://e.com/h",
                                          "file": upload}, format="multipart")

    assert response.status_code == 400
    assert fields_of(response) == {"webhok_url": [UNKNOWN]}
    assert not Job.objects.exists()


@pytest.mark.parametrize("action", ["cancel", "retry", "resume"])
def test_a_job_action_refuses_a_body_with_fields(api, brand, action):
    job_id = api.post("/api/v1/jobs/", job_body(), format="json").json()["id"]

    response = api.post(f"/api/v1/jobs/{job_id}/{action}/", {"reason": "typo"}, format="json")

    assert response.status_code == 400
    assert fields_of(response) == {"reason": [UNKNOWN]}
    assert Job.objects.get(pk=job_id).status == Job.Status.QUEUED


def test_a_job_action_without_a_body_or_with_an_empty_object_still_works(api, brand):
    first, second = (api.post("/api/v1/jobs/", job_body(), format="json").json()["id"]
                     for _ in range(2))

    empty = api.post(f"/api/v1/jobs/{first}/cancel/")
    empty_object = api.post(f"/api/v1/jobs/{second}/cancel/", {}, format="json")

    assert (empty.status_code, empty_object.status_code) == (200, 200)
    assert {job.status for job in Job.objects.all()} == {Job.Status.CANCELLED}


def test_rotating_the_webhook_secret_refuses_a_chosen_secret(api, workspace):
    before = Workspace.objects.get(pk=workspace.pk).webhook_secret

    response = api.post("/api/v1/webhook-secret/", {"webhook_secret": "mine"}, format="json")

    assert response.status_code == 400
    assert fields_of(response) == {"webhook_secret": [UNKNOWN]}
    assert Workspace.objects.get(pk=workspace.pk).webhook_secret == before


@pytest.mark.parametrize("language, unknown, read_only", [
    ("es", "Campo desconocido.", "Este campo es de solo lectura y no se puede establecer."),
    ("ru", "Неизвестное поле.", "Это поле только для чтения, его нельзя задать."),
    ("en", UNKNOWN, READ_ONLY),
])
def test_unknown_fields_are_named_in_the_callers_language(api, workspace, language, unknown,
                                                           read_only):
    response = api.post("/api/v1/brands/", {**BRAND_FIELDS, "bannned_terms": [],
                                            "updated_at": "2020-01-01T00:00:00Z"},
                        format="json", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    assert fields_of(response) == {"bannned_terms": [unknown], "updated_at": [read_only]}


# --- 1b. Unknown query parameters are refused --------------------------------------------

UNKNOWN_QUERY = "Unknown query parameter."


@pytest.mark.parametrize("language, message", [
    ("en", UNKNOWN_QUERY), ("es", "Parámetro de consulta desconocido."),
    ("ru", "Неизвестный параметр запроса."),
])
def test_a_misspelt_filter_is_a_400_naming_it_not_every_item(api, job_id, language, message):
    response = api.get(f"/api/v1/jobs/{job_id}/items/?stauts=failed&locale=en",
                       HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert fields_of(response) == {"stauts": [message]}


@pytest.mark.parametrize("path", ["/api/v1/jobs/{job}/?expand=items", "/api/v1/models/?model=x",
                                  "/api/v1/usage/?form=2026-01-01", "/api/v1/jobs/?status=failed",
                                  "/api/v1/jobs/{job}/items/?format=csv&pagesize=5"])
def test_a_query_parameter_the_endpoint_does_not_take_is_named(api, job_id, path):
    response = api.get(path.format(job=job_id))

    assert response.status_code == 400
    assert list(fields_of(response)) == [path.rpartition("?")[2].split("&")[-1].split("=")[0]]


def test_an_unknown_query_parameter_of_a_post_is_refused_and_nothing_is_written(api, brand):
    response = api.post("/api/v1/jobs/?dry_run=1", job_body(), format="json")

    assert response.status_code == 400
    assert fields_of(response) == {"dry_run": [UNKNOWN_QUERY]}
    assert Job.objects.count() == 0


def test_the_documented_query_parameters_are_taken(api, job_id):
    items = api.get(f"/api/v1/jobs/{job_id}/items/?status=pending&status=running&locale=en-US"
                    f"&sku=SKU-001&page=1&page_size=1&format=json")
    jobs = api.get("/api/v1/jobs/?page=1&page_size=5")
    usage = api.get("/api/v1/usage/?from=2026-01-01&to=2026-01-31")

    assert (items.status_code, jobs.status_code, usage.status_code) == (200, 200, 200)
    assert [item["sku"] for item in items.json()["results"]] == ["SKU-001"]
    assert [job["id"] for job in jobs.json()["results"]] == [job_id]


@pytest.mark.parametrize("query, field", [("page=abc", "page"), ("page=0", "page"),
                                          ("page_size=0", "page_size"),
                                          ("page_size=-5", "page_size"),
                                          ("page=" + "9" * 5000, None)])
def test_a_page_that_cannot_be_read_is_a_400_naming_it(api, job_id, query, field):
    response = api.get(f"/api/v1/jobs/?{query}")

    if field is None:  # a real number, past the last page
        assert response.status_code == 404
    else:
        assert response.status_code == 400
        assert list(fields_of(response)) == [field]


def test_every_api_view_takes_the_query_parameters_its_schema_documents():
    """The rule and the documentation are one: each operation of the OpenAPI schema lists
    exactly the query parameters its view takes (`format` aside, taken everywhere)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    examples = {"job_id": "00000000-0000-0000-0000-000000000001", "item_id": "1",
                "slug": "nordic-home"}
    compared = 0
    for path, operations in schema["paths"].items():
        view = resolve(path.format(**examples)).func.cls
        for method, operation in operations.items():
            documented = {p["name"] for p in operation.get("parameters", [])
                          if p["in"] == "query"} - {"format"}
            assert (path, method, documented) == (
                path, method, set(view.query_params.get(method, ())))
            compared += 1
    assert compared >= 20


def test_every_api_view_is_an_api_view():
    ours = [(route, view.cls) for route, view in api_views()
            if hasattr(view, "cls") and view.cls.__module__.startswith("apps.")]

    assert len(ours) >= 15
    assert [route for route, cls in ours if not issubclass(cls, ApiView)] == []


# --- 2. Content negotiation honours Accept ---------------------------------------------


@pytest.fixture
def job_id(api, brand) -> str:
    return api.post("/api/v1/jobs/", job_body(locales=["en", "ru"]), format="json").json()["id"]


def csv_rows(response) -> list[tuple[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return [(row["sku"], row["locale"]) for row in csv.DictReader(io.StringIO(text))]


EXPECTED_ROWS = [("SKU-001", "en-US"), ("SKU-001", "ru-RU"), ("SKU-002", "en-US"),
                 ("SKU-002", "ru-RU")]


@pytest.mark.parametrize("accept, query", [
    ("text/csv", ""),
    ("text/csv; charset=utf-8", ""),
    ("text/csv, application/json;q=0.5", ""),
    ("application/json", "?format=csv"),
    ("*/*", "?format=csv"),
])
def test_items_download_as_csv_by_accept_or_by_format(api, job_id, accept, query):
    response = api.get(f"/api/v1/jobs/{job_id}/items/{query}", HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_rows(response) == EXPECTED_ROWS


@pytest.mark.parametrize("accept", [
    None, "application/json", "*/*", "application/*",
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8",
])
def test_items_answer_json_to_json_any_or_a_browsers_accept(api, job_id, accept):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}

    response = api.get(f"/api/v1/jobs/{job_id}/items/", **headers)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["count"] == 4


def test_format_json_wins_over_a_csv_accept(api, job_id):
    response = api.get(f"/api/v1/jobs/{job_id}/items/?format=json", HTTP_ACCEPT="text/csv")

    assert response["Content-Type"] == "application/json"
    assert response.json()["count"] == 4


@pytest.mark.parametrize("path, accept", [
    ("/api/v1/jobs/{job}/items/", "application/xml"),
    ("/api/v1/jobs/{job}/items/", "text/html"),
    ("/api/v1/jobs/{job}/", "text/csv"),
    ("/api/v1/brands/", "text/csv"),
    ("/api/v1/models/", "application/xml"),
])
def test_an_accept_the_endpoint_cannot_produce_is_a_406_in_json(api, job_id, path, accept):
    response = api.get(path.format(job=job_id), HTTP_ACCEPT=accept)

    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_acceptable"


def test_an_error_of_the_csv_export_is_json(api, brand):
    response = api.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000/items/",
                       HTTP_ACCEPT="text/csv")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


def test_a_bad_filter_on_the_csv_export_is_a_json_400(api, job_id):
    response = api.get(f"/api/v1/jobs/{job_id}/items/?status=lost", HTTP_ACCEPT="text/csv")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(fields_of(response)) == ["status"]


def test_options_on_the_csv_export_describes_it_in_json(api, job_id):
    response = api.options(f"/api/v1/jobs/{job_id}/items/", HTTP_ACCEPT="*/*")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


# --- 3. Every path under /api/ answers JSON; none depends on CSRF -----------------------

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@pytest.fixture
def admin_browser(db) -> APIClient:
    """A browser with the Django admin's session cookie and CSRF checks on, as a real one."""
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw-12345678")
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(admin)
    return browser


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", ["/api/", "/api/v1/nope/", "/api/v2/jobs/", "/api/v1/jobs/x/y/z/"])
def test_an_unknown_api_path_is_a_json_404_for_every_method(admin_browser, method, path):
    response = admin_browser.generic(method, path, b'{"a": 1}', content_type="application/json")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("method, path", [
    ("PUT", "/api/v1/jobs/"), ("DELETE", "/api/v1/brands/"), ("POST", "/api/v1/models/"),
    ("POST", "/api/schema/"), ("POST", "/api/docs/"),
])
def test_a_method_a_route_does_not_take_is_a_json_405(api, method, path):
    response = api.generic(method, path, b"{}", content_type="application/json")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_an_unexpected_failure_under_the_api_is_a_json_500(api, monkeypatch):
    def broken_catalog():
        raise RuntimeError("a bug")

    monkeypatch.setattr("apps.jobs.apis.catalog_get", broken_catalog)
    browser = APIClient(raise_request_exception=False)
    browser.credentials(HTTP_AUTHORIZATION=api._credentials["HTTP_AUTHORIZATION"])

    response = browser.get("/api/v1/models/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "server_error"


@pytest.mark.parametrize("path", ["/api/v1/brands/", "/api/v1/jobs/", "/api/v1/estimate/",
                                  "/api/v1/webhook-secret/"])
def test_an_admin_session_without_a_csrf_token_gets_the_apis_401(admin_browser, path):
    response = admin_browser.post(path, {**BRAND_FIELDS}, format="json")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_authenticated"
    assert not BrandTemplate.objects.exists()


def test_a_key_with_an_admin_session_needs_no_csrf_token(admin_browser, workspace, api):
    admin_browser.credentials(HTTP_AUTHORIZATION=api._credentials["HTTP_AUTHORIZATION"])

    response = admin_browser.post("/api/v1/brands/", BRAND_FIELDS, format="json")

    assert response.status_code == 201
    assert BrandTemplate.objects.get().workspace == workspace


def api_views(resolver=None, prefix=""):
    """(route, view function) of every URL pattern under /api/."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from api_views(pattern, route)
        elif isinstance(pattern, URLPattern) and route.lstrip("^").startswith("api/"):
            yield route, pattern.callback


def test_no_api_route_depends_on_csrf_or_sessions():
    views = list(api_views())

    assert len(views) >= 15
    assert [route for route, view in views if not getattr(view, "csrf_exempt", False)] == []
    assert SessionAuthentication not in api_settings.DEFAULT_AUTHENTICATION_CLASSES
    assert [route for route, view in views if hasattr(view, "cls") and any(
        issubclass(auth, SessionAuthentication)
        for auth in view.cls.authentication_classes)] == []
