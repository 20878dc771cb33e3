"""SSRF: URLs a customer submits (a webhook, product images) never make the service, or a
model it hosts, call into our own network. A canary listens on loopback and counts
every connection; every spelling of "this machine" must be refused with a 400 that
names the field, and the canary must stay at zero."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from apps.jobs.models import Job, WebhookDelivery
from apps.jobs.webhooks import webhook_deliver
from devtools.webhook_receiver import Receiver
from tests.conftest import product

pytestmark = pytest.mark.django_db


class Canary:
    """An HTTP server that counts every connection made to it (a request or not)."""

    def __init__(self, host: str, port: int = 0):
        self.hits = 0
        canary = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_GET

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
            daemon_threads = True

            def verify_request(self, request, client_address):
                canary.hits += 1
                return True

        self.server = Server((host, port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def canaries():
    """One canary on 127.0.0.1 and, when the machine has IPv6 loopback, one on ::1 at
    the same port, so the [::1] spellings would reach a listener too."""
    v4 = Canary("127.0.0.1")
    started = [v4]
    try:
        started.append(Canary("::1", v4.port))
    except OSError:
        pass
    yield started
    time.sleep(1)  # a connection made late (a queued task, a retry) still counts
    for canary in started:
        canary.stop()


def loopback_spellings(port: int) -> list[str]:
    return [
        f"http://127.1:{port}/",
        f"http://2130706433:{port}/",
        f"http://0x7f000001:{port}/",
        f"http://0177.0.0.1:{port}/",
        f"http://[::1]:{port}/",
        f"http://[::ffff:127.0.0.1]:{port}/",
        f"http://0.0.0.0:{port}/",
        f"http://localhost:{port}/",
        f"http://LOCALHOST.:{port}/",
        "file:///etc/passwd",
    ]


def job_body(**overrides) -> dict:
    return {"kind": "product_description", "brand": "nordic-home", "locales": ["en"],
            "items": [product(1)], **overrides}


def test_ssrf_attempts_never_reach_the_loopback_canary(api, brand, canaries, settings,
                                                       monkeypatch):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    port = canaries[0].port
    refused = {}

    # A webhook URL in every spelling of loopback
    for url in loopback_spellings(port):
        response = api.post("/api/v1/jobs/", job_body(webhook_url=url), format="json")
        refused[("webhook_url", url)] = (response.status_code,
                                         list(response.json()["error"]["fields"]))
    # An image URL in every spelling of loopback
    for url in loopback_spellings(port):
        response = api.post("/api/v1/jobs/", job_body(items=[product(1, image_urls=[url])]),
                            format="json")
        refused[("items.0.image_urls.0", url)] = (response.status_code,
                                                  list(response.json()["error"]["fields"]))
    # A public-looking name whose DNS answer is loopback (rebinding): the webhook guard
    # resolves the name and checks the address it got.
    real_getaddrinfo = socket.getaddrinfo

    def rebinding_dns(host, *args, **kwargs):
        if host == "hooks.customer-example.com":
            host = "127.0.0.1"
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    rebound = f"http://hooks.customer-example.com:{port}/"
    response = api.post("/api/v1/jobs/", job_body(webhook_url=rebound), format="json")
    refused[("webhook_url", rebound)] = (response.status_code,
                                         list(response.json()["error"]["fields"]))

    # Then every request was refused with a 400 naming the field, no job was made, and
    # the canary was never called
    wrong = {case: answer for case, answer in refused.items() if answer != (400, [case[0]])}
    assert wrong == {}
    assert Job.objects.count() == 0
    time.sleep(1)
    assert [canary.hits for canary in canaries] == [0] * len(canaries)


def test_a_webhook_that_redirects_to_loopback_is_not_followed(api, brand, canaries, settings):
    # Given private targets are allowed (development), and a receiver that answers
    # every delivery with a redirect to the canary
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    receiver = Receiver()
    canary_url = f"http://127.0.0.1:{canaries[0].port}/"
    receiver.answer("/hook", (302, {"Location": canary_url}))
    try:
        submitted = api.post("/api/v1/jobs/", job_body(webhook_url=receiver.url("/hook")),
                             format="json")
        assert submitted.status_code == 202, submitted.json()
        job = Job.objects.get(pk=submitted.json()["id"])
        delivery = WebhookDelivery.objects.create(
            job=job, event="job.finished", url=job.webhook_url, payload='{"event":"x"}')

        # When the delivery is attempted
        following = webhook_deliver(delivery_id=delivery.pk)
    finally:
        receiver.stop()

    # Then the redirect was recorded as a failed attempt (retried later, to the same
    # URL), and the canary was never called
    delivery.refresh_from_db()
    assert len(receiver.requests) == 1
    assert (delivery.status, delivery.response_status) == ("failed", 302)
    assert delivery.error == "HTTP 302: redirects are not followed"
    assert following is not None
    assert WebhookDelivery.objects.get(pk=following.delivery_id).url == receiver.url("/hook")
    time.sleep(1)
    assert [canary.hits for canary in canaries] == [0] * len(canaries)
