"""Verifying fal's webhook signatures: Ed25519 over four lines, against the keys of a JWKS.

The message is the request id, user id and timestamp headers and the hex SHA-256 of the raw body,
joined by newlines; the signature (hex) must verify under any key the JWKS lists. No Django here:
the app's view supplies the headers, the body and a way to fetch the JWKS.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections.abc import Callable, Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

HEADERS = ("x-fal-webhook-request-id", "x-fal-webhook-user-id", "x-fal-webhook-timestamp", "x-fal-webhook-signature")
TOLERANCE_SECONDS = 300
JWKS_SECONDS = 24 * 3600
# A signature that fails may mean fal rotated its keys; forged deliveries must not make us fetch each time.
REFRESH_SECONDS = 300


class SignatureRejected(Exception):
    """The delivery is not signed by fal (or not recently): the sentence says which check failed."""


def public_keys(jwks: bytes | str | Mapping) -> list[Ed25519PublicKey]:
    """The Ed25519 keys of a JWKS document (``{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": …}]}``)."""
    document = json.loads(jwks) if isinstance(jwks, bytes | str) else jwks
    keys = []
    for entry in document.get("keys", []) if isinstance(document, Mapping) else []:
        if not isinstance(entry, Mapping) or entry.get("crv") != "Ed25519" or not isinstance(entry.get("x"), str):
            continue
        raw = base64.urlsafe_b64decode(entry["x"] + "=" * (-len(entry["x"]) % 4))
        if len(raw) == 32:
            keys.append(Ed25519PublicKey.from_public_bytes(raw))
    return keys


def verify(
    body: bytes,
    headers: Mapping[str, str],
    keys: list[Ed25519PublicKey],
    *,
    now: float | None = None,
    tolerance: float = TOLERANCE_SECONDS,
) -> str:
    """The request id of a delivery signed by one of ``keys`` within ``tolerance`` seconds, else SignatureRejected."""
    lowered = {str(key).lower(): str(value) for key, value in headers.items()}
    missing = [name for name in HEADERS if not lowered.get(name)]
    if missing:
        raise SignatureRejected(f"Missing {missing[0]} header.")
    request_id, user_id, timestamp, signature = (lowered[name] for name in HEADERS)
    readable = timestamp.isascii() and timestamp.isdigit()  # "²".isdigit() is True, int("²") raises
    if not readable or abs((time.time() if now is None else now) - int(timestamp)) > tolerance:
        raise SignatureRejected("Stale or invalid X-Fal-Webhook-Timestamp.")
    try:
        signature_bytes = bytes.fromhex(signature)
    except ValueError:
        raise SignatureRejected("The signature is not hex.") from None
    message = "\n".join([request_id, user_id, timestamp, hashlib.sha256(body).hexdigest()]).encode()
    for key in keys:
        try:
            key.verify(signature_bytes, message)
        except InvalidSignature:
            continue
        return request_id
    raise SignatureRejected("Invalid signature.")


class KeyCache:
    """The JWKS, fetched at most once a day (and again when a signature fails against an old copy)."""

    def __init__(self, fetch: Callable[[], bytes], seconds: float = JWKS_SECONDS) -> None:
        self.fetch, self.seconds = fetch, seconds
        self._keys: list[Ed25519PublicKey] = []
        self._until = self._fetched = 0.0
        self._lock = threading.Lock()

    def keys(self, *, refresh: bool = False) -> list[Ed25519PublicKey]:
        """The keys; ``refresh`` fetches again only if the last fetch is REFRESH_SECONDS old."""
        with self._lock:
            now = time.monotonic()
            stale = not self._keys or now >= self._until
            if stale or (refresh and now - self._fetched >= REFRESH_SECONDS):
                self._keys = public_keys(self.fetch())
                self._fetched, self._until = now, now + self.seconds
            return list(self._keys)
