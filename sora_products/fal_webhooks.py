"""fal's webhooks: verify the Ed25519 signature against fal's JWKS, accept only our own requests, once.

Like the Standard Webhooks endpoint, a delivery is only a hint: the follow-up step reads the request's
status from fal before changing anything, so a replayed or reordered delivery changes nothing. Anything
malformed or unsigned gets a 4xx; a JWKS that cannot be fetched gets a 503, so fal delivers again later.
"""

from __future__ import annotations

import logging
from functools import partial

import httpx
from django.db import IntegrityError, transaction
from django.utils import timezone

from sora_products.conf import FAL_BACKEND, app_settings
from sora_products.models import ProductVideo, WebhookEvent
from sora_products.providers.fal import ssl_verify
from sora_products.providers.fal_signing import KeyCache, SignatureRejected, verify
from sora_products.providers.fal_wire import DEFAULT_JWKS_URL
from sora_products.queues import enqueue_video
from sora_products.webhooks import MAX_BODY_BYTES, WebhookRejected

logger = logging.getLogger(__name__)

_key_caches: dict[tuple[str, str], KeyCache] = {}


def _keys(options: dict, *, refresh: bool = False) -> list:
    url = str(options.get("JWKS_URL") or DEFAULT_JWKS_URL)
    verify_option = options.get("VERIFY", True)
    cache_key = (url, str(verify_option))
    if cache_key not in _key_caches:

        def fetch() -> bytes:
            with httpx.Client(verify=ssl_verify(verify_option), timeout=httpx.Timeout(10, connect=5)) as client:
                response = client.get(url)
                response.raise_for_status()
                return response.content

        _key_caches[cache_key] = KeyCache(fetch)
    try:
        return _key_caches[cache_key].keys(refresh=refresh)
    except (httpx.HTTPError, ValueError) as exc:
        logger.warning("sora_products could not fetch fal's webhook keys from %s: %s", url, exc)
        raise WebhookRejected("The signing keys could not be fetched; deliver again later.", status=503) from exc


def receive(alias: str, body: bytes, headers: dict[str, str]) -> str:
    """Handle one fal delivery for provider ``alias``: "queued", "duplicate" (fal's retry), or WebhookRejected."""
    options = app_settings.PROVIDERS.get(alias)
    if not options or options.get("BACKEND") != FAL_BACKEND or not options.get("WEBHOOKS"):
        raise WebhookRejected("No fal provider with webhooks has this name.", status=404)
    if len(body) > MAX_BODY_BYTES:
        raise WebhookRejected("Body too large.", status=413)
    tolerance = float(app_settings.WEBHOOK_TOLERANCE_SECONDS)
    try:
        try:
            request_id = verify(body, headers, _keys(options), tolerance=tolerance)
        except SignatureRejected as first:
            if str(first) != "Invalid signature.":
                raise
            request_id = verify(body, headers, _keys(options, refresh=True), tolerance=tolerance)  # keys rotated
    except SignatureRejected as exc:
        raise WebhookRejected(str(exc), status=401) from exc
    if not request_id or len(request_id) > 100 or "/" in request_id:
        raise WebhookRejected("The delivery names no valid request id.")
    video_id = (
        ProductVideo.objects.filter(provider=alias, remote_id__endswith=f"/requests/{request_id}")
        .values_list("pk", flat=True)
        .first()
    )
    if video_id is None:
        raise WebhookRejected("This app did not submit that request.", status=404)
    # Each attempt fal makes is signed at its own time: the same timestamp again is a replay of one we saw.
    timestamp = {key.lower(): value for key, value in headers.items()}["x-fal-webhook-timestamp"]
    try:
        with transaction.atomic():
            seen = WebhookEvent.objects.filter(webhook_id__startswith=f"fal:{request_id}:").exists()
            WebhookEvent.objects.create(
                webhook_id=f"fal:{request_id}:{timestamp}", event_type="fal.completed", remote_id=request_id
            )
            if seen:
                return "duplicate"  # a retry of a delivery already handled (our answer was lost): done
            ProductVideo.objects.filter(pk=video_id, next_check_at__isnull=False).update(next_check_at=timezone.now())
            transaction.on_commit(partial(enqueue_video, video_id), robust=True)
    except IntegrityError:
        raise WebhookRejected("This delivery was already received; a replay changes nothing.", status=409) from None
    return "queued"
