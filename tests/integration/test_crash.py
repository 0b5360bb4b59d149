"""kill -9 the worker at random moments across 50 jobs: every video still ends, none is paid twice."""

from __future__ import annotations

import random
import time
from collections import Counter

import pytest

from sora_products import jobs
from sora_products.models import ProductVideo, VideoStatus
from tests.factories import make_product
from tests.integration.helpers import assert_ledger_identity

pytestmark = [pytest.mark.worker]

JOBS = 50


def test_killing_workers_at_random_points_loses_nothing_and_pays_once(stack):
    stack.apply(
        PRESETS={"showcase": {"SECONDS": 4}},
        TASK_HOLD_SECONDS=2,
        RECONCILE_GRACE_SECONDS=2,
        MAX_ATTEMPTS=4,
    )
    # A short broker retry so tasks of killed workers come back quickly (ORM broker); the sync pass
    # below is what recovers them on the Redis broker, which drops in-flight tasks.
    worker_env = {"SORA_Q_RETRY": "8", "SORA_Q_TIMEOUT": "6"}
    worker = stack.start_worker(workers=2, **worker_env)
    ids = [ProductVideo.objects.for_product(make_product(name=f"Crash test shirt {n}")).get().pk for n in range(JOBS)]

    rng = random.Random(20261124)
    kills, last_sync = 0, 0.0
    deadline = time.monotonic() + 25
    while time.monotonic() < deadline:
        time.sleep(rng.uniform(0.3, 2.0))
        stack.kill(worker)
        kills += 1
        worker = stack.start_worker(workers=2, **worker_env)

    def sync_pass() -> None:
        nonlocal last_sync
        if time.monotonic() - last_sync > 1.0:
            jobs.sync()
            last_sync = time.monotonic()

    videos = stack.wait_until_terminal(ids, timeout=240, tick=sync_pass)

    statuses = Counter(video.status for video in videos)
    assert kills >= 10
    assert set(statuses) <= {VideoStatus.READY, VideoStatus.FAILED}, statuses
    assert statuses[VideoStatus.READY] >= JOBS * 0.8, statuses
    for video in videos:
        if video.status == VideoStatus.FAILED:
            assert video.error_message, f"video {video.pk} failed without a reason"
    stats = stack.emulator.stats()
    paid_per_prompt = stats["creates_by_prompt"]
    assert max(paid_per_prompt.values()) == 1, "a video was paid for twice"
    assert stats["creates"] == len({v.remote_id for v in videos if v.remote_id})
    assert_ledger_identity()
    print(f"\n{kills} kills; outcomes {dict(statuses)}; {stats['creates']} paid creates for {JOBS} videos")
