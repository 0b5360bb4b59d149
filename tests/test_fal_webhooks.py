"""fal's signed callbacks: only fal's key, only recent, only for requests this app submitted, once each."""

from __future__ import annotations

import json
import os
import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.urls import reverse

from sora_products.emulator.fal_webhooks import FalWebhookSigner, load_signing_key
from sora_products.models import ProductVideo, WebhookEvent
from tests.factories import make_product

pytestmark = pytest.mark.django_db

REQUEST_ID = "5d7c1f9e-3b9a-4c55-9a38-2b8e0c1f7a10"


@pytest.fixture
def fal(settings, video_emulator):
    """Provider "default" is fal with webhooks; the JWKS is the emulator's, behind its own CA."""
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "PROVIDERS": {
            "default": {
                "BACKEND": "sora_products.providers.fal.FalProvider",
                "QUEUE_URL": video_emulator.tls_url,
                "JWKS_URL": f"{video_emulator.tls_url}/.well-known/jwks.json",
                "VERIFY": video_emulator.ca_path,
                "API_KEY": video_emulator.api_key,
                "WEBHOOKS": True,
            }
        },
        "PUBLIC_URL": "https://shop.example",
    }
    video = ProductVideo.objects.for_product(make_product()).get()
    ProductVideo.objects.filter(pk=video.pk).update(remote_id=f"fal-ai/veo3.1/requests/{REQUEST_ID}")
    return FalWebhookSigner(load_signing_key(os.path.dirname(video_emulator.ca_path)))


def deliver(client, signer, *, request_id=REQUEST_ID, timestamp=None, body=None, tamper=None, alias="default"):
    body = body if body is not None else json.dumps({"request_id": request_id, "status": "OK", "payload": {}}).encode()
    headers = signer.headers(request_id, int(timestamp or time.time()), body)
    if tamper:
        tamper(headers)
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "content-type"}
    url = reverse("sora_products:fal-webhook", kwargs={"alias": alias})
    return client.post(url, body, content_type="application/json", **extra)


def test_a_delivery_fal_signed_for_our_request_makes_the_video_due_once(client, fal):
    stamp = int(time.time())
    first = deliver(client, fal, timestamp=stamp)
    retry = deliver(client, fal, timestamp=stamp + 5)  # fal signs each attempt anew: our first answer was lost
    replay = deliver(client, fal, timestamp=stamp)  # the very same signed delivery, sent again by someone
    assert (first.status_code, first.json()) == (200, {"status": "queued"})
    assert (retry.status_code, retry.json()) == (200, {"status": "duplicate"})
    assert replay.status_code == 409 and "replay" in replay.json()["error"]
    assert WebhookEvent.objects.filter(remote_id=REQUEST_ID).count() == 2


def test_the_webhook_url_sent_with_each_submit_is_the_shops_public_address(fal):
    from sora_products.jobs.providers import get_provider

    assert get_provider("default").webhook_url == "https://shop.example/videos/webhooks/fal/default/"


@pytest.mark.parametrize(
    ("case", "change"),
    [
        ("another key", "key"),
        ("a changed body", "body"),
        ("a stale timestamp", "stale"),
        ("no signature", "unsigned"),
        ("a signature that is not hex", "garbage"),
        ("a timestamp of digits int() can't read", "superscript"),
    ],
)
def test_anything_fal_did_not_sign_just_now_is_refused_with_a_sentence(client, fal, case, change):
    if change == "key":
        response = deliver(client, FalWebhookSigner(Ed25519PrivateKey.generate()))
    elif change == "body":
        body = json.dumps({"request_id": REQUEST_ID, "status": "OK"}).encode()
        headers = fal.headers(REQUEST_ID, int(time.time()), body)
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "content-type"}
        url = reverse("sora_products:fal-webhook", kwargs={"alias": "default"})
        response = client.post(url, body + b" ", content_type="application/json", **extra)
    elif change == "stale":
        response = deliver(client, fal, timestamp=time.time() - 3600)
    elif change == "superscript":
        response = deliver(client, fal, tamper=lambda h: h.update({"x-fal-webhook-timestamp": "17²"}))
    elif change == "unsigned":
        response = deliver(client, fal, tamper=lambda h: h.pop("x-fal-webhook-signature"))
    else:
        response = deliver(client, fal, tamper=lambda h: h.update({"x-fal-webhook-signature": "zz"}))
    assert 400 <= response.status_code < 500, case
    assert response.json()["error"].endswith(".")
    assert not WebhookEvent.objects.exists()


def test_a_request_this_app_did_not_submit_is_refused(client, fal):
    response = deliver(client, fal, request_id="00000000-1111-2222-3333-444444444444")
    assert response.status_code == 404 and "did not submit" in response.json()["error"]


def test_a_provider_name_that_is_not_a_fal_provider_with_webhooks_is_not_found(client, fal):
    assert deliver(client, fal, alias="runway").status_code == 404


def test_a_jwks_that_cannot_be_fetched_asks_fal_to_deliver_again_later(client, fal, settings):
    providers = settings.SORA_PRODUCTS["PROVIDERS"]
    broken = {**providers["default"], "JWKS_URL": "https://127.0.0.1:1/.well-known/jwks.json"}
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "PROVIDERS": {"default": broken}}
    response = deliver(client, fal)
    assert response.status_code == 503 and "later" in response.json()["error"]


def test_forged_deliveries_do_not_make_the_app_fetch_the_keys_each_time(client, fal, video_emulator):
    forger = FalWebhookSigner(Ed25519PrivateKey.generate())
    deliver(client, fal)  # the keys are fetched once
    before = video_emulator.stats()["requests"].get("fal GET /.well-known/jwks.json", 0)
    for _ in range(5):
        assert deliver(client, forger).status_code == 401
    assert video_emulator.stats()["requests"].get("fal GET /.well-known/jwks.json", 0) - before <= 1
