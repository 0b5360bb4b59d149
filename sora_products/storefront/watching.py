"""Shoppers waiting on a video: their status polls mark it watched, so the engine asks its provider more often.

The mark is the row's ``watched_until``, written at most once per ``REFRESH_SECONDS`` however often the
page polls (the status view has the row in hand, so a fresh mark costs nothing); a video nobody
watches keeps the normal poll interval and costs no extra provider call.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, F, Value, When
from django.utils import timezone

from sora_products.models import ProductVideo

WATCH_SECONDS = 12
REFRESH_SECONDS = 6


def mark_watched(video: ProductVideo) -> bool:
    """Note that a shopper is watching ``video`` now; True when that took a write.

    Callers mark only videos the polling session asked for (walking ids marks nothing). The next check
    moves forward to the watched interval, so a job booked far ahead (webhooks) is asked soon.
    """
    return mark_all_watched([video]) == 1


def mark_all_watched(videos: list[ProductVideo]) -> int:
    """``mark_watched`` for many videos: one UPDATE for those whose mark is stale, none when all are fresh."""
    from sora_products.conf import app_settings

    now = timezone.now()
    stale = [
        video.pk
        for video in videos
        if not video.watched_until
        or video.watched_until - now <= datetime.timedelta(seconds=WATCH_SECONDS - REFRESH_SECONDS)
    ]
    if not stale:
        return 0
    soon = now + datetime.timedelta(seconds=float(app_settings.WATCHED_POLL_INTERVAL))
    watched_until = now + datetime.timedelta(seconds=WATCH_SECONDS)
    for video in videos:
        if video.pk in stale:
            video.watched_until = watched_until
    return ProductVideo.objects.filter(pk__in=stale).update(
        watched_until=watched_until,
        next_check_at=Case(When(next_check_at__gt=soon, then=Value(soon)), default=F("next_check_at")),
    )
