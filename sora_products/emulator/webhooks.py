"""Signed video.completed / video.failed thin events, delivered with Standard Webhooks headers and retries."""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .config import EmulatorConfig
from .scheduler import Scheduler

log = logging.getLogger(__name__)
USER_AGENT = "OpenAI/1.0 (+https://platform.openai.com/docs/webhooks)"


def new_secret() -> str:
    """A whsec_ secret of 32 random bytes, the form both the SDK and Standard Webhooks libraries accept."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key: base64-decoded text after whsec_ (raw UTF-8 otherwise, as the SDK does)."""
    if secret.startswith("whsec_"):
        return base64.b64decode(secret[len("whsec_") :])
    return secret.encode()


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The webhook-signature header value for exactly these bytes."""
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def thin_event(event_type: str, video_id: str) -> dict[str, Any]:
    """The provider's thin event: just enough to go and retrieve the video."""
    return {
        "id": "evt_" + secrets.token_hex(16),
        "object": "event",
        "created_at": int(time.time()),
        "type": event_type,
        "data": {"id": video_id},
    }


@dataclass
class Delivery:
    """One event on its way; the webhook-id and body stay the same across retries.

    sign gives another protocol's headers for an attempt at a unix time (None: Standard Webhooks with secret)."""

    url: str
    secret: str
    body: bytes
    webhook_id: str = field(default_factory=lambda: "wh_" + secrets.token_hex(16))
    attempts: int = 0
    sign: Callable[[Delivery, int], dict[str, str]] | None = None


class WebhookSender:
    """Posts events from a background thread and retries with exponential backoff."""

    def __init__(self, config: EmulatorConfig) -> None:
        self._config = config
        self._scheduler = Scheduler("sora-emulator-webhooks")
        self._lock = threading.Lock()
        self.counts = {"events": 0, "attempts": 0, "delivered": 0, "gave_up": 0}
        self.log: list[dict[str, Any]] = []

    def start(self) -> None:
        """Start the delivery thread."""
        self._scheduler.start()

    def stop(self) -> None:
        """Stop delivering; undelivered events are dropped."""
        self._scheduler.stop()

    def reset(self) -> None:
        """Drop pending deliveries and counters."""
        self._scheduler.clear()
        with self._lock:
            self.counts = dict.fromkeys(self.counts, 0)
            self.log = []

    def send(self, event_type: str, video_id: str) -> None:
        """Queue an event if a webhook URL and secret are configured."""
        url, secret = self._config.webhook_url, self._config.webhook_secret
        if not url or not secret:
            return
        body = json.dumps(thin_event(event_type, video_id), separators=(",", ":")).encode()
        self.deliver(Delivery(url, secret, body))

    def deliver(self, delivery: Delivery) -> None:
        """Queue a delivery made elsewhere (fal's signed callbacks share these retries and counters)."""
        with self._lock:
            self.counts["events"] += 1
        self._scheduler.call_later(0, lambda: self._attempt(delivery))

    def _attempt(self, delivery: Delivery) -> None:
        delivery.attempts += 1
        timestamp = int(time.time())
        if delivery.sign is not None:
            headers = delivery.sign(delivery, timestamp)
        else:
            headers = {
                "content-type": "application/json",
                "user-agent": USER_AGENT,
                "webhook-id": delivery.webhook_id,
                "webhook-timestamp": str(timestamp),
                "webhook-signature": sign(delivery.secret, delivery.webhook_id, timestamp, delivery.body),
            }
        status = _post(delivery.url, delivery.body, headers, self._config.webhook_timeout)
        ok = status is not None and 200 <= status < 300
        with self._lock:
            self.counts["attempts"] += 1
            self.log.append({"webhook_id": delivery.webhook_id, "attempt": delivery.attempts, "status": status})
            if ok:
                self.counts["delivered"] += 1
        if ok:
            return
        if delivery.attempts >= max(1, self._config.webhook_attempts):
            with self._lock:
                self.counts["gave_up"] += 1
            log.warning(
                "webhook %s to %s gave up after %d attempts", delivery.webhook_id, delivery.url, delivery.attempts
            )
            return
        delay = self._config.webhook_backoff * 2 ** (delivery.attempts - 1)
        self._scheduler.call_later(delay, lambda: self._attempt(delivery))


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int | None:
    """POST without following redirects (a 3xx is a failed delivery); None on a connection error."""
    parts = urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()
