"""How work reaches a worker; ``jobs`` only ever calls ``enqueue_video(video_id)``.

The default backend uses django-q2. Tasks carry only a row id: the row is the source of truth,
and a lost task is recovered by the periodic sync pass.
"""

from __future__ import annotations

from django.utils.module_loading import import_string

PROCESS_TASK = "sora_products.tasks.process_video"


class BaseQueue:
    """Hands a video id to whatever runs ``sora_products.tasks.process_video``."""

    def enqueue(self, video_id: int) -> None:
        raise NotImplementedError


class DjangoQ2Queue(BaseQueue):
    """django-q2's ``async_task`` with the broker configured in Q_CLUSTER."""

    def enqueue(self, video_id: int) -> None:
        from django_q.tasks import async_task

        async_task(PROCESS_TASK, video_id, task_name=f"sora-video-{video_id}", group="sora_products")


class CapturingQueue(BaseQueue):
    """Records ids instead of running them, so tests decide when a worker step happens."""

    captured: list[int] = []

    def enqueue(self, video_id: int) -> None:
        type(self).captured.append(video_id)


_queue_cache: dict[str, BaseQueue] = {}


def get_queue() -> BaseQueue:
    from sora_products.conf import app_settings

    path = app_settings.QUEUE
    if path not in _queue_cache:
        _queue_cache[path] = import_string(path)()
    return _queue_cache[path]


def enqueue_video(video_id: int) -> None:
    get_queue().enqueue(video_id)
