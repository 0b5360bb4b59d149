"""fal's signed webhooks: an Ed25519 key kept in the TLS folder, its JWKS, and the ``X-Fal-Webhook-*`` headers.

The signed message is four lines (request id, user id, timestamp, hex SHA-256 of the raw body) joined by ``\\n``,
as the reference's B.3 verification steps read it. Deliveries go through the shared WebhookSender (retries with
back-off, counters in the stats).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .webhooks import Delivery, WebhookSender

KEY_FILE = "fal-webhook-key.pem"
USER_ID = "sora-emulator-user"
USER_AGENT = "fal-webhooks/1.0 (sora-products emulator)"


def load_signing_key(directory: str) -> Ed25519PrivateKey:
    """The key in directory, or a new one saved there, so receivers that cached the JWKS keep verifying."""
    path = os.path.join(directory, KEY_FILE)
    try:
        with open(path, "rb") as handle:
            key = serialization.load_pem_private_key(handle.read(), password=None)
        if isinstance(key, Ed25519PrivateKey):
            return key
    except (OSError, ValueError, TypeError):
        pass
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    os.makedirs(directory, exist_ok=True)
    partial = f"{path}.{os.getpid()}.part"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    os.replace(partial, path)
    return key


def signed_message(request_id: str, user_id: str, timestamp: str, body: bytes) -> bytes:
    """What the signature covers; receivers rebuild it from the headers and the raw body."""
    return "\n".join([request_id, user_id, timestamp, hashlib.sha256(body).hexdigest()]).encode()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class FalWebhookSigner:
    """Signs fal callbacks and publishes the public half as a JWKS."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.x = _b64url(raw)
        # RFC 7638 thumbprint: stable across restarts as long as the key is
        thumbprint = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": self.x}, separators=(",", ":")).encode()
        self.kid = _b64url(hashlib.sha256(thumbprint).digest())

    def jwks(self) -> dict[str, Any]:
        """GET /.well-known/jwks.json."""
        return {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": self.x, "kid": self.kid, "alg": "EdDSA", "use": "sig"}]}

    def headers(self, request_id: str, timestamp: int, body: bytes) -> dict[str, str]:
        """The four X-Fal-Webhook-* headers for one attempt (each attempt is signed at its own time)."""
        stamp = str(timestamp)
        signature = self._key.sign(signed_message(request_id, USER_ID, stamp, body)).hex()
        return {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "x-fal-webhook-request-id": request_id,
            "x-fal-webhook-user-id": USER_ID,
            "x-fal-webhook-timestamp": stamp,
            "x-fal-webhook-signature": signature,
        }


def webhook_body(request_id: str, gateway_request_id: str, status: int, payload: Any) -> bytes:
    """``status: OK`` with the model output, or ``ERROR`` with the failed result's status and body."""
    event: dict[str, Any] = {"request_id": request_id, "gateway_request_id": gateway_request_id}
    if status == 200:
        event.update(status="OK", payload=payload)
    else:
        event.update(status="ERROR", error=f"Invalid status code: {status}", payload=payload)
    return json.dumps(event, separators=(",", ":")).encode()


def send(sender: WebhookSender, signer: FalWebhookSigner, url: str, request_id: str, body: bytes) -> None:
    """Queue a delivery through the shared sender; the webhook id in its log is the request id."""

    def sign(delivery: Delivery, timestamp: int) -> dict[str, str]:
        return signer.headers(request_id, timestamp, delivery.body)

    sender.deliver(Delivery(url, "", body, webhook_id=request_id, sign=sign))
