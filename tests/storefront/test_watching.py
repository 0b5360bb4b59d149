"""Waiting that feels short: a watched video is polled sooner, and the bar moves even when the provider says 0 %."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sora_products.jobs.refresh import poll_interval
from sora_products.models import ProductVideo, VideoStatus
from sora_products.providers import JobStatus, RemoteJob
from sora_products.storefront import product_ref
from sora_products.storefront import shopper_state as states
from tests.storefront.helpers import dress, ready_video

pytestmark = pytest.mark.django_db

TRY_ON_URL = reverse("sora_products:api:try-on")


def asked(client) -> ProductVideo:
    body = {"product": product_ref(dress()), "height_cm": 160, "size": "M", "scene": "studio"}
    data = client.post(TRY_ON_URL, json.dumps(body), content_type="application/json").json()
    return ProductVideo.objects.get(pk=data["id"])


def updates_of_videos(queries) -> int:
    return sum(1 for q in queries if q["sql"].startswith("UPDATE") and "sora_products_productvideo" in q["sql"])


def test_the_page_that_asked_and_polls_marks_the_video_watched_with_few_writes(client):
    video = asked(client)
    assert video.watched_until and video.watched_until > timezone.now()  # marked by the ask itself
    url = reverse("sora_products:api:video-status", kwargs={"pk": video.pk})
    with CaptureQueriesContext(connection) as queries:
        for _ in range(10):
            assert client.get(url).status_code == 200
    assert updates_of_videos(queries) == 0  # the mark is fresh: ten polls, no write
    ProductVideo.objects.filter(pk=video.pk).update(watched_until=timezone.now() + datetime.timedelta(seconds=2))
    with CaptureQueriesContext(connection) as queries:
        for _ in range(10):
            client.get(url)
    assert updates_of_videos(queries) == 1  # nearly stale: one write renews it for the next polls


def test_a_watched_video_is_polled_sooner_but_never_sooner_than_the_provider_allows(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "POLL_INTERVAL": 10, "WATCHED_POLL_INTERVAL": 2}
    video = ProductVideo(provider="default", watched_until=None)
    assert poll_interval(video) == 10
    video.watched_until = timezone.now() + datetime.timedelta(seconds=5)
    assert poll_interval(video) == 2
    slow = RemoteJob(
        id="job",
        status=JobStatus.IN_PROGRESS,
        progress=0,
        model="m",
        size="720x1280",
        seconds=8,
        prompt=None,
        created_at=None,
        completed_at=None,
        expires_at=None,
        remixed_from=None,
        error_code=None,
        error_message=None,
        poll_after_ms=4000,
    )
    assert poll_interval(video, slow) == 4
    video.watched_until = timezone.now() - datetime.timedelta(seconds=1)  # nobody watches any more
    assert poll_interval(video) == 10


def test_the_bar_moves_from_elapsed_time_when_the_provider_reports_nothing():
    states._typical.clear()
    started = timezone.now() - datetime.timedelta(seconds=45)
    video = ProductVideo(provider="p", model="m", status=VideoStatus.IN_PROGRESS, progress=0, submit_started_at=started)
    assert states.shown_progress(video) == 50  # 45 s of the 90 s default
    video.progress = 70
    assert states.shown_progress(video) == 70  # the provider's own figure wins when it is ahead
    video.progress, video.submit_started_at = 0, timezone.now() - datetime.timedelta(hours=1)
    assert states.shown_progress(video) == 95  # only the finished video says 100


def test_the_estimate_learns_how_long_this_provider_and_model_take():
    states._typical.clear()
    product = dress()
    now = timezone.now()
    for preset in ("showcase", "showcase_wide", "worn"):
        video = ready_video(product, preset)
        ProductVideo.objects.filter(pk=video.pk).update(
            provider="p",
            model="m",
            submit_started_at=now - datetime.timedelta(seconds=40),
            completed_at=now - datetime.timedelta(seconds=10),
        )
    assert states.typical_seconds("p", "m") == 30
    video = ProductVideo(
        provider="p",
        model="m",
        status=VideoStatus.IN_PROGRESS,
        progress=0,
        submit_started_at=now - datetime.timedelta(seconds=15),
    )
    assert states.shown_progress(video) == 50


def test_only_a_session_that_asked_marks_a_video_and_the_next_check_moves_forward(client):
    from django.test import Client

    video = asked(client)
    far = timezone.now() + datetime.timedelta(seconds=120)  # booked far ahead, as with webhooks
    ProductVideo.objects.filter(pk=video.pk).update(watched_until=None, next_check_at=far)
    url = reverse("sora_products:api:video-status", kwargs={"pk": video.pk})
    assert Client().get(url).status_code == 200  # a stranger walking ids
    assert ProductVideo.objects.get(pk=video.pk).watched_until is None
    client.get(url)
    video.refresh_from_db()
    assert video.watched_until is not None
    assert video.next_check_at < timezone.now() + datetime.timedelta(seconds=3)


def test_saving_the_finished_video_never_moves_the_bar_back():
    video = ProductVideo(provider="p", model="m", status=VideoStatus.STORING, progress=0)
    assert states.shown_progress(video) == 95
