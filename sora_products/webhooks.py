"""Provider webhooks: verify the Standard Webhooks signature, record each delivery once, hand over.

A webhook is only a hint that a job changed: the follow-up step re-reads the job from the
provider before changing any state, so a forged, replayed or reordered delivery changes nothing.
Anything malformed gets a 4xx; nothing a sender can send produces a 500.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from sora_products.conf import app_settings
from sora_products.models import ProductVideo, WebhookEvent
from sora_products.queues import enqueue_video

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
HANDLED_TYPES = {"video.completed", "video.failed"}


class WebhookRejected(Exception):
    """The delivery is not one we accept; ``status`` is the 4xx to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def verify(body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    """The parsed event if any configured secret signed these exact bytes recently, else WebhookRejected."""
    secrets = [s for s in app_settings.WEBHOOK_SECRETS if s]
    if not secrets:
        raise WebhookRejected("Webhooks are not configured.", status=404)
    if len(body) > MAX_BODY_BYTES:
        raise WebhookRejected("Body too large.", status=413)
    lowered = {key.lower(): value for key, value in headers.items()}
    for name in ("webhook-id", "webhook-timestamp", "webhook-signature"):
        if not lowered.get(name):
            raise WebhookRejected(f"Missing {name} header.")
    if not (lowered["webhook-timestamp"].isascii() and lowered["webhook-timestamp"].isdigit()):
        raise WebhookRejected("Invalid webhook-timestamp header.")
    for secret in secrets:
        try:
            # The library raises more than its own error class on odd input; every failure is a 400.
            event = Webhook(secret).verify(body, lowered)
        except Exception:
            continue
        if not isinstance(event, dict):
            raise WebhookRejected("The event is not a JSON object.")
        return event
    raise WebhookRejected("Invalid signature or stale timestamp.")


def _remote_id(event: dict[str, Any]) -> str:
    data = event.get("data")
    remote_id = data.get("id") if isinstance(data, dict) else None
    if not isinstance(remote_id, str) or not remote_id or len(remote_id) > 200:
        raise WebhookRejected("The event has no job id.")
    return remote_id


def receive(body: bytes, headers: dict[str, str]) -> str:
    """Handle one delivery; returns what happened ("queued", "duplicate", "ignored", "unknown_job")."""
    event = verify(body, headers)
    event_type = event.get("type")
    if not isinstance(event_type, str):
        raise WebhookRejected("The event has no type.")
    if event_type not in HANDLED_TYPES:
        return "ignored"
    remote_id = _remote_id(event)
    webhook_id = {k.lower(): v for k, v in headers.items()}["webhook-id"][:200]
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(webhook_id=webhook_id, event_type=event_type[:100], remote_id=remote_id)
            video_id = ProductVideo.objects.filter(remote_id=remote_id).values_list("pk", flat=True).first()
            if video_id is None:
                return "unknown_job"
            # The news is here: the row is due now, whatever its back-off or poll said.
            ProductVideo.objects.filter(pk=video_id, next_check_at__isnull=False).update(next_check_at=timezone.now())
            transaction.on_commit(partial(enqueue_video, video_id), robust=True)
    except IntegrityError:
        return "duplicate"
    return "queued"
