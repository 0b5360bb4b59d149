"""A provider that is down is waited for, not hammered: back-off per video, a breaker per provider."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.utils import timezone

from sora_products import jobs
from sora_products.jobs import breaker
from sora_products.models import ProductVideo, ProviderHealth, ProviderPause, VideoStatus
from sora_products.signals import provider_recovered, provider_unreachable
from tests.engine.outage import DownProvider, free_port
from tests.factories import make_product
from tests.integration.helpers import assert_ledger_identity

pytestmark = pytest.mark.django_db


@pytest.fixture
def point_at(settings):
    """Point the default provider at a base URL, with the breaker's default thresholds."""

    def point(base_url: str, **extra) -> None:
        settings.SORA_PRODUCTS = {
            **settings.SORA_PRODUCTS,
            "PROVIDERS": {"default": {"BASE_URL": base_url, "API_KEY": "sk-test", "TIMEOUTS": {"connect": 1}}},
            "OUTAGE": {"AFTER_FAILURES": 3, "PROBE_SECONDS": 30},
            **extra,
        }

    return point


@pytest.fixture
def signals_seen():
    seen: list[tuple[str, dict]] = []

    def down(sender, **kwargs):
        seen.append(("unreachable", kwargs))

    def up(sender, **kwargs):
        seen.append(("recovered", kwargs))

    provider_unreachable.connect(down, weak=False, dispatch_uid="test-down")
    provider_recovered.connect(up, weak=False, dispatch_uid="test-up")
    yield seen
    provider_unreachable.disconnect(dispatch_uid="test-down")
    provider_recovered.disconnect(dispatch_uid="test-up")


def new_videos(count: int) -> list[ProductVideo]:
    return [ProductVideo.objects.for_product(make_product()).get() for _ in range(count)]


def waits_of(video: ProductVideo) -> float:
    video.refresh_from_db()
    return (video.next_check_at - timezone.now()).total_seconds()


def test_back_off_doubles_from_thirty_seconds_to_fifteen_minutes_with_jitter():
    nominal = [breaker.backoff_seconds(n, rand=lambda: 0.5) for n in range(8)]
    assert nominal == [30, 60, 120, 240, 480, 900, 900, 900]
    assert breaker.backoff_seconds(0, rand=lambda: 0.0) == pytest.approx(27)
    assert breaker.backoff_seconds(5, rand=lambda: 1.0) == pytest.approx(990)
    assert breaker.backoff_seconds(10_000, rand=lambda: 0.5) == 900  # no overflow for a very long outage


def test_refused_connections_back_off_then_nothing_is_sent_to_an_unreachable_provider(
    point_at, django_capture_on_commit_callbacks, signals_seen, caplog
):
    closed = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens: connect() is refused, nothing was sent
    point_at(closed)
    videos = new_videos(5)
    with caplog.at_level(logging.WARNING, logger="sora_products"), django_capture_on_commit_callbacks(execute=True):
        steps = [jobs.process(video.pk) for video in videos]
    assert all(step.check_in is None for step in steps), "a back-off is never slept or re-enqueued in a worker"
    for video in videos[:3]:
        video.refresh_from_db()
        assert (video.status, video.attempts, video.waits) == (VideoStatus.REQUESTED, 0, 1)
        assert 27 <= waits_of(video) <= 33
    health = ProviderHealth.objects.get(provider="default")
    assert health.unreachable_since is not None and health.failures == 3
    for video in videos[3:]:
        video.refresh_from_db()
        assert video.status == VideoStatus.REQUESTED and video.error_code == "provider_unreachable"
        assert video.attempts == 0 and "unreachable" in video.error_message
    assert [kind for kind, _ in signals_seen] == ["unreachable"]
    assert any("unreachable" in record.getMessage() for record in caplog.records if record.levelno == logging.WARNING)
    assert_ledger_identity()


def test_a_failing_gateway_gets_one_create_per_video_and_one_probe_per_cool_down(
    point_at, video_emulator, settings, django_capture_on_commit_callbacks, signals_seen
):
    down = DownProvider(free_port(), "503").start()
    try:
        point_at(f"http://127.0.0.1:{down.port}/v1")
        videos = new_videos(10)
        with django_capture_on_commit_callbacks(execute=True):
            for video in videos:
                jobs.process(video.pk)
        # A 503 on a create may mean it was made: three are left to reconcile; the rest were never sent.
        submitting = ProductVideo.objects.filter(status=VideoStatus.SUBMITTING).count()
        assert submitting == 3 and down.calls["POST /v1/videos"] == 3
        for _ in range(20):  # sync passes far more often than the cool-down
            ProductVideo.objects.update(next_check_at=timezone.now())
            jobs.sync(enqueue=False)
        assert down.requests == 3, down.calls  # nothing while the cool-down lasts
        ProviderHealth.objects.update(next_probe_at=timezone.now())
        for _ in range(5):
            jobs.sync(enqueue=False)
        assert down.calls["GET /v1/videos"] == 1, "one probe for the whole provider, never a paid call"
        assert down.calls["POST /v1/videos"] == 3
    finally:
        down.stop()
    # The provider is back (here: the emulator): the next probe succeeds and everyone is woken at once.
    point_at(video_emulator.base_url, RECONCILE_GRACE_SECONDS=0)
    settings.SORA_PRODUCTS["PROVIDERS"]["default"]["API_KEY"] = video_emulator.api_key
    ProviderHealth.objects.update(next_probe_at=timezone.now())
    ProductVideo.objects.update(next_check_at=timezone.now() + datetime.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        jobs.sync(enqueue=False)
    assert ProviderHealth.objects.get().unreachable_since is None
    assert [kind for kind, _ in signals_seen] == ["unreachable", "recovered"]
    assert signals_seen[1][1]["videos"] == 10
    assert ProductVideo.objects.filter(next_check_at__gt=timezone.now()).count() < 10


def test_a_probe_that_gets_an_answer_in_protocol_means_the_provider_is_back(point_at, video_emulator):
    point_at(video_emulator.base_url)  # wrong API key: a 401 is still an answer
    for _ in range(3):
        breaker.record_failure("default", RuntimeError("connection refused"))
    ProviderHealth.objects.update(next_probe_at=timezone.now())
    assert breaker.probe_due() == 1
    assert breaker.outage("default") is None


def test_a_success_ends_a_run_of_failures_so_only_failures_in_a_row_count():
    breaker.record_failure("default", RuntimeError("one"))
    breaker.record_failure("default", RuntimeError("two"))
    breaker.blocked_until("default")
    breaker.record_success("default")
    assert not breaker.record_failure("default", RuntimeError("three"))
    assert breaker.outage("default") is None


def test_resuming_a_paused_provider_wakes_its_videos(django_capture_on_commit_callbacks, _captured_queue):
    video = new_videos(1)[0]
    until = timezone.now() + datetime.timedelta(hours=1)
    ProviderPause.objects.create(provider="default", paused_until=until, reason="quota")
    ProductVideo.objects.filter(pk=video.pk).update(
        status=VideoStatus.BLOCKED, next_check_at=timezone.now() + datetime.timedelta(hours=1)
    )
    _captured_queue.clear()
    with django_capture_on_commit_callbacks(execute=True):
        breaker.resume("default")
    assert not ProviderPause.objects.exists()
    assert waits_of(video) <= 0
    assert _captured_queue == [video.pk]
