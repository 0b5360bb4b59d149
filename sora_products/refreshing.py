"""Refreshing: ask the provider how a job is doing and apply it monotonically."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sora_products import budget
from sora_products.conf import app_settings
from sora_products.models import ProductVideo, VideoStatus
from sora_products.providers import JobStatus, NotFound, ProviderError, RateLimited, RemoteJob, TransientError
from sora_products.rows import Step, fail, later, poll_interval, refused_message, try_delete_remote, update_row
from sora_products.video_providers import get_provider


def refresh(video: ProductVideo) -> Step:
    """Ask the provider how the job is doing and apply it."""
    if video.submit_started_at and timezone.now() - video.submit_started_at > datetime.timedelta(
        seconds=int(app_settings.MAX_RUN_SECONDS)
    ):
        try_delete_remote(video)
        with transaction.atomic():
            budget.release(video)
            return fail(video, "stuck", _("The provider did not finish the video within an hour; retry it."))
    try:
        job = get_provider(video.provider).retrieve(video.remote_id)
    except NotFound:
        with transaction.atomic():
            budget.release(video)
            return fail(video, "not_found", _("The provider no longer knows this job; retry the video."))
    except (TransientError, RateLimited) as exc:
        wait = getattr(exc, "retry_after", None) or poll_interval(video)
        update_row(video, next_check_at=later(wait))
        return Step(video.status, check_in=wait)
    except ProviderError as exc:
        return fail(video, exc.code or "provider_error", str(exc))
    return apply_remote(video, job)


def apply_remote(video: ProductVideo, job: RemoteJob) -> Step:
    """Apply a provider job state monotonically: progress only rises, finished stays finished."""
    from sora_products import storing

    running = [VideoStatus.QUEUED, VideoStatus.IN_PROGRESS]
    if job.status == JobStatus.COMPLETED:
        expires = _from_unix(job.expires_at)
        if expires and expires < timezone.now():
            with transaction.atomic():
                budget.write_off(video)
                return fail(video, "expired", _("The provider's copy of the video expired before it was saved."))
        if update_row(video, expect=running, status=VideoStatus.STORING, progress=100, expires_at=expires):
            return storing.store(video)
        return Step(video.status)
    if job.status == JobStatus.FAILED:
        with transaction.atomic():
            budget.write_off(video)
            refused = job.is_refused
            message = (
                refused_message(ProviderError(job.error_message or ""))
                if refused
                else (job.error_message or _("The provider could not make this video."))
            )
            return fail(video, job.error_code or "generation_failed", message, expect=running)
    status = VideoStatus.IN_PROGRESS if job.status == JobStatus.IN_PROGRESS else VideoStatus.QUEUED
    wait = poll_interval(video, job)
    update_row(
        video,
        expect=running,
        status=status,
        progress=max(video.progress, min(int(job.progress or 0), 99)),
        next_check_at=later(wait),
    )
    return Step(status, check_in=wait)


def _from_unix(value: int | None) -> datetime.datetime | None:
    return datetime.datetime.fromtimestamp(value, tz=datetime.UTC) if value else None
