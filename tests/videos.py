"""Stored videos without a provider, for tests of what pages show (no demo models, so the Oscar shop can use them)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from sora_products import jobs, live_counter
from sora_products.models import Origin, ProductVideo, ReviewState, VideoStatus
from sora_products.specs import TryOnProfile

FAKE_MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(range(256)) * 8


def finish(video: ProductVideo, *, approved: bool = True, content: bytes = FAKE_MP4) -> ProductVideo:
    """Store a file and poster and mark the row ready, as the worker would."""
    video.video_file.save(f"{video.pk}.mp4", ContentFile(content), save=False)
    video.poster.save(f"{video.pk}.jpg", ContentFile(b"\xff\xd8\xff poster"), save=False)
    ProductVideo.objects.filter(pk=video.pk).update(
        status=VideoStatus.READY,
        progress=100,
        video_file=video.video_file.name,
        poster=video.poster.name,
        completed_at=timezone.now(),
        review_state=ReviewState.APPROVED if approved else ReviewState.PENDING,
    )
    live_counter.changed()  # a queryset update sends no signal; the worker's own path moves the counter
    video.refresh_from_db()
    return video


def ready_video(product, preset: str = "showcase", *, profile: TryOnProfile | None = None, approved: bool = True):
    video, _created = jobs.request_video(product, preset, profile=profile, origin=Origin.ADMIN)
    return finish(video, approved=approved)
