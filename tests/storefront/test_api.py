"""The storefront JSON API: asks, status, throttles, budget, CSRF, validation and shop tooling."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sora_products.models import ProductVideo, Spend, SpendKind, TryOnRequest, VideoStatus
from sora_products.specs import TryOnProfile
from sora_products.storefront import product_ref
from tests.storefront.helpers import dress, finish, ready_video

pytestmark = pytest.mark.django_db

TRY_ON_URL = reverse("sora_products:api:try-on")


def ask(client: Client, product, height=160, size="M", scene="studio", **extra):
    body = {"product": product_ref(product), "height_cm": height, "size": size, "scene": scene}
    return client.post(TRY_ON_URL, json.dumps(body), content_type="application/json", **extra)


def with_try_on(settings, **options):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "TRY_ON": {"ENABLED": True, **options}}


def test_new_bucket_is_accepted_with_a_status_url(client):
    product = dress()

    response = ask(client, product)

    assert response.status_code == 202
    data = response.json()
    video = ProductVideo.objects.get(pk=data["id"])
    assert data["status_url"] == reverse("sora_products:api:video-status", kwargs={"pk": video.pk})
    assert response["Location"] == data["status_url"]
    assert (data["done"], data["ready"], data["state"]) == (False, False, "working")
    assert data["profile"] == {"height_cm": 160, "size": "M", "scene": "studio"}
    assert data["new_generation"] is True and data["message"]
    assert TryOnRequest.objects.get().session_key == client.session.session_key


def test_ready_bucket_answers_200_with_the_video_at_once(client, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": False}
    product = dress()
    video = ready_video(product, "worn", profile=TryOnProfile.from_choices(160, "M", "studio"), approved=False)

    response = ask(client, product, height=162)

    assert response.status_code == 200
    data = response.json()
    assert data["id"] == video.pk and data["ready"] and data["done"] and not data["new_generation"]
    assert data["video_url"] == f"http://testserver{video.video_file.url}"
    assert data["poster_url"] == f"http://testserver{video.poster.url}"


def test_status_follows_the_video_and_says_what_happens(client, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": False}
    product = dress()
    status_url = ask(client, product).json()["status_url"]
    video = ProductVideo.objects.get(preset="worn")

    ProductVideo.objects.filter(pk=video.pk).update(status=VideoStatus.IN_PROGRESS, progress=40)
    data = client.get(status_url).json()
    assert (data["progress"], data["done"]) == (40, False) and "40%" in data["message"]
    assert data["poll_after"] > 0 and data["video_url"] == ""

    finish(video, approved=False)
    data = client.get(status_url).json()
    assert data["ready"] and data["video_url"].endswith(".mp4")


def test_approval_required_means_the_shopper_waits_for_the_shop(client, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": True}
    product = dress()
    video = ready_video(product, "worn", profile=TryOnProfile.from_choices(160, "M", "studio"), approved=False)

    data = ask(client, product).json()

    assert data["state"] == "review" and data["done"] and not data["ready"]
    assert data["video_url"] == "" and video.video_file.url not in json.dumps(data)
    assert "waits for the shop to check it" in data["message"]


def test_failure_is_a_kind_sentence_never_the_provider_error(client):
    product = dress()
    status_url = ask(client, product).json()["status_url"]
    ProductVideo.objects.filter(preset="worn").update(
        status=VideoStatus.FAILED,
        error_code="moderation_blocked",
        error_message="Your request was rejected by the safety system. request_id=req_123 org-abc",
    )

    data = client.get(status_url).json()

    assert data["state"] == "failed" and data["done"]
    assert "try another size or setting" in data["message"]
    assert "safety system" not in json.dumps(data) and "req_123" not in json.dumps(data)


def test_worker_blocked_by_the_shopper_budget_is_explained(client):
    product = dress()
    status_url = ask(client, product).json()["status_url"]
    ProductVideo.objects.filter(preset="worn").update(
        status=VideoStatus.BLOCKED, error_code="budget_shopper_daily", error_message="internal cap text"
    )

    data = client.get(status_url).json()

    assert data["state"] == "blocked" and data["done"] and "try again tomorrow" in data["message"]


def test_status_of_other_videos_is_not_found(client, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": True}
    product = dress()
    pending_showcase = ProductVideo.objects.get(preset="showcase")

    response = client.get(reverse("sora_products:api:video-status", kwargs={"pk": pending_showcase.pk}))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get(reverse("sora_products:api:video-status", kwargs={"pk": 99999})).status_code == 404

    live = ready_video(product)
    assert client.get(reverse("sora_products:api:video-status", kwargs={"pk": live.pk})).json()["ready"]


def test_session_throttle_answers_429_with_a_sentence(client, settings):
    with_try_on(settings, THROTTLE_RATES={"session": "3/hour", "ip": "100/hour"}, MAX_PENDING_PER_SESSION=10)
    product = dress()
    for height in (150, 160, 170):
        assert ask(client, product, height=height).status_code in (200, 202)

    response = ask(client, product, height=180)

    assert response.status_code == 429
    data = response.json()
    assert data["code"] == "throttled"
    assert data["detail"].startswith("You have asked for a lot of videos in a short time. Please wait about")
    assert int(response["Retry-After"]) > 0
    assert ProductVideo.objects.filter(preset="worn").count() == 3
    # A different session on the same network is not affected by this session's limit.
    assert ask(Client(), product, height=150).status_code in (200, 202)


def test_network_throttle_counts_every_session_from_one_address(settings):
    with_try_on(settings, THROTTLE_RATES={"session": "100/hour", "ip": "2/hour"})
    product = dress()
    assert ask(Client(), product).status_code == 202
    assert ask(Client(), product).status_code == 202

    blocked = ask(Client(), product)
    assert blocked.status_code == 429 and blocked.json()["code"] == "throttled"
    other_network = ask(Client(), product, REMOTE_ADDR="203.0.113.9")
    assert other_network.status_code == 202


def test_ipv6_clients_are_throttled_by_their_64(settings):
    with_try_on(settings, THROTTLE_RATES={"session": "100/hour", "ip": "1/hour"})
    product = dress()
    assert ask(Client(), product, REMOTE_ADDR="2001:db8:1:2::1").status_code == 202
    assert ask(Client(), product, REMOTE_ADDR="2001:db8:1:2:ffff::7").status_code == 429
    assert ask(Client(), product, REMOTE_ADDR="2001:db8:1:3::1").status_code == 202


def test_pending_cap_answers_429_with_its_own_sentence(client, settings):
    with_try_on(settings, MAX_PENDING_PER_SESSION=1)
    product = dress()
    assert ask(client, product, height=150).status_code == 202

    response = ask(client, product, height=170)

    assert response.status_code == 429
    assert response.json()["code"] == "too_many_pending"
    assert response.json()["detail"].startswith("You already have 1 video being made.")
    assert ProductVideo.objects.filter(preset="worn").count() == 1


def test_spent_budget_answers_at_once_and_creates_no_row(client, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "BUDGET": {"SHOPPER_DAILY": Decimal("2.00")}}
    Spend.objects.create(
        amount=Decimal("1.60"), shopper=True, provider="default", model="sora-2", preset="worn",
        day=timezone.localdate(), kind=SpendKind.RESERVED,
    )
    product = dress()

    response = ask(client, product)

    # A 429 like a provider's quota answer (a 5xx would page the shop's on-call all afternoon), until midnight.
    assert response.status_code == 429
    now = timezone.localtime()
    to_midnight = (now.replace(hour=0, minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)) - now
    assert abs(int(response["Retry-After"]) - to_midnight.total_seconds()) < 5
    assert response.json() == {
        "detail": "Today's budget for try-on videos is used up, so we can't make a new one right now. "
        "Please try again tomorrow.",
        "code": "budget_shopper_daily",
    }
    assert not ProductVideo.objects.filter(preset="worn").exists() and not TryOnRequest.objects.exists()


def test_csrf_is_enforced_for_anonymous_shoppers():
    product = dress()
    browser = Client(enforce_csrf_checks=True)

    refused = ask(browser, product)

    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "The page's security check failed. Reload the page and try again.",
        "code": "csrf_failed",
    }
    assert not ProductVideo.objects.filter(preset="worn").exists()

    page = browser.get(product.get_absolute_url())
    token = page.cookies["csrftoken"].value
    assert ask(browser, product, HTTP_X_CSRFTOKEN=token).status_code == 202


def test_disabled_try_on_is_404_with_a_sentence(client, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "TRY_ON": {"ENABLED": False}}

    response = ask(client, dress())

    assert response.status_code == 404
    assert response.json() == {"detail": "Try-on videos are not offered in this shop.", "code": "try_on_disabled"}


def test_invalid_choices_are_400_with_field_messages(client):
    product = dress()
    body = {"product": "catalog.product:999999", "height_cm": "tall", "size": "XXXL", "scene": "moon"}

    response = client.post(TRY_ON_URL, json.dumps(body), content_type="application/json")

    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "invalid" and data["detail"]
    assert data["fields"] == {
        "product": ["This product was not found. Reload the page and try again."],
        "height_cm": ["Choose a height in centimetres, as a whole number."],
        "size": ["Choose one of the sizes offered: XS, S, M, L, XL."],
        "scene": ["Choose one of the settings offered."],
    }
    out_of_range = ask(client, product, height=260).json()["fields"]
    assert out_of_range == {"height_cm": ["Choose a height between 140 and 200 cm."]}
    assert ask(client, product, size="").json()["fields"] == {"size": ["Choose a size."]}


def test_homeware_cannot_be_tried_on_and_shoes_can(client):
    response = ask(client, dress(category="home"))

    assert response.status_code == 400 and response.json()["code"] == "not_wearable"
    assert ask(client, dress(category="shoes")).status_code == 202  # shoes are worn


def test_unregistered_models_are_not_products(client):
    body = {"product": "auth.user:1", "height_cm": 160, "size": "M", "scene": "studio"}
    response = client.post(TRY_ON_URL, json.dumps(body), content_type="application/json")

    assert response.status_code == 400 and "product" in response.json()["fields"]


def test_product_videos_lists_live_videos_only(client, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": True}
    product = dress()
    live = ready_video(product)
    ready_video(product, "showcase_wide", approved=False)
    url = reverse("sora_products:api:product-videos", args=["catalog.product", product.pk])

    data = client.get(url).json()

    assert [v["id"] for v in data["videos"]] == [live.pk]
    assert data["videos"][0]["video_url"] == f"http://testserver{live.video_file.url}"
    assert data["ai_label"] is True
    missing = reverse("sora_products:api:product-videos", kwargs={"content_type": "auth.user", "object_id": 1})
    assert client.get(missing).status_code == 404


def test_estimate_needs_the_right_to_generate_or_see_costs_and_prices_new_videos(client):
    product, lamp = dress(), dress(category="home")
    url = reverse("sora_products:api:estimate")
    body = json.dumps({"products": [product_ref(product), product_ref(lamp)], "presets": ["showcase_wide", "worn"]})

    assert client.post(url, body, content_type="application/json").status_code == 403

    staff = get_user_model().objects.create_user("staff", password="pw", is_staff=True)
    client.force_login(staff)
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "You don't have permission to generate videos or to see their costs."

    staff.user_permissions.set(Permission.objects.filter(codename="view_costs"))
    data = client.post(url, body, content_type="application/json").json()
    assert (data["new"], data["existing"], data["total"], data["currency"]) == (3, 0, "2.40", "USD")
    assert [row["preset"] for row in data["skipped"]] == ["worn"]

    common = json.dumps({"products": [product_ref(product)], "try_on_common": True})
    assert client.post(url, common, content_type="application/json").json()["new"] == 15


def test_estimate_checks_csrf_for_staff_with_the_apps_sentence(client):
    staff = get_user_model().objects.create_user("staff", password="pw", is_staff=True, is_superuser=True)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    body = json.dumps({"products": [product_ref(dress())], "presets": ["showcase"]})

    response = browser.post(reverse("sora_products:api:estimate"), body, content_type="application/json")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "The page's security check failed. Reload the page and try again.",
        "code": "csrf_failed",
    }
