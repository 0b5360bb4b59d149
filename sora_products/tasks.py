"""django-q2 entry points: thin, they take an id and call ``jobs``."""

from __future__ import annotations

import time

from sora_products import jobs
from sora_products.conf import app_settings
from sora_products.queues import enqueue_video


def process_video(video_id: int) -> str:
    """Drive one video forward, waiting out short polls in this task.

    A poll that no longer fits in the task's hold is handed to a fresh task; a back-off wait (no
    ``check_in``) is never slept or re-enqueued here: the sync pass picks the row up when it is due.
    """
    hold = float(app_settings.TASK_HOLD_SECONDS)
    deadline = time.monotonic() + hold
    step = jobs.process(video_id)
    while step.check_in is not None:
        if time.monotonic() + step.check_in > deadline:
            if step.check_in < hold:
                enqueue_video(video_id)
            break
        time.sleep(step.check_in)
        step = jobs.process(video_id)
    return step.status


def sync_videos() -> int:
    """The periodic safety net (a django-q2 schedule): makes try-on buckets whose demand is met, hands due rows on."""
    from sora_products import tryon

    tryon.make_demanded()
    return jobs.sync()


SYNC_SCHEDULE = "sora_products: sync videos"


def ensure_sync_schedule(**kwargs: object) -> None:
    """Create (once) the every-minute django-q2 schedule of the sync pass; runs after migrate."""
    from django_q.models import Schedule

    Schedule.objects.update_or_create(
        name=SYNC_SCHEDULE,
        defaults={"func": "sora_products.tasks.sync_videos", "schedule_type": Schedule.MINUTES, "minutes": 1},
    )
