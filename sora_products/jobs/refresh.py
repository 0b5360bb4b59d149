"""Refreshing: ask the provider how a job is doing and apply it monotonically."""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from sora_products import budget
from sora_products.conf import app_settings
from sora_products.jobs import breaker
from sora_products.jobs.providers import get_provider, refused_message, try_delete_remote
from sora_products.jobs.transitions import Step, fail, later, update_row
from sora_products.models import ProductVideo, VideoStatus
from sora_products.providers import JobStatus, NotFound, ProviderError, RateLimited, RemoteJob, TransientError

logger = logging.getLogger(__name__)

RUNNING = [VideoStatus.QUEUED, VideoStatus.IN_PROGRESS]


def poll_interval(video: ProductVideo, job: RemoteJob | None = None, *, watched: bool = True) -> float:
    provider_options = app_settings.PROVIDERS.get(video.provider, {})
    interval = float(
        app_settings.WEBHOOK_POLL_INTERVAL if provider_options.get("WEBHOOKS") else app_settings.POLL_INTERVAL
    )
    if watched and video.watched_until and video.watched_until > timezone.now():
        # A shopper's page is waiting on it: ask sooner, still never sooner than the provider allows.
        interval = min(interval, float(app_settings.WATCHED_POLL_INTERVAL))
    if job is not None and job.poll_after_ms:
        interval = max(interval, job.poll_after_ms / 1000)
    return interval


def refresh(video: ProductVideo) -> Step:
    """Ask the provider how the job is doing and apply it."""
    if video.submit_started_at and timezone.now() - video.submit_started_at > datetime.timedelta(
        seconds=int(app_settings.MAX_RUN_SECONDS)
    ):
        try_delete_remote(video)
        return fail(
            video,
            "stuck",
            _("The provider did not finish the video within an hour; retry it."),
            spend=budget.RELEASED,
            expect=RUNNING,
        )
    until = breaker.blocked_until(video.provider)
    if until is not None:
        return breaker.wait_for_provider(video, until, expect=RUNNING)
    try:
        job = get_provider(video.provider).retrieve(video.remote_id)
    except NotFound:
        return fail(
            video,
            "not_found",
            _("The provider no longer knows this job; retry the video."),
            spend=budget.RELEASED,
            expect=RUNNING,
        )
    except TransientError as exc:
        return breaker.back_off(video, exc, expect=RUNNING)
    except RateLimited as exc:
        wait = exc.retry_after or poll_interval(video, watched=False)  # a provider asking us to slow down
        update_row(video, next_check_at=later(wait))
        return Step(video.status, check_in=wait)
    except ProviderError as exc:
        return fail(video, exc.code or "provider_error", str(exc), spend=budget.WRITTEN_OFF, expect=RUNNING)
    breaker.record_success(video.provider)
    return apply_remote(video, job)


def apply_remote(video: ProductVideo, job: RemoteJob) -> Step:
    """Apply a provider job state monotonically: progress only rises, finished stays finished."""
    from sora_products.jobs import store

    if job.status == JobStatus.COMPLETED:
        expires = _from_unix(job.expires_at)
        if expires and expires < timezone.now():
            return fail(
                video,
                "expired",
                _("The provider's copy of the video expired before it was saved."),
                spend=budget.WRITTEN_OFF,
                expect=RUNNING,
            )
        charged = {"actual_cost": job.cost} if job.cost is not None else {}
        if update_row(
            video, expect=RUNNING, status=VideoStatus.STORING, progress=100, expires_at=expires, waits=0, **charged
        ):
            return store.store(video)
        return Step(video.status)
    if job.status == JobStatus.FAILED:
        message = (
            refused_message(ProviderError(job.error_message or ""))
            if job.is_refused
            else (job.error_message or _("The provider could not make this video."))
        )
        return fail(video, job.error_code or "generation_failed", message, spend=budget.WRITTEN_OFF, expect=RUNNING)
    if job.estimated_cost is not None and job.estimated_cost != video.estimated_cost:
        over = _take_estimate(video, job.estimated_cost)
        if over is not None:
            return over
    started = job.status == JobStatus.IN_PROGRESS or video.status == VideoStatus.IN_PROGRESS
    status = VideoStatus.IN_PROGRESS if started else VideoStatus.QUEUED
    wait = poll_interval(video, job)
    update_row(
        video,
        expect=RUNNING if started else [VideoStatus.QUEUED],
        status=status,
        progress=max(video.progress, min(int(job.progress or 0), 99)),
        next_check_at=later(wait),
        waits=0,
        error_code="",
        error_message="",
    )
    return Step(status, check_in=wait)


def _take_estimate(video: ProductVideo, estimate) -> Step | None:
    """The provider says what the job will cost (Runway's estimatedCost): reserve that, within the caps.

    When the caps cannot hold it, the job is canceled before it is made (Runway refunds canceled tasks)
    and the video ends with the reason; None when the estimate is now what is reserved.
    """
    if budget.adjust(video, estimate):
        update_row(video, expect=RUNNING, estimated_cost=estimate)
        return None
    logger.warning("Video %s: the provider estimates %s, more than the budget allows; canceling it", video.pk, estimate)
    try_delete_remote(video)
    message = _(
        "The provider estimates %(estimate)s for this video, more than the budget left allows, so it was canceled "
        "before it was made. Raise the budget or choose a cheaper model, then retry it."
    ) % {"estimate": f"${estimate}"}
    return fail(video, "over_budget", message, spend=budget.RELEASED, expect=RUNNING)


def _from_unix(value: int | None) -> datetime.datetime | None:
    return datetime.datetime.fromtimestamp(value, tz=datetime.UTC) if value else None
