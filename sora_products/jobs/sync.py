"""The worker side: drive one row from its state, and the sync pass that hands every due row to a worker."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone

from sora_products.conf import app_settings
from sora_products.jobs import breaker
from sora_products.jobs.transitions import Step, later
from sora_products.models import ACTIVE_STATUSES, ProductVideo, VideoStatus
from sora_products.queues import enqueue_video


def process(video_id: int) -> Step:
    """Drive one row forward from whatever state it is in; safe to call at any time, repeatedly."""
    from sora_products.jobs.reconcile import reconcile
    from sora_products.jobs.refresh import refresh
    from sora_products.jobs.store import store
    from sora_products.jobs.submit import submit

    video = ProductVideo.objects.filter(pk=video_id).first()
    if video is None:
        return Step("missing")
    if video.status in (VideoStatus.REQUESTED, VideoStatus.BLOCKED):
        return submit(video)
    if video.status == VideoStatus.SUBMITTING:
        return reconcile(video)
    if video.status in (VideoStatus.QUEUED, VideoStatus.IN_PROGRESS):
        return refresh(video)
    if video.status == VideoStatus.STORING:
        return store(video)
    return Step(video.status)


def due_videos(now: datetime.datetime | None = None) -> models.QuerySet:
    """Rows the sync pass should drive: active and due (or never scheduled)."""
    now = now or timezone.now()
    return ProductVideo.objects.filter(status__in=ACTIVE_STATUSES).filter(
        models.Q(next_check_at__lte=now) | models.Q(next_check_at__isnull=True)
    )


def sync(*, enqueue: bool = True, limit: int = 500) -> int:
    """The safety net: probe providers that are down, then hand every due row to a worker (or run it here)."""
    breaker.probe_due()
    lease = float(app_settings.SYNC_LEASE_SECONDS)
    now = timezone.now()
    count = 0
    for video_id in due_videos(now).values_list("pk", flat=True)[:limit]:
        # Lease the row only if it is still due, so overlapping passes never hand it over twice; a step
        # that runs sets its own next check, and a lost task is handed over again when the lease ends.
        if not due_videos(now).filter(pk=video_id).update(next_check_at=later(lease)):
            continue
        if enqueue:
            enqueue_video(video_id)
        else:
            process(video_id)
        count += 1
    return count
