"""Driving rows through the state machine in the test process, as a worker would."""

from __future__ import annotations

import time

from django.utils import timezone

from sora_products import jobs
from sora_products.models import TERMINAL_STATUSES, ProductVideo, Spend, SpendKind, VideoStatus

# Statuses that may hold an open reservation: a job being made, or one parked for a person to decide.
OPEN_ALLOWED = {
    VideoStatus.SUBMITTING,
    VideoStatus.QUEUED,
    VideoStatus.IN_PROGRESS,
    VideoStatus.STORING,
    VideoStatus.NEEDS_REVIEW,
}


def drive(video_id: int, timeout: float = 30.0) -> ProductVideo:
    """Call jobs.process like a worker does, waiting what each step asks, until the row ends."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        step = jobs.process(video_id)
        video = ProductVideo.objects.get(pk=video_id)
        if video.status in TERMINAL_STATUSES:
            return video
        if step.check_in is None:
            # A back-off: the sync pass would hand the row over when it is due; do the same here.
            if video.next_check_at is None or video.status == VideoStatus.BLOCKED:
                return video
            wait = (video.next_check_at - timezone.now()).total_seconds()
            time.sleep(min(max(wait, 0.0), 1.0))
            continue
        time.sleep(min(step.check_in, 1.0))
    raise AssertionError(f"video {video_id} still {ProductVideo.objects.get(pk=video_id).status} after {timeout} s")


def assert_ledger_identity() -> None:
    """Reserved = settled + released + billed refusals + open reservations, and each is where it belongs.

    Every reservation is in exactly one state with a matching settled amount; only a video still being
    made (or parked for a person) holds an open reservation, at most one; a stored video's settled
    amount is its actual cost.
    """
    spends = list(Spend.objects.select_related("video"))
    by_kind = {kind: [s for s in spends if s.kind == kind] for kind in SpendKind.values}
    assert sum(len(rows) for rows in by_kind.values()) == len(spends), "a spend row in no known state"
    for spend in by_kind[SpendKind.RESERVED]:
        assert spend.settled_amount is None
        assert spend.video is not None and spend.video.status in OPEN_ALLOWED, (spend.video, spend.video.status)
    for spend in by_kind[SpendKind.RELEASED]:
        assert spend.settled_amount == 0
    for spend in by_kind[SpendKind.LOSS]:
        assert spend.settled_amount == spend.amount
    for spend in by_kind[SpendKind.SETTLED]:
        assert spend.video is None or spend.settled_amount == spend.video.actual_cost
    open_per_video = [s.video_id for s in by_kind[SpendKind.RESERVED]]
    assert len(open_per_video) == len(set(open_per_video)), "a video holds two open reservations"
