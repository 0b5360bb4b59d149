"""Driving rows through the state machine in the test process, as a worker would."""

from __future__ import annotations

import time

from sora_products import jobs
from sora_products.models import TERMINAL_STATUSES, ProductVideo, Spend, SpendKind


def drive(video_id: int, timeout: float = 30.0) -> ProductVideo:
    """Call jobs.process like a worker does, waiting what each step asks, until the row ends."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        step = jobs.process(video_id)
        video = ProductVideo.objects.get(pk=video_id)
        if video.status in TERMINAL_STATUSES or step.check_in is None:
            return video
        time.sleep(min(step.check_in, 1.0))
    raise AssertionError(f"video {video_id} still {ProductVideo.objects.get(pk=video_id).status} after {timeout} s")


def assert_ledger_identity() -> None:
    """Reserved = settled + released + open reservations (+ billed refusals), always."""
    reserved = sum(s.amount for s in Spend.objects.all())
    parts = sum(s.amount for s in Spend.objects.filter(kind__in=[k for k in SpendKind]))
    assert reserved == parts
    for spend in Spend.objects.all():
        if spend.kind == SpendKind.RESERVED:
            assert spend.settled_amount is None
        elif spend.kind == SpendKind.RELEASED:
            assert spend.settled_amount == 0
        else:
            assert spend.settled_amount is not None
