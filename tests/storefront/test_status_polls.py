"""Polling cheaply: ETags on status polls (304 while nothing changed) and one request for up to 200 videos."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from sora_products.models import ProductVideo, VideoStatus
from sora_products.storefront import product_ref
from tests.storefront.helpers import dress, ready_video

pytestmark = pytest.mark.django_db

BATCH_URL = reverse("sora_products:api:video-status-batch")


def ask(client, product, height=160):
    body = {"product": product_ref(product), "height_cm": height, "size": "M", "scene": "studio"}
    response = client.post("/videos/api/try-on/", json.dumps(body), content_type="application/json")
    assert response.status_code == 202, response.content
    return response.json()


def test_an_unchanged_state_answers_304_to_its_etag_and_a_change_answers_200(client):
    asked = ask(client, dress())
    first = client.get(asked["status_url"])
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')

    again = client.get(asked["status_url"], HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag

    ProductVideo.objects.filter(pk=asked["id"]).update(status=VideoStatus.IN_PROGRESS, progress=40)
    moved = client.get(asked["status_url"], HTTP_IF_NONE_MATCH=etag)
    assert moved.status_code == 200 and moved.json()["progress"] == 40 and moved["ETag"] != etag


def test_one_request_polls_many_videos_in_the_order_asked_and_names_the_missing(client, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": True}
    product = dress()
    first, second = ask(client, product, 160), ask(client, product, 180)
    unreviewed = ready_video(product, "showcase", approved=False)  # not live: not the storefront's business

    ids = [second["id"], unreviewed.pk, first["id"], 10**9, second["id"]]
    response = client.get(BATCH_URL, {"ids": ",".join(map(str, ids))})

    data = response.json()
    assert response.status_code == 200
    assert [video["id"] for video in data["videos"]] == [second["id"], first["id"]]
    assert data["missing"] == [unreviewed.pk, 10**9]
    assert data["videos"][0]["profile"]["height_cm"] == 180 and data["videos"][0]["status_url"] == second["status_url"]
    unchanged = client.get(BATCH_URL, {"ids": ",".join(map(str, ids))}, HTTP_IF_NONE_MATCH=response["ETag"])
    assert unchanged.status_code == 304


@pytest.mark.parametrize(
    ("ids", "sentence"),
    [
        ("", "Say which videos: ids=1,2,3 (numbers, separated by commas)."),
        ("1,two", "Say which videos: ids=1,2,3 (numbers, separated by commas)."),
        ("-1", "Say which videos: ids=1,2,3 (numbers, separated by commas)."),
        ("²,١٢", "Say which videos: ids=1,2,3 (numbers, separated by commas)."),  # digits to str.isdigit, not int()
        (",".join(str(n) for n in range(1, 202)), "Ask for at most 200 videos at a time."),
    ],
)
def test_bad_or_too_many_ids_get_a_400_with_a_sentence(client, ids, sentence):
    response = client.get(BATCH_URL, {"ids": ids})
    assert response.status_code == 400 and response.json()["detail"] == sentence


def test_two_hundred_ids_are_one_poll_against_the_status_limit(client, settings):
    options = settings.SORA_PRODUCTS["TRY_ON"]
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "TRY_ON": {**options, "THROTTLE_RATES": {**options.get("THROTTLE_RATES", {}), "status": "2/hour"}},
    }
    ids = ",".join(str(n) for n in range(1, 201))
    assert [client.get(BATCH_URL, {"ids": ids}).status_code for _ in range(3)] == [200, 200, 429]
