"""Three qcluster processes on PostgreSQL and the Redis broker, 200 jobs, kill -9 of any of them at random."""

from __future__ import annotations

import random
import time
from collections import Counter

import pytest

from sora_products import jobs
from sora_products.models import ProductVideo, VideoStatus
from tests.factories import make_product
from tests.integration.helpers import assert_ledger_identity

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.redis]

JOBS = 200
PROCESSES = 3


def test_three_workers_killed_at_random_lose_nothing_and_pay_once(stack):
    stack.apply(PRESETS={"showcase": {"SECONDS": 4}}, TASK_HOLD_SECONDS=2, RECONCILE_GRACE_SECONDS=2, MAX_ATTEMPTS=4)
    worker_env = {"SORA_Q_RETRY": "8", "SORA_Q_TIMEOUT": "6"}
    workers = [stack.start_worker(workers=1, **worker_env) for _ in range(PROCESSES)]
    ids = [ProductVideo.objects.for_product(make_product(name=f"Chaos shirt {n}")).get().pk for n in range(JOBS)]

    rng = random.Random(20261201)
    kills = Counter()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        time.sleep(rng.uniform(0.2, 1.5))
        victim = rng.randrange(PROCESSES)
        stack.kill(workers[victim])
        kills[victim] += 1
        workers[victim] = stack.start_worker(workers=1, **worker_env)

    last_sync = 0.0

    def sync_pass() -> None:
        nonlocal last_sync
        if time.monotonic() - last_sync > 1.0:
            jobs.sync()
            last_sync = time.monotonic()

    videos = stack.wait_until_terminal(ids, timeout=300, tick=sync_pass)

    statuses = Counter(video.status for video in videos)
    assert len(kills) == PROCESSES and sum(kills.values()) >= 20, kills
    assert set(statuses) <= {VideoStatus.READY, VideoStatus.FAILED}, statuses
    assert statuses[VideoStatus.READY] >= JOBS * 0.9, statuses
    for video in videos:
        if video.status == VideoStatus.FAILED:
            assert video.error_message, f"video {video.pk} failed without a reason"
    stats = stack.emulator.stats()
    assert max(stats["creates_by_prompt"].values()) == 1, "a video was paid for twice"
    assert stats["creates"] == len({v.remote_id for v in videos if v.remote_id})
    assert_ledger_identity()
    print(f"\n{sum(kills.values())} kills {dict(kills)}; outcomes {dict(statuses)}; {stats['creates']} paid creates")
