"""Copying a finished video from the provider into Django storage before its link expires.

The MP4 is streamed to a temporary file under a size cap, checked to be an MP4, inspected (product
fidelity, Content Credentials: ``jobs.trust``) and saved byte for byte: never re-encoded, so provenance
metadata (C2PA) survives. A video whose product drifted from its photo is stored but held for a person.
"""

from __future__ import annotations

import logging
import tempfile
from decimal import Decimal

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sora_products import budget
from sora_products.conf import app_settings
from sora_products.jobs import breaker, trust
from sora_products.jobs.providers import get_provider
from sora_products.jobs.transitions import Step, fail, update_row
from sora_products.models import ProductVideo, VideoStatus
from sora_products.providers import DownloadTooLarge, NotFound, ProviderError, TransientError
from sora_products.storage import StorageUnavailable

logger = logging.getLogger(__name__)

STORING = [VideoStatus.STORING]
MP4_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash", b"qt  "}


def looks_like_mp4(head: bytes) -> bool:
    """ISO-BMFF: an ``ftyp`` box at offset 4 with a known major brand."""
    return len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS


def store(video: ProductVideo) -> Step:
    """Download, check and save the video and its poster, then mark the row ready."""
    until = breaker.blocked_until(video.provider)
    if until is not None:
        return breaker.wait_for_provider(video, until, expect=STORING)
    provider = get_provider(video.provider)
    with tempfile.TemporaryFile() as handle:
        try:
            provider.download(video.remote_id, handle, max_bytes=int(app_settings.MAX_DOWNLOAD_BYTES))
        except DownloadTooLarge:
            limit_mb = int(app_settings.MAX_DOWNLOAD_BYTES) // (1024 * 1024)
            return fail(
                video,
                "too_large",
                _("The finished video is larger than the %(limit)d MB limit and was not saved.") % {"limit": limit_mb},
                spend=budget.WRITTEN_OFF,
                expect=STORING,
            )
        except NotFound:
            return fail(
                video,
                "expired",
                _("The provider's copy of the video expired before it was saved."),
                spend=budget.WRITTEN_OFF,
                expect=STORING,
            )
        except TransientError as exc:
            return breaker.back_off(video, exc, expect=STORING)
        except ProviderError as exc:
            return fail(video, exc.code or "download_failed", str(exc), spend=budget.WRITTEN_OFF, expect=STORING)
        breaker.record_success(video.provider)
        handle.seek(0)
        if not looks_like_mp4(handle.read(12)):
            return fail(
                video,
                "not_mp4",
                _("The provider sent a file that is not an MP4 video."),
                spend=budget.WRITTEN_OFF,
                expect=STORING,
            )
        inspection = trust.inspect_download(video, handle)
        saved = inspection.signed or handle
        try:
            saved.seek(0, 2)
            saved_bytes = saved.tell()
            saved.seek(0)
            video.video_file.save(f"{video.pk}.mp4", File(saved), save=False)
            poster_name = _store_poster(video, provider)
        except Exception as exc:  # the media store is down or refused the write; the provider still has the file
            return _storage_failed(video, exc)
        finally:
            if inspection.signed is not None:
                inspection.signed.close()
    status = VideoStatus.HELD if inspection.hold_reason else VideoStatus.READY
    # What the provider charged when it says (Runway's credits), else the estimate reserved for it.
    actual = video.actual_cost if video.actual_cost is not None else (video.estimated_cost or Decimal("0"))
    with transaction.atomic():
        done = update_row(
            video,
            expect=STORING,
            status=status,
            video_file=video.video_file.name,
            video_bytes=saved_bytes,
            fidelity=inspection.fidelity,
            provenance=inspection.provenance,
            hold_reason=inspection.hold_reason,
            fix_prompt=inspection.fix_prompt,
            poster=poster_name,
            actual_cost=actual,
            progress=100,
            completed_at=timezone.now(),
            next_check_at=None,
            error_code="",
            error_message="",
        )
        if not done:
            # Someone canceled it meanwhile, or another worker stored it first: keep one file.
            video.video_file.storage.delete(video.video_file.name)
            return Step(ProductVideo.objects.get(pk=video.pk).status)
        budget.settle(video, actual)
        if status == VideoStatus.READY:
            transaction.on_commit(lambda: _send_ready(video), robust=True)
        else:
            logger.warning("Video %s is held for review: %s", video.pk, inspection.hold_reason)
            transaction.on_commit(lambda: _send_held(video), robust=True)
    return Step(status)


def _storage_failed(video: ProductVideo, exc: Exception) -> Step:
    """Wait and try again while the provider's link lives: nothing is paid again, and an expired link ends
    the video with its own sentence. A half-saved video file is removed, so no orphan stays in the store."""
    logger.warning("Video %s could not be saved to storage: %s", video.pk, exc, exc_info=True)
    if video.video_file.name:
        try:
            video.video_file.storage.delete(video.video_file.name)
        except Exception:  # the store is down: the name is unique, so a leftover never shadows another file
            logger.info("Could not remove the partly saved file %s", video.video_file.name)
    video.video_file.name = ProductVideo.objects.filter(pk=video.pk).values_list("video_file", flat=True).get()
    message = _("The media storage did not take the video (%(error)s); it is downloaded again and saved later.") % {
        "error": str(exc)[:200] or type(exc).__name__
    }
    return breaker.back_off(video, StorageUnavailable(message), expect=STORING)


def _send_ready(video: ProductVideo) -> None:
    from sora_products.signals import video_ready

    video_ready.send(sender=ProductVideo, video=video)


def _send_held(video: ProductVideo) -> None:
    from sora_products.signals import video_held

    video_held.send(sender=ProductVideo, video=video)


def _store_poster(video: ProductVideo, provider) -> str:
    """The provider's thumbnail as poster; without one (Runway keeps none), a copy of the reference image.

    The reference became the first frame, so it is what the clip opens on.
    """
    with tempfile.TemporaryFile() as handle:
        try:
            result = provider.download(video.remote_id, handle, variant="thumbnail", max_bytes=10 * 1024 * 1024)
        except ProviderError as exc:
            logger.info("No thumbnail for video %s: %s", video.pk, exc)
            return video.poster.name or _reference_as_poster(video)
        extension = "webp" if (result.content_type or "").endswith("webp") else "jpg"
        handle.seek(0)
        video.poster.save(f"{video.pk}.{extension}", File(handle), save=False)
    return video.poster.name


def _reference_as_poster(video: ProductVideo) -> str:
    if not video.reference_image.name:
        return ""
    try:
        with video.reference_image.open("rb") as reference:
            extension = video.reference_image.name.rsplit(".", 1)[-1].lower()
            video.poster.save(f"{video.pk}.{extension}", File(reference), save=False)
    except OSError as exc:
        logger.info("The reference of video %s could not be copied as its poster: %s", video.pk, exc)
        return ""
    return video.poster.name
