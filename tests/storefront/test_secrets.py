"""No page, script or API answer in the shopper flow carries the provider key or a webhook secret."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from sora_products.models import ProductVideo, VideoStatus
from sora_products.storefront import product_ref
from tests.storefront.helpers import dress, finish, ready_video

pytestmark = pytest.mark.django_db

API_KEY = "sk-live-test-SECRET-1234567890abcdef"
WEBHOOK_SECRET = "whsec_dGVzdC13ZWJob29rLXNlY3JldC1ieXRlcy0xMjM0NTY="
SECRET_SHAPES = [re.compile(r"\bsk-[A-Za-z0-9_-]{20,}"), re.compile(r"\bwhsec_[A-Za-z0-9+/=]{20,}")]


def assert_clean(text: str, where: str) -> None:
    assert API_KEY not in text, where
    assert WEBHOOK_SECRET not in text and WEBHOOK_SECRET.removeprefix("whsec_") not in text, where
    for shape in SECRET_SHAPES:
        assert not shape.search(text), f"{where}: {shape.pattern}"


@pytest.fixture
def secret_settings(settings):
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "PROVIDERS": {
            "default": {"BASE_URL": "https://gateway.example/v1", "API_KEY": API_KEY, "EMULATOR": False}
        },
        "WEBHOOK_SECRETS": [WEBHOOK_SECRET],
        "REQUIRE_APPROVAL": False,
        "TRY_ON": {"ENABLED": True, "MAX_PENDING_PER_SESSION": 1, "THROTTLE_RATES": {"session": "4/hour"}},
        "BUDGET": {"SHOPPER_DAILY": Decimal("100.00")},
    }
    return settings


def test_every_page_script_and_answer_of_the_flow_is_free_of_secrets(client, secret_settings):
    product, other = dress(), dress(name="Cotton shift dress")
    ready_video(product)
    seen: list[tuple[str, str]] = []

    def get(url: str, **extra) -> str:
        response = client.get(url, **extra)
        text = response.content.decode() if not response.streaming else ""
        seen.append((url, text))
        return text

    def post(url: str, body: dict, **extra):
        response = client.post(url, json.dumps(body), content_type="application/json", **extra)
        seen.append((url, response.content.decode()))
        return response

    get(reverse("catalog:list"))
    get(product.get_absolute_url())
    choices = {"product": product_ref(product), "height_cm": 160, "size": "M", "scene": "studio"}
    accepted = post(reverse("sora_products:api:try-on"), choices).json()
    video = ProductVideo.objects.get(pk=accepted["id"])
    ProductVideo.objects.filter(pk=video.pk).update(
        status=VideoStatus.IN_PROGRESS, progress=30, error_message=f"upstream said: bad key {API_KEY}"
    )
    get(accepted["status_url"])
    post(reverse("sora_products:api:try-on"), {**choices, "product": product_ref(other)})  # pending cap
    post(reverse("sora_products:api:try-on"), {**choices, "size": "XXXL"})  # invalid
    ProductVideo.objects.filter(pk=video.pk).update(
        status=VideoStatus.FAILED, error_code="provider_error", error_message=f"401 for key {API_KEY}"
    )
    get(accepted["status_url"])
    get(product.get_absolute_url() + f"?try_on={video.pk}")
    ProductVideo.objects.filter(pk=video.pk).update(status=VideoStatus.STORING)
    finish(video)
    get(accepted["status_url"])
    get(product.get_absolute_url() + f"?try_on={video.pk}")
    post(reverse("sora_products:api:try-on"), choices)
    post(reverse("sora_products:api:try-on"), choices)  # throttled
    get(reverse("sora_products:api:product-videos", args=["catalog.product", product.pk]))
    form = client.post(reverse("sora_products:try-on"), {**choices, "size": "L"})
    get(form["Location"])
    staff = get_user_model().objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(staff)
    post(reverse("sora_products:api:estimate"), {"products": [product_ref(product)], "presets": ["showcase"]})

    statuses = {url for url, _text in seen}
    assert len(seen) >= 14 and any("status" in url for url in statuses)
    for url, text in seen:
        assert_clean(text, url)


@pytest.mark.parametrize("name", ["player.js", "try_on.js", "storefront.css"])
def test_static_files_hold_no_secrets(name, secret_settings):
    path = finders.find(f"sora_products/{name}")
    assert path, name
    assert_clean(Path(path).read_text(), name)


def test_secret_scan_would_notice_a_leak():
    with pytest.raises(AssertionError):
        assert_clean(f"<script>var key = '{API_KEY}'</script>", "leak")
    with pytest.raises(AssertionError):
        assert_clean("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "leak")
    assert_clean("task-1234567890abcdefghijklmnop", "task ids are not keys")  # a bare "sk-" search false-matches


def test_a_fresh_anonymous_shopper_sees_no_secret_either(secret_settings):
    product = dress()
    ready_video(product)
    html = Client().get(product.get_absolute_url()).content.decode()
    assert_clean(html, "product page")
