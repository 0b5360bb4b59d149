"""Storefront-facing views that are not part of the JSON API: webhooks and local media."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sora_products import fal_webhooks
from sora_products.storefront.media import serve_media
from sora_products.webhooks import WebhookRejected, receive

__all__ = ["fal_webhook", "serve_media", "webhook"]


@csrf_exempt  # the Standard Webhooks signature replaces CSRF here
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    """Accept a provider delivery: 2xx fast, 4xx for anything not signed by a configured secret."""
    try:
        outcome = receive(request.body, dict(request.headers))
    except WebhookRejected as exc:
        return JsonResponse({"error": str(exc)}, status=exc.status)
    return JsonResponse({"status": outcome})


@csrf_exempt  # the Ed25519 signature replaces CSRF here
@require_POST
def fal_webhook(request: HttpRequest, alias: str) -> HttpResponse:
    """Accept a fal delivery for provider ``alias``: 2xx fast, 4xx for anything fal did not sign for us."""
    try:
        outcome = fal_webhooks.receive(alias, request.body, dict(request.headers))
    except WebhookRejected as exc:
        return JsonResponse({"error": str(exc)}, status=exc.status)
    return JsonResponse({"status": outcome})
