"""The webhook signature: how ContentGen signs a body and how a receiver checks it.

Stripe's scheme (see "Receiving a ContentGen webhook" in the package docstring): an
HMAC-SHA256 with the workspace's secret over ``f"{t}."`` + the raw body, so the
timestamp cannot be swapped, and a tolerance on ``t``, so an old request cannot be
replayed. Pure functions of their arguments: no database, no settings.
"""

import hashlib
import hmac
import time

SIGNATURE_TOLERANCE_S = 300


def webhook_signature(secret: str, body: bytes, timestamp: int) -> str:
    """The ContentGen-Signature header: ``t=<timestamp>,v1=<hex HMAC-SHA256>``, signing
    ``f"{timestamp}."`` followed by the raw body, so the time cannot be swapped."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def webhook_signature_verify(secret: str, body: bytes, header: str, *,
                             tolerance_s: int = SIGNATURE_TOLERANCE_S,
                             now: float | None = None) -> bool:
    """The receiver's check (see the package docstring): a ``v1`` matches the HMAC of
    ``f"{t}."`` + body, compared in constant time, and ``t`` is within `tolerance_s`
    of `now` either way, which turns a replay away once the window has passed."""
    timestamp, candidates = None, []
    for part in header.split(","):
        key, _sep, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or not candidates:
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance_s:
        return False
    expected = webhook_signature(secret, body, timestamp).partition(",v1=")[2]
    # Every candidate is compared: several v1 values may be sent while a secret rotates.
    return any([hmac.compare_digest(expected, candidate) for candidate in candidates])
