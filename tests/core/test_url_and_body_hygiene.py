"""URL authorities that parsers read differently, credentials, ports and look-alike hosts
are refused; chunked bodies get a 411; probes answer 405 to writes; guessing API keys is
throttled per address (issue 16, observation 9)."""

import pytest
from django.core.cache import cache
from django.test import Client

from apps.accounts.throttling import InvalidApiKeyThrottle
from apps.core.netguard import url_authority_problem, url_without_password
from apps.jobs.models import Job
from tests.conftest import product


@pytest.mark.parametrize("url, problem", [
    ("http://127.0.0.1\\@example.com/a.png", "backslash"),
    ("https://example.com\\a.png", "backslash"),
    ("https://user:secret@example.com/hook", "credentials"),
    ("https://user@example.com/hook", "credentials"),
    ("https://example.com:0/hook", "port"),
    ("https://example.com:65536/hook", "port"),
    ("https://exаmple.com/hook", "mixed_script"),  # a Cyrillic "а"
    ("https://xn--exmple-4nf.com/hook", "mixed_script"),  # the same, in punycode
    ("https://example.com:443/hook", None),
    ("https://пример.рф/hook", None),  # one script is fine
    ("https://img.example/a.png", None),
])
def test_url_authority_problems(url, problem):
    assert url_authority_problem(url) == problem


def job_body(**overrides) -> dict:
    return {"kind": "product_description", "brand": "nordic-home", "locales": ["en"],
            "items": [product(1)], **overrides}


@pytest.mark.parametrize("url, code", [
    ("http://127.0.0.1\\@example.com/a.png", "backslash"),
    ("https://user:pw@img.example/a.png", "credentials"),
    ("https://img.example:65536/a.png", "port"),
    ("https://img.exаmple/a.png", "mixed_script"),
])
def test_image_urls_with_an_ambiguous_authority_are_refused(api, brand, url, code):
    response = api.post("/api/v1/jobs/", job_body(items=[product(1, image_urls=[url])]),
                        format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["items.0.image_urls.0"]
    assert Job.objects.count() == 0


@pytest.mark.parametrize("url, message", [
    ("http://user:secret@127.0.0.1:8000/x", "A URL may not contain a user name or password."),
    ("http://127.0.0.1:0/x", "A URL's port must be between 1 and 65535."),
    ("http://127.0.0.1\\@example.com/x", "A URL may not contain a backslash (\\)."),
])
def test_webhook_urls_with_credentials_or_bad_ports_are_refused(api, brand, settings, url,
                                                                message):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True  # only the authority can refuse these

    response = api.post("/api/v1/jobs/", job_body(webhook_url=url), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"webhook_url": [message]}
    assert Job.objects.count() == 0


def test_a_stored_webhook_url_never_shows_its_password(api, brand, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    job_id = api.post("/api/v1/jobs/", job_body(), format="json").json()["id"]
    Job.objects.filter(pk=job_id).update(webhook_url="https://me:hunter2@127.0.0.1/hook")

    shown = api.get(f"/api/v1/jobs/{job_id}/").json()["webhook_url"]

    assert shown == "https://me:***@127.0.0.1/hook"
    assert url_without_password("https://127.0.0.1/hook") == "https://127.0.0.1/hook"


def test_a_chunked_body_is_refused_with_411(api, brand):
    body = b'{"kind": "product_description"}'

    response = api.generic("POST", "/api/v1/jobs/", body, content_type="application/json",
                           HTTP_TRANSFER_ENCODING="chunked", CONTENT_LENGTH="")

    assert response.status_code == 411
    assert response.json()["error"]["code"] == "length_required"
    assert Job.objects.count() == 0


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
def test_probes_answer_405_to_a_post(path):
    response = Client(enforce_csrf_checks=True).post(path)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def forget_invalid_key_counts(*addresses):
    # The counters live in Redis and outlive a test; only these keys are removed.
    for address in addresses:
        cache.delete(InvalidApiKeyThrottle.cache_format % {
            "scope": InvalidApiKeyThrottle.scope, "ident": address})


def test_guessing_api_keys_is_throttled_per_address(client, api):
    forget_invalid_key_counts("203.0.113.9", "198.51.100.1")

    codes = [client.get("/api/v1/models/", HTTP_AUTHORIZATION=f"Bearer wrong-{n}",
                        REMOTE_ADDR="203.0.113.9").status_code for n in range(23)]
    other_address = client.get("/api/v1/models/", HTTP_AUTHORIZATION="Bearer wrong",
                               REMOTE_ADDR="198.51.100.1")

    assert codes == [401] * 20 + [429] * 3  # API_INVALID_KEY_THROTTLE_RATE: 20/min
    assert other_address.status_code == 401
    assert api.get("/api/v1/models/", REMOTE_ADDR="203.0.113.9").status_code == 200
    forget_invalid_key_counts("203.0.113.9", "198.51.100.1")
