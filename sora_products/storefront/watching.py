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


def mark_watched(video: ProductVideo, session_key: str | None = None) -> bool:
    """Note that a shopper is watching ``video`` now; True when that took a write.

    With ``session_key``, only a session that asked for the video marks it (walking ids marks nothing).
    The next check moves forward to the watched interval, so a job booked far ahead (webhooks) is asked soon.
    """
    from sora_products.conf import app_settings
    from sora_products.models import TryOnRequest

    now = timezone.now()
    if video.watched_until and video.watched_until - now > datetime.timedelta(seconds=WATCH_SECONDS - REFRESH_SECONDS):
        return False
    if session_key is not None and not TryOnRequest.objects.filter(video=video, session_key=session_key).exists():
        return False
    video.watched_until = now + datetime.timedelta(seconds=WATCH_SECONDS)
    soon = now + datetime.timedelta(seconds=float(app_settings.WATCHED_POLL_INTERVAL))
    ProductVideo.objects.filter(pk=video.pk).update(
        watched_until=video.watched_until,
        next_check_at=Case(When(next_check_at__gt=soon, then=Value(soon)), default=F("next_check_at")),
    )
    return True
