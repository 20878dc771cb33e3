"""A stable digest of JSON-like data: the same content, whatever its key order."""

import hashlib
import json


def json_digest(data) -> str:
    """SHA-256 hex of `data` as canonical JSON (sorted keys, UTF-8, `str()` for the rest)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
