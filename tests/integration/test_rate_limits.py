"""Provider rate limits hold across two separate qcluster processes (counted at the emulator)."""

from __future__ import annotations

import pytest

from sora_products.jobs.limits import IN_FLIGHT
from sora_products.models import ProductVideo, VideoStatus
from tests.factories import make_product

pytestmark = [pytest.mark.worker]


def test_creates_per_window_and_jobs_in_flight_hold_with_two_clusters(stack):
    provider = {
        **stack.sora["PROVIDERS"]["default"],
        "RATE_LIMIT": {"REQUESTS_PER_MINUTE": 2, "WINDOW_SECONDS": 3, "MAX_IN_FLIGHT": 2},
    }
    stack.apply(PROVIDERS={"default": provider}, PRESETS={"showcase": {"SECONDS": 4}})
    stack.emulator.configure(complete_after=1.5)
    stack.start_worker(workers=2)
    stack.start_worker(workers=2)
    ids = [ProductVideo.objects.for_product(make_product()).get().pk for _ in range(6)]

    most_in_flight = 0

    def observe() -> None:
        nonlocal most_in_flight
        most_in_flight = max(most_in_flight, ProductVideo.objects.filter(status__in=IN_FLIGHT).count())

    videos = stack.wait_until_terminal(ids, timeout=120, tick=observe)

    assert all(video.status == VideoStatus.READY for video in videos)
    times = sorted(stack.emulator.stats()["create_times"])
    assert len(times) == 6
    # No three creates inside any 3-second window (2 allowed per window). The limiter counts claims;
    # the emulator sees each create a moment after its claim, hence the half-second allowance.
    assert all(later - earlier >= 2.5 for earlier, later in zip(times, times[2:], strict=False)), times
    claims = sorted(video.submit_started_at.timestamp() for video in videos)
    assert all(later - earlier >= 2.99 for earlier, later in zip(claims, claims[2:], strict=False)), claims
    assert 1 <= most_in_flight <= 2
