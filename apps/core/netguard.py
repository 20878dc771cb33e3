"""Which network addresses the service may send a request to, or let others fetch.

Shared by the webhook client (which calls out) and the image URL check (a self-hosted
vision model would fetch product images from inside our network).
"""

import ipaddress
import socket
import unicodedata
from urllib.parse import urlsplit, urlunsplit

# Cloud metadata endpoints hand out credentials: never a target, even when private
# targets are allowed for development.
METADATA_ADDRESSES = frozenset({ipaddress.ip_address("169.254.169.254"),
                                ipaddress.ip_address("fd00:ec2::254")})
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")
# Names that only ever mean "this machine" or "this network".
LOCAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".home.arpa", ".lan")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, 6to4 or NAT64 IPv6 address."""
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_is_metadata(address: Address) -> bool:
    return address in METADATA_ADDRESSES or _embedded_ipv4(address) in METADATA_ADDRESSES


def address_is_public(address: Address) -> bool:
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return address_is_public(embedded)
    # is_global alone misses some ranges (IPv4 multicast counts as global).
    return address.is_global and not (
        address.is_loopback or address.is_private or address.is_link_local
        or address.is_multicast or address.is_reserved or address.is_unspecified)


def numeric_host_address(host: str) -> Address | None:
    """The address a numeric host means in any spelling the C library accepts
    (127.1, 0x7f000001, 2130706433, 0177.0.0.1, [::1]); None for a name."""
    host = host.strip("[]")
    try:
        infos = socket.getaddrinfo(host, None, flags=socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError, ValueError):
        return None
    return ipaddress.ip_address(infos[0][4][0].split("%")[0])


def url_is_private(url: str) -> bool:
    """True when a URL visibly points inside: a local name, or a non-public numeric host.
    Other names are not resolved (that costs a DNS lookup per URL); whoever fetches
    must still check what they resolve to."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return True
    if not host:
        return True
    if host == "localhost" or host.endswith(LOCAL_NAMES):
        return True
    address = numeric_host_address(host)
    return address is not None and (address_is_metadata(address) or not address_is_public(address))


# --- The authority of a URL ------------------------------------------------------------
# Parsers disagree on odd authorities: Python reads "http://127.0.0.1\\@example.com/" as
# host example.com, a WHATWG parser (browsers, many HTTP stacks a vision provider may use)
# as 127.0.0.1. A URL that two parsers could read differently is refused, not guessed.


def _scripts(label: str) -> set[str]:
    """The scripts of a host label's letters, by their Unicode names (LATIN, CYRILLIC...)."""
    return {unicodedata.name(char, "UNKNOWN").split(" ")[0] for char in label if char.isalpha()}


def url_authority_problem(url: str) -> str | None:
    """Why a URL's authority is unsafe to hand on, as a stable code; None when it is fine.

    "backslash": a backslash anywhere in the URL (read as "/" by WHATWG parsers);
    "credentials": a user or password before the host;
    "port": a port outside 1-65535;
    "mixed_script": a host label mixing scripts (Latin with Cyrillic: a look-alike host).
    """
    if "\\" in url:
        return "backslash"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "port"
    if "@" in parts.netloc:
        return "credentials"
    if port is not None and not 0 < port < 65536:
        return "port"
    for label in (parts.hostname or "").split("."):
        try:
            text = label.encode("ascii").decode("idna") if label.startswith("xn--") else label
        except UnicodeError:
            return "mixed_script"  # punycode that does not decode is no honest name
        if len(_scripts(text)) > 1:
            return "mixed_script"
    return None


def url_without_password(url: str) -> str:
    """The URL with any password in its authority replaced by "***" (for showing back a
    URL stored before credentials were refused)."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return url
    if not password:
        return url
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
