"""The webhook URL guard: whether the service may call a URL a customer gave it, and the
one way to call it.

A webhook URL is the one address the service calls because a customer asked it to, so it
is guarded against SSRF: only http(s), and every address the host resolves to must be
public (`netguard`'s rule; `WEBHOOK_ALLOW_PRIVATE_TARGETS` lifts it for development, but
never for the cloud metadata service). The check runs when the URL is submitted and again
before each attempt, and `webhook_target_post` sends the request to an address that was
checked (the Host header and TLS name stay the URL's), so DNS that changes in between
cannot redirect it inside.

It lives in core, below the apps, so the job API's serializer (at submission) and the
webhook delivery (at send time) both import it without importing each other. Its errors
are InvalidInput naming the field ``webhook_url``, where such a URL is entered.
"""

import ipaddress
import socket
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import InvalidInput
from apps.core.netguard import (
    Address,
    address_is_metadata,
    address_is_public,
    url_authority_problem,
)

# The message for each of netguard's url_authority_problem codes; image URLs use them too.
URL_AUTHORITY_MESSAGES = {
    "backslash": gettext_lazy("A URL may not contain a backslash (\\)."),
    "credentials": gettext_lazy("A URL may not contain a user name or password."),
    "port": gettext_lazy("A URL's port must be between 1 and 65535."),
    "mixed_script": gettext_lazy("The host name mixes alphabets (such as Latin and Cyrillic "
                                 "letters), as look-alike addresses do."),
}


class WebhookTargetRefused(InvalidInput):
    """A URL that may not be called (scheme, host, a non-public address): never retried."""


class WebhookTargetUnresolved(InvalidInput):
    """A host that did not resolve: DNS failures may pass, so a delivery retries them."""


@dataclass(frozen=True)
class WebhookTarget:
    url: httpx.URL
    addresses: list[Address]  # every one checked; the request goes to one of these


@dataclass(frozen=True)
class WebhookResponse:
    status: int
    text: str  # the start of the body only


def _refused(message) -> WebhookTargetRefused:
    return WebhookTargetRefused(message, fields={"webhook_url": [message]})


def webhook_target_resolve(url: str) -> WebhookTarget:
    """Parse the URL as the HTTP client will, resolve its host, check every address."""
    problem = url_authority_problem(url) if isinstance(url, str) else None
    if problem:
        raise _refused(str(URL_AUTHORITY_MESSAGES[problem]))
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise _refused(_("Enter a valid webhook URL.")) from exc
    if parsed.scheme not in ("http", "https"):
        raise _refused(_("A webhook URL must start with http:// or https://."))
    host = parsed.raw_host.decode("ascii")
    if not host:
        raise _refused(_("A webhook URL needs a host name."))
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        # Literal forms such as 2130706433, 0x7f000001 or 127.1 resolve here too.
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
    except (OSError, ValueError) as exc:  # socket.gaierror is an OSError
        message = _("The webhook host “%(host)s” could not be resolved.") % {"host": host}
        raise WebhookTargetUnresolved(message, fields={"webhook_url": [message]}) from exc
    allow_private = settings.WEBHOOK_ALLOW_PRIVATE_TARGETS
    for address in addresses:
        if address_is_metadata(address) or not (allow_private or address_is_public(address)):
            # The address itself is not echoed: that would map the internal network.
            raise _refused(_("A webhook URL must point to a public internet address; "
                             "this one reaches a private or reserved network."))
    return WebhookTarget(url=parsed, addresses=addresses)


def webhook_url_validate(url: str) -> str:
    """The URL, if a webhook may be sent to it; else InvalidInput naming `webhook_url`."""
    webhook_target_resolve(url)
    return url


def _read_prefix(response: httpx.Response, max_chars: int) -> str:
    # Only the start is kept; a receiver that answers with megabytes is not read to the end.
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= max_chars * 4:
            break
    return b"".join(chunks).decode("utf-8", errors="replace")[:max_chars]


def webhook_target_post(target: WebhookTarget, *, body: bytes, headers: dict[str, str],
                        timeout: httpx.Timeout, max_chars: int) -> WebhookResponse:
    """POST to the first checked address that accepts a connection; redirects are answers,
    never followed. Raises httpx.HTTPError (timeouts, TLS, every address refusing)."""
    host = target.url.raw_host.decode("ascii")
    headers = {**headers, "Host": target.url.netloc.decode("ascii")}
    # TLS checks the certificate against the URL's host, not the pinned address.
    extensions = {"sni_hostname": host} if target.url.scheme == "https" else {}

    def post(client: httpx.Client, address: Address) -> WebhookResponse:
        # The URL's path and query, sent to an address that was checked.
        with client.stream("POST", target.url.copy_with(host=str(address)), content=body,
                           headers=headers, extensions=extensions) as response:
            return WebhookResponse(status=response.status_code,
                                   text=_read_prefix(response, max_chars))

    # trust_env=False: no proxy from the environment, so the checked address is the peer.
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        *others, last = target.addresses
        for address in others:
            try:
                return post(client, address)
            except httpx.ConnectError:
                pass  # the next checked address may accept
        return post(client, last)  # when every address refuses, the last one's error is raised
