"""Submitting: prepare the reference, reserve budget, claim an attempt, then call create exactly once.

The claim (and the reservation) commit before the call and the remote id commits right after
it; an ambiguous answer leaves the row ``submitting`` for ``reconcile``, never for a resend.
"""

from __future__ import annotations

import logging

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sora_products import budget, limits
from sora_products.conf import app_settings
from sora_products.models import ProductVideo, VideoStatus
from sora_products.providers import (
    AuthError,
    CreateRequest,
    InvalidRequest,
    ModerationRefused,
    NotFound,
    OutcomeUnknown,
    ProviderError,
    RateLimited,
    ReferenceUpload,
    RemoteJob,
    TransientError,
)
from sora_products.refreshing import apply_remote
from sora_products.rows import Step, fail, later, poll_interval, refused_message, update_row
from sora_products.video_providers import get_provider

logger = logging.getLogger(__name__)


def submit(video: ProductVideo) -> Step:
    """Prepare the reference, reserve budget, claim an attempt, then call create exactly once."""
    from sora_products.preparation import PreparationFailed, ensure_reference

    if video.attempts >= int(app_settings.MAX_ATTEMPTS):
        return fail(
            video,
            "too_many_attempts",
            _("The video was tried %(count)d times without an answer from the provider; retry it by hand.")
            % {"count": video.attempts},
        )
    try:
        reference = ensure_reference(video) if not video.remixed_from_id else None
    except PreparationFailed as exc:
        return fail(video, exc.code, str(exc))
    try:
        with transaction.atomic():
            # The ledger lock serialises every claim, so caps and rate limits can't be raced.
            budget.reserve(video, video.estimated_cost)
            limits.check_submit(video.provider)
            claimed = update_row(
                video,
                expect=[VideoStatus.REQUESTED, VideoStatus.BLOCKED],
                status=VideoStatus.SUBMITTING,
                attempts=models.F("attempts") + 1,
                submit_started_at=timezone.now(),
                error_code="",
                error_message="",
            )
            if not claimed:
                transaction.set_rollback(True)
                return Step("not_claimed")
    except budget.BudgetExceeded as exc:
        update_row(
            video,
            expect=[VideoStatus.REQUESTED, VideoStatus.BLOCKED],
            status=VideoStatus.BLOCKED,
            error_code=f"budget_{exc.cap}",
            error_message=str(exc),
            next_check_at=later(60),
        )
        return Step(VideoStatus.BLOCKED, check_in=None)
    except limits.SubmitDeferred as exc:
        paused = exc.code == "provider_paused"
        update_row(
            video,
            expect=[VideoStatus.REQUESTED, VideoStatus.BLOCKED],
            status=VideoStatus.BLOCKED if paused else VideoStatus.REQUESTED,
            error_code=exc.code,
            error_message=str(exc),
            next_check_at=later(exc.wait),
        )
        return Step(video.status, check_in=None if paused else exc.wait)
    video.refresh_from_db()
    return _send_create(video, reference)


def _create_request(video: ProductVideo, reference: ReferenceUpload | None) -> CreateRequest:
    return CreateRequest(
        prompt=video.prompt, model=video.model, size=video.size, seconds=video.seconds, reference=reference
    )


def _send_create(video: ProductVideo, reference: ReferenceUpload | None) -> Step:
    provider = get_provider(video.provider)
    try:
        if video.remixed_from_id:
            job = provider.remix(video.remixed_from.remote_id, video.remix_prompt)
        else:
            job = provider.create(_create_request(video, reference))
    except OutcomeUnknown as exc:
        logger.warning("Create for video %s may have reached the provider: %s", video.pk, exc)
        update_row(video, error_code="outcome_unknown", error_message=str(exc), next_check_at=later(5))
        return Step(VideoStatus.SUBMITTING, check_in=5)
    except (TransientError, RateLimited) as exc:
        return _not_accepted(video, exc)
    except ModerationRefused as exc:
        _release_and(video)
        return fail(video, exc.code or "moderation_blocked", refused_message(exc))
    except (InvalidRequest, AuthError, NotFound, ProviderError) as exc:
        _release_and(video)
        return fail(video, exc.code or type(exc).__name__.lower(), str(exc))
    return adopt(video, job)


def _release_and(video: ProductVideo) -> None:
    with transaction.atomic():
        budget.release(video)


def _not_accepted(video: ProductVideo, exc: TransientError | RateLimited) -> Step:
    """The provider did not take the job: give the attempt and the money back and wait.

    A quota or spend-limit answer pauses every submission to that provider until a person acts.
    """
    wait = getattr(exc, "retry_after", None) or 30.0
    quota = isinstance(exc, RateLimited) and exc.quota
    message = str(exc)
    if quota:
        message = _(
            "The provider says the account's quota or spend limit is reached (%(reason)s). Submissions are paused "
            "for an hour; raise the limit with the provider, then retry."
        ) % {"reason": exc.message or exc.code or "429"}
    with transaction.atomic():
        budget.release(video)
        if quota:
            limits.pause_provider(video.provider, message)
        update_row(
            video,
            expect=[VideoStatus.SUBMITTING],
            status=VideoStatus.BLOCKED if quota else VideoStatus.REQUESTED,
            attempts=models.F("attempts") - 1,
            error_code=(exc.code or "provider_unavailable")[:100],
            error_message=message,
            next_check_at=later(3600 if quota else wait),
        )
    logger.warning("Provider %s did not accept video %s: %s", video.provider, video.pk, exc)
    return Step(VideoStatus.BLOCKED if quota else VideoStatus.REQUESTED, check_in=None if quota else wait)


def adopt(video: ProductVideo, job: RemoteJob) -> Step:
    """Record the provider's job id at once; the one thing that must never be lost."""
    update_row(
        video,
        expect=[VideoStatus.SUBMITTING],
        remote_id=job.id,
        status=VideoStatus.QUEUED,
        error_code="",
        error_message="",
        next_check_at=later(poll_interval(video, job)),
    )
    return apply_remote(video, job)
