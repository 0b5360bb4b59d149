"""Shoppers waiting on a video: their status polls mark it watched, so the engine asks its provider more often.

The mark is the row's ``watched_until``, written at most once per ``REFRESH_SECONDS`` however often the
page polls (the status view has the row in hand, so a fresh mark costs nothing); a video nobody
watches keeps the normal poll interval and costs no extra provider call.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from sora_products.models import ProductVideo

WATCH_SECONDS = 12
REFRESH_SECONDS = 6


def mark_watched(video: ProductVideo) -> bool:
    """Note that a shopper is watching ``video`` now; True when that took a write."""
    now = timezone.now()
    if video.watched_until and video.watched_until - now > datetime.timedelta(seconds=WATCH_SECONDS - REFRESH_SECONDS):
        return False
    video.watched_until = now + datetime.timedelta(seconds=WATCH_SECONDS)
    ProductVideo.objects.filter(pk=video.pk).update(watched_until=video.watched_until)
    return True
