"""The listing skips its live-video query only when a shared cache carries the live counter."""

from __future__ import annotations

import os
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sora_products import jobs, live_counter, live_listener
from sora_products.models import ProductVideo
from tests.factories import make_product
from tests.storefront.helpers import finish

pytestmark = pytest.mark.django_db

LIST = "catalog:list"


def live_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse(LIST)).content.decode()
    return sum("sora_products_productvideo" in q["sql"] for q in queries.captured_queries), html


@pytest.fixture
def redis_cache(settings, monkeypatch):
    monkeypatch.setattr(live_listener, "RETRY_SECONDS", 0.1)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["SORA_REDIS_URL"]}
    }
    caches["default"].delete(live_counter.KEY)
    yield caches["default"]
    caches["default"].delete(live_counter.KEY)


def heard(before=None, seconds: float = 3.0):
    """The listener's generation once it is subscribed and differs from ``before`` (its messages come on a thread)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        listener = live_listener._listener
        if listener is not None and listener.generation is not None and listener.generation != before:
            return listener.generation
        time.sleep(0.02)
    raise AssertionError("the live-change listener heard nothing")


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_with_a_per_process_cache_every_page_asks_the_database(client):
    finish(ProductVideo.objects.for_product(make_product()).get())
    assert [live_queries(client)[0] for _ in range(3)] == [1, 1, 1]


@pytest.mark.redis
def test_with_a_shared_cache_the_query_is_skipped_until_something_live_changes(client, redis_cache):
    product = make_product(name="Canvas tote")
    video = finish(ProductVideo.objects.for_product(product).get())
    assert live_queries(client)[0] == 1  # the first page also starts this process's listener
    subscribed = heard()
    assert live_queries(client)[0] == 1
    count, html = live_queries(client)
    assert count == 0 and f"/{video.video_file.name}" in html or video.video_file.url in html
    # Another process (a worker, an admin) changes what is live: it moves the counter and publishes the move.
    before = redis_cache.get(live_counter.KEY)
    live_counter._bump()
    assert redis_cache.get(live_counter.KEY) != before
    heard(subscribed)
    assert live_queries(client)[0] == 1
    # Changes made here move it too, once committed.
    jobs.approve(video, approved=False)
    count, html = live_queries(client)
    assert count == 1 and "<video" not in html


@pytest.mark.redis
def test_a_lost_counter_starts_afresh_and_never_serves_an_old_memo(client, redis_cache, monkeypatch):
    monkeypatch.setattr(live_listener, "generation", lambda *args: None)  # not subscribed: the page reads the counter
    finish(ProductVideo.objects.for_product(make_product()).get())
    assert live_queries(client)[0] == 1
    assert live_queries(client)[0] == 0
    redis_cache.delete(live_counter.KEY)  # Redis restarted or evicted the key
    assert live_queries(client)[0] == 1


@pytest.mark.redis
def test_a_dropped_subscription_sends_pages_to_the_database_until_it_is_back(client, redis_cache):
    finish(ProductVideo.objects.for_product(make_product()).get())
    live_queries(client)
    subscribed = heard()
    live_queries(client)
    assert live_queries(client)[0] == 0
    # Redis restarts: bumps published meanwhile are lost, so nothing remembered from before may be served.
    redis_cache._cache.get_client(write=True).client_kill_filter(_type="pubsub")
    resubscribed = heard(subscribed)
    assert resubscribed != subscribed
    assert live_queries(client)[0] == 1


def test_a_cache_that_fails_falls_back_to_the_query(client):
    finish(ProductVideo.objects.for_product(make_product()).get())
    broken = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    with override_settings(CACHES={"default": broken}):
        count, html = live_queries(client)
    assert count == 1 and "<video" in html
