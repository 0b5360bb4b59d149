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


def test_a_weak_or_star_if_none_match_also_answers_304(client):
    asked = ask(client, dress())
    etag = client.get(asked["status_url"])["ETag"]
    assert client.get(asked["status_url"], HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304
    assert client.get(asked["status_url"], HTTP_IF_NONE_MATCH=f'"other", {etag}').status_code == 304
    assert client.get(asked["status_url"], HTTP_IF_NONE_MATCH="*").status_code == 304
    assert client.get(asked["status_url"], HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_the_try_on_profile_is_shown_only_to_the_session_that_asked(client):
    from django.test import Client

    asked = ask(client, dress(), height=170)
    stranger = Client()
    single = stranger.get(asked["status_url"]).json()
    batch = stranger.get(BATCH_URL, {"ids": str(asked["id"])}).json()["videos"][0]
    assert single["profile"] == {} and batch["profile"] == {}
    assert single["state"] == client.get(asked["status_url"]).json()["state"]  # the state itself is not secret
    assert client.get(asked["status_url"]).json()["profile"]["height_cm"] == 170
    assert client.get(BATCH_URL, {"ids": str(asked["id"])}).json()["videos"][0]["profile"]["height_cm"] == 170


def test_a_batch_poll_marks_its_unfinished_videos_watched_in_one_update(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    options = settings.SORA_PRODUCTS["TRY_ON"]
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "TRY_ON": {**options, "MAX_PENDING_PER_SESSION": 10}}
    product = dress()
    ids = [ask(client, product, height)["id"] for height in (150, 160, 170, 180, 190)]
    ProductVideo.objects.filter(pk__in=ids).update(watched_until=None)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(BATCH_URL, {"ids": ",".join(map(str, ids))}).status_code == 200
    updates = [q for q in queries if q["sql"].startswith("UPDATE") and "sora_products_productvideo" in q["sql"]]
    assert len(updates) == 1
    assert ProductVideo.objects.filter(pk__in=ids, watched_until__isnull=False).count() == 5
    with CaptureQueriesContext(connection) as again:
        client.get(BATCH_URL, {"ids": ",".join(map(str, ids))})
    assert not [q for q in again if q["sql"].startswith("UPDATE")]  # fresh marks: no write at all
