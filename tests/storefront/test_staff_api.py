"""The staff API: the admin's permissions, sentences for every refusal, filters, pages and actions."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from sora_products.models import ProductVideo, ReviewState, VideoStatus
from tests.factories import make_product
from tests.videos import ready_video

pytestmark = pytest.mark.django_db

NEEDS = {
    "staff-videos": None,
    "staff-video": None,
    "staff-approve": "review_productvideo",
    "staff-reject": "review_productvideo",
    "staff-retry": "generate_productvideo",
    "staff-cancel": "generate_productvideo",
    "staff-remix": "remix_productvideo",
    "staff-generate": "generate_productvideo",
    "staff-spend": "view_costs",
}
REFUSALS = {
    None: "You don't have permission to see videos.",
    "review_productvideo": "You don't have permission to approve or reject videos.",
    "generate_productvideo": "You don't have permission to generate or cancel videos.",
    "remix_productvideo": "You don't have permission to remix videos.",
    "view_costs": "You don't have permission to see video costs.",
}


def staff(*codenames: str, superuser: bool = False) -> Client:
    user = get_user_model().objects.create_user(
        f"staff{get_user_model().objects.count()}", password="pw", is_staff=True, is_superuser=superuser
    )
    granted = Permission.objects.filter(content_type__app_label="sora_products", codename__in=codenames)
    user.user_permissions.set(granted)
    client = Client()
    client.force_login(user)
    return client


def call(client: Client, name: str, video: ProductVideo, **body):
    if name in ("staff-videos", "staff-spend"):
        return client.get(reverse(f"sora_products:api:{name}"))
    if name == "staff-generate":
        body = {"products": [f"catalog.product:{video.object_id}"], "preset": "showcase_wide", "confirm": True}
        return client.post(reverse(f"sora_products:api:{name}"), json.dumps(body), content_type="application/json")
    url = reverse(f"sora_products:api:{name}", kwargs={"pk": video.pk})
    if name == "staff-video":
        return client.get(url)
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("name", list(NEEDS))
def test_every_staff_endpoint_refuses_anonymous_and_staff_without_its_permission_with_a_sentence(name):
    video = ready_video(make_product(), approved=False)
    before = ProductVideo.objects.values_list("pk", "status", "review_state").order_by("pk")
    before = list(before)

    anonymous = call(Client(), name, video, change="slower camera")
    assert anonymous.status_code == 403 and anonymous.json()["detail"]
    unrelated = {None: "view_costs", "review_productvideo": "remix_productvideo"}.get(NEEDS[name], "view_productvideo")
    if NEEDS[name] == "view_costs":
        unrelated = "generate_productvideo"
    refused = call(staff(unrelated), name, video, change="slower camera")
    assert refused.status_code == 403
    assert refused.json() == {"detail": REFUSALS[NEEDS[name]], "code": "permission_denied"}
    assert list(ProductVideo.objects.values_list("pk", "status", "review_state").order_by("pk")) == before

    allowed = call(staff(*(["view_productvideo"] if NEEDS[name] is None else [NEEDS[name]])), name, video,
                   change="slower camera")  # fmt: skip
    assert allowed.status_code in (200, 201, 202, 409), allowed.content
    superuser = call(staff(superuser=True), name, video, change="make it navy")
    assert superuser.status_code in (200, 201, 202, 409), superuser.content


def test_approve_and_reject_move_the_review_and_an_unfinished_video_gets_409_with_why():
    reviewer = staff("review_productvideo")
    video = ready_video(make_product(), approved=False)
    approved = call(reviewer, "staff-approve", video)
    assert approved.status_code == 200 and approved.json()["review_state"] == ReviewState.APPROVED
    rejected = call(reviewer, "staff-reject", video)
    assert rejected.json()["review_state"] == ReviewState.REJECTED

    waiting = ProductVideo.objects.for_product(make_product()).get()
    refused = call(reviewer, "staff-approve", waiting)
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "This video is not finished yet; approve it when it is ready.", "code": "conflict"
    }  # fmt: skip
    assert ProductVideo.objects.get(pk=waiting.pk).review_state == ReviewState.PENDING


def test_cancel_then_retry_over_the_api():
    maker = staff("generate_productvideo")
    video = ProductVideo.objects.for_product(make_product()).get()
    assert call(maker, "staff-retry", video).status_code == 409
    canceled = call(maker, "staff-cancel", video)
    assert canceled.status_code == 200 and canceled.json()["status"] == VideoStatus.CANCELED
    again = call(maker, "staff-cancel", video).json()["detail"]
    assert again == "Only videos still being made or waiting for a person can be canceled."
    retried = call(maker, "staff-retry", video)
    assert retried.status_code == 200 and retried.json()["status"] == VideoStatus.REQUESTED


def test_remix_makes_a_new_video_in_the_chain_and_needs_a_change():
    mixer = staff("remix_productvideo", "view_productvideo")
    unfinished = ProductVideo.objects.for_product(make_product()).get()
    refused = call(mixer, "staff-remix", unfinished, change="slower camera")
    assert refused.status_code == 409 and refused.json()["detail"] == "Only a finished video can be remixed."
    video = ready_video(make_product())
    ProductVideo.objects.filter(pk=video.pk).update(remote_id="video_remixable")
    missing = call(mixer, "staff-remix", video)
    assert missing.status_code == 400 and missing.json()["code"] == "invalid" and "change" in missing.json()["fields"]

    made = call(mixer, "staff-remix", video, change="make the shirt navy blue")
    assert made.status_code == 201
    new = made.json()
    assert new["remixed_from"] == video.pk and new["remix_prompt"] == "make the shirt navy blue"
    assert call(mixer, "staff-video", video).json()["remixes"] == [new["id"]]
    again = call(mixer, "staff-remix", video, change="make the shirt  navy blue")  # the same change, asked twice
    assert again.status_code == 200 and again.json()["id"] == new["id"]
    assert ProductVideo.objects.filter(remixed_from=video).count() == 1


def test_the_list_filters_pages_and_shows_costs_only_to_those_who_may_see_them():
    shirt, lamp = make_product(), make_product(name="Lamp")
    ready = ready_video(shirt, "showcase_wide")
    url = reverse("sora_products:api:staff-videos")
    viewer, accountant = staff("view_productvideo"), staff("view_productvideo", "view_costs")

    everything = viewer.get(url).json()
    assert everything["count"] == ProductVideo.objects.count() >= 3
    assert all(video["cost"] is None for video in everything["results"])
    assert accountant.get(url).json()["results"][0]["cost"]["estimated"]

    only_ready = viewer.get(url, {"status": "ready"}).json()["results"]
    assert [video["id"] for video in only_ready] == [ready.pk]
    lamp_ref = f"catalog.product:{lamp.pk}"
    assert {video["product"] for video in viewer.get(url, {"product": lamp_ref}).json()["results"]} == {lamp_ref}
    paged = viewer.get(url, {"page_size": 1, "page": 2}).json()
    assert len(paged["results"]) == 1 and paged["previous"]


@pytest.mark.parametrize(
    ("params", "sentence"),
    [
        ({"status": "ready,bogus"}, "Unknown status bogus; use "),
        ({"review": "maybe"}, "Unknown review state maybe; use pending, approved, rejected."),
        ({"product": "catalog.product:999999"}, "There is no such product; name it as app_label.model:id."),
        ({"created_after": "yesterday"}, "Give dates as YYYY-MM-DD, for example 2026-12-01."),
        ({"created_before": "2026-02-30"}, "Give dates as YYYY-MM-DD, for example 2026-12-01."),
    ],
)
def test_a_filter_that_cannot_be_read_is_a_400_with_a_sentence(params, sentence):
    response = staff(superuser=True).get(reverse("sora_products:api:staff-videos"), params)
    assert response.status_code == 400 and response.json()["detail"].startswith(sentence)


def test_token_authentication_when_the_shop_chooses_it(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "API": {"AUTHENTICATION": ["token"]}}
    from rest_framework.authtoken.models import Token  # tests.settings installs DRF's authtoken app

    user = get_user_model().objects.create_user("robot", is_staff=True, is_superuser=True)
    token = Token.objects.create(user=user)
    url = reverse("sora_products:api:staff-videos")
    assert Client().get(url, headers={"Authorization": f"Token {token.key}"}).status_code == 200
    unsigned = Client().get(url)
    assert unsigned.status_code == 401 and unsigned.json()["code"] == "not_authenticated"
    session = Client()
    session.force_login(user)
    assert session.get(url).status_code == 401  # the session is not accepted when the shop chose tokens only


def test_a_session_post_needs_the_csrf_token():
    user = get_user_model().objects.create_user("csrf", is_staff=True, is_superuser=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    video = ready_video(make_product(), approved=False)
    response = client.post(reverse("sora_products:api:staff-approve", kwargs={"pk": video.pk}))
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
    assert ProductVideo.objects.get(pk=video.pk).review_state == ReviewState.PENDING


def test_an_unknown_video_and_an_unknown_address_answer_a_translated_sentence():
    client = staff("view_productvideo")
    missing = client.get(reverse("sora_products:api:staff-video", kwargs={"pk": 10**9}))
    assert missing.status_code == 404 and missing.json() == {"detail": "There is no such video.", "code": "not_found"}
    url = reverse("sora_products:api:staff-video", kwargs={"pk": 10**9})
    japanese = client.get(url, headers={"Accept-Language": "ja"})
    assert japanese.json()["detail"] != "There is no such video."
    nowhere = client.get("/videos/api/no-such-thing/")
    assert nowhere.status_code == 404 and nowhere.json()["code"] == "not_found"


def test_an_address_without_its_trailing_slash_is_redirected_for_get_and_explained_for_post():
    video = ready_video(make_product(), approved=False)
    client = staff("view_productvideo", "review_productvideo")
    redirected = client.get(f"/videos/api/videos/{video.pk}?x=1")
    assert redirected.status_code == 301 and redirected["Location"] == f"/videos/api/videos/{video.pk}/?x=1"
    assert client.get(redirected["Location"]).json()["id"] == video.pk
    posted = client.post(f"/videos/api/videos/{video.pk}/approve", content_type="application/json")
    assert posted.status_code == 404
    assert posted.json()["detail"] == f"This address ends with a slash: /videos/api/videos/{video.pk}/approve/"
    assert ProductVideo.objects.get(pk=video.pk).review_state == ReviewState.PENDING


def test_refusals_are_translated_for_a_japanese_back_office():
    video = ready_video(make_product(), approved=False)
    client = staff("view_productvideo")
    response = client.post(
        reverse("sora_products:api:staff-approve", kwargs={"pk": video.pk}), headers={"Accept-Language": "ja"}
    )
    assert response.status_code == 403 and response.json()["detail"] == "動画を承認・却下する権限がありません。"


def test_a_headless_storefront_gets_its_csrf_cookie_from_the_product_videos_and_can_ask():
    from tests.storefront.helpers import dress

    product = dress()
    browser = Client(enforce_csrf_checks=True)
    listed = browser.get(reverse("sora_products:api:product-videos", args=["catalog.product", product.pk]))
    token = listed.cookies["csrftoken"].value
    body = {"product": f"catalog.product:{product.pk}", "height_cm": 160, "size": "M", "scene": "studio"}
    asked = browser.post(
        reverse("sora_products:api:try-on"), json.dumps(body), content_type="application/json",
        headers={"X-CSRFToken": token},
    )  # fmt: skip
    assert asked.status_code == 202, asked.content
