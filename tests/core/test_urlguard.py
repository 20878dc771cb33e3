"""The webhook URL guard: only http(s), every resolved address public (the metadata
service never, even where private targets are allowed), and the request pinned to an
address that was checked."""

import ipaddress

import httpx
import pytest

from apps.core.errors import InvalidInput
from apps.core.urlguard import WebhookTarget, webhook_target_post, webhook_url_validate
from apps.jobs.models import Job
from devtools.webhook_receiver import Receiver
from tests.conftest import product

PRIVATE_TARGET_MESSAGE = ("A webhook URL must point to a public internet address; "
                          "this one reaches a private or reserved network.")
SCHEME_MESSAGE = "A webhook URL must start with http:// or https://."


@pytest.mark.parametrize("url, message", [
    ("file:///etc/passwd", SCHEME_MESSAGE),
    ("ftp://example.com/hook", SCHEME_MESSAGE),
    ("http://127.0.0.1/hook", PRIVATE_TARGET_MESSAGE),
    ("http://127.1/hook", PRIVATE_TARGET_MESSAGE),
    ("http://2130706433/hook", PRIVATE_TARGET_MESSAGE),
    ("http://0x7f000001/hook", PRIVATE_TARGET_MESSAGE),
    ("http://[::1]/hook", PRIVATE_TARGET_MESSAGE),
    ("http://[::ffff:127.0.0.1]/hook", PRIVATE_TARGET_MESSAGE),
    ("http://0.0.0.0/hook", PRIVATE_TARGET_MESSAGE),
    ("http://10.0.0.1/hook", PRIVATE_TARGET_MESSAGE),
    ("http://192.168.1.10:8080/hook", PRIVATE_TARGET_MESSAGE),
    ("http://100.64.0.1/hook", PRIVATE_TARGET_MESSAGE),
    ("http://224.0.0.1/hook", PRIVATE_TARGET_MESSAGE),
    ("http://169.254.169.254/latest/meta-data/", PRIVATE_TARGET_MESSAGE),
    ("http://[fd00:ec2::254]/latest/meta-data/", PRIVATE_TARGET_MESSAGE),
    ("http://localhost:8000/hook", PRIVATE_TARGET_MESSAGE),
])
def test_webhook_urls_that_reach_inside_are_refused(url, message):
    with pytest.raises(InvalidInput) as refused:
        webhook_url_validate(url)

    assert refused.value.code == "invalid"
    assert str(refused.value.message) == message
    assert refused.value.fields == {"webhook_url": [message]}


@pytest.mark.parametrize("url", [
    "http://93.184.216.34/hook",
    "https://93.184.216.34:8443/hooks/contentgen?token=abc",
    "https://[2606:2800:220:1:248:1893:25c8:1946]/hook",
])
def test_webhook_urls_on_public_addresses_are_accepted(url):
    assert webhook_url_validate(url) == url


def test_private_targets_may_be_allowed_but_never_the_metadata_service(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True

    assert webhook_url_validate("http://127.0.0.1:9000/hook") == "http://127.0.0.1:9000/hook"
    assert webhook_url_validate("http://localhost/hook") == "http://localhost/hook"
    for url in ("http://169.254.169.254/", "http://[::ffff:169.254.169.254]/"):
        with pytest.raises(InvalidInput):
            webhook_url_validate(url)


def test_a_job_with_a_private_webhook_url_is_refused_by_the_api(api, brand):
    body = {"kind": "product_description", "brand": brand.slug, "locales": ["en"],
            "items": [product(1)], "webhook_url": "http://10.0.0.1/hook"}

    response = api.post("/api/v1/jobs/", body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"webhook_url": [PRIVATE_TARGET_MESSAGE]}
    assert not Job.objects.exists()


# --- The pinned request ------------------------------------------------------


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.stop()


def pinned(url: str, *addresses: str) -> WebhookTarget:
    """A target as webhook_target_resolve returns it, with these addresses checked."""
    return WebhookTarget(url=httpx.URL(url),
                         addresses=[ipaddress.ip_address(address) for address in addresses])


def test_the_request_goes_to_the_checked_address_with_the_urls_host(receiver):
    port = receiver.server.server_address[1]
    # The name is never looked up again: the request goes to the address already checked.
    target = pinned(f"http://hooks.example:{port}/hook?token=abc", "127.0.0.1")

    response = webhook_target_post(target, body=b'{"a":1}', headers={"X-Test": "yes"},
                                   timeout=httpx.Timeout(5.0), max_chars=2000)

    assert (response.status, response.text) == (200, "ok")
    [request] = receiver.requests
    assert request["path"] == "/hook?token=abc"
    assert request["headers"]["Host"] == f"hooks.example:{port}"
    assert request["headers"]["X-Test"] == "yes"
    assert request["body"] == b'{"a":1}'


def test_the_next_checked_address_is_tried_when_one_refuses_the_connection(receiver):
    port = receiver.server.server_address[1]
    target = pinned(f"http://hooks.example:{port}/hook", "127.0.0.2", "127.0.0.1")

    response = webhook_target_post(target, body=b"{}", headers={}, timeout=httpx.Timeout(5.0),
                                   max_chars=1)

    assert (response.status, response.text) == (200, "o")  # only the start of the body is kept
    assert len(receiver.requests) == 1


def test_when_every_checked_address_refuses_the_connection_error_is_raised(receiver):
    port = receiver.server.server_address[1]
    target = pinned(f"http://hooks.example:{port}/hook", "127.0.0.2", "127.0.0.3")

    with pytest.raises(httpx.ConnectError):
        webhook_target_post(target, body=b"{}", headers={}, timeout=httpx.Timeout(5.0),
                            max_chars=2000)

    assert receiver.requests == []
