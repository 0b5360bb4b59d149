"""Submitting: prepare the reference, reserve budget, claim an attempt, then call create exactly once.

The claim (and the reservation) commit before the call and the remote id commits right after
it; an ambiguous answer leaves the row ``submitting`` for ``reconcile``, never for a resend.
"""

from __future__ import annotations

import logging

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sora_products import budget
from sora_products.conf import app_settings
from sora_products.jobs import breaker, limits, route
from sora_products.jobs.providers import get_provider, refused_message, try_delete_remote
from sora_products.jobs.refresh import apply_remote, poll_interval
from sora_products.jobs.transitions import Step, fail, later, update_row
from sora_products.models import UNSENT_STATUSES, ProductVideo, VideoStatus
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
from sora_products.public_urls import public_file_url
from sora_products.storage import StorageUnavailable

logger = logging.getLogger(__name__)

UNSENT = list(UNSENT_STATUSES)
CLAIMED = [VideoStatus.SUBMITTING]


def create_request(video: ProductVideo, reference: ReferenceUpload | None = None) -> CreateRequest:
    """What the create (or remix) of ``video`` sends, and so what reconcile looks for: one definition for both."""
    prompt = video.remix_prompt if video.remixed_from_id else video.prompt
    return CreateRequest(prompt=prompt, model=video.model, size=video.size, seconds=video.seconds, reference=reference)


def submit(video: ProductVideo) -> Step:
    """Prepare the reference, reserve budget, claim an attempt, then call create exactly once."""
    from sora_products.jobs.reference import PreparationFailed, ensure_reference

    if video.attempts >= int(app_settings.MAX_ATTEMPTS):
        return fail(
            video,
            "too_many_attempts",
            _("The video was tried %(count)d times without an answer from the provider; retry it by hand.")
            % {"count": video.attempts},
            spend=budget.RELEASED,
            expect=UNSENT,
        )
    if not route.first_that_offers(video):
        return fail(
            video,
            "not_offered",
            _("No provider of the “%(preset)s” preset makes %(size)s videos of %(seconds)d seconds.")
            % {"preset": video.preset, "size": video.size, "seconds": video.seconds},
            spend=budget.RELEASED,
            expect=UNSENT,
        )
    until = breaker.blocked_until(video.provider)
    if until is not None:
        if route.fall_back(video, _("it is unreachable.")):
            return submit(video)
        return breaker.wait_for_provider(video, until, expect=UNSENT)
    try:
        reference = ensure_reference(video) if not video.remixed_from_id else None
    except PreparationFailed as exc:
        return fail(video, exc.code, str(exc), spend=budget.RELEASED, expect=UNSENT)
    except StorageUnavailable as exc:
        return breaker.back_off(video, exc, expect=UNSENT)
    try:
        with transaction.atomic():
            # The ledger lock serialises every claim, so caps and rate limits can't be raced.
            budget.reserve(video, video.estimated_cost)
            limits.check_submit(video.provider)
            claimed = update_row(
                video,
                expect=UNSENT,
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
            expect=UNSENT,
            status=VideoStatus.BLOCKED,
            error_code=f"budget_{exc.cap}",
            error_message=str(exc),
            next_check_at=later(60),
        )
        return Step(VideoStatus.BLOCKED)
    except limits.SubmitDeferred as exc:
        paused = exc.code == "provider_paused"
        waiting = paused or exc.code == breaker.UNREACHABLE  # woken by a person or by the probe, not slept
        if waiting and route.fall_back(video, str(exc)):
            return submit(video)
        update_row(
            video,
            expect=UNSENT,
            status=VideoStatus.BLOCKED if paused else VideoStatus.REQUESTED,
            error_code=exc.code,
            error_message=str(exc),
            next_check_at=later(exc.wait),
        )
        return Step(video.status, check_in=None if waiting else exc.wait)
    video.refresh_from_db()
    return _send_create(video, reference)


def claim_of(video: ProductVideo) -> dict:
    """The claim an answer belongs to: a late answer of an earlier attempt must not touch a newer one."""
    return {"submit_started_at": video.submit_started_at}


def _send_create(video: ProductVideo, reference: ReferenceUpload | None) -> Step:
    provider = get_provider(video.provider)
    claim = claim_of(video)
    try:
        if video.remixed_from_id:
            source = video.remixed_from
            job = provider.remix(source.remote_id, video.remix_prompt, source_url=public_file_url(source.video_file))
        else:
            job = provider.create(create_request(video, reference))
    except OutcomeUnknown as exc:
        # It may have arrived: reconcile later (with back-off), never send it again before the grace.
        logger.warning("Create for video %s may have reached the provider: %s", video.pk, exc)
        if not provider.capabilities().list_jobs:
            return _lost_for_good(video, exc, claim)
        breaker.record_failure(video.provider, exc)
        next_check_at, waits = breaker.backoff(video.waits)
        update_row(
            video,
            expect=CLAIMED,
            where=claim,
            error_code="outcome_unknown",
            error_message=str(exc),
            next_check_at=next_check_at,
            waits=waits,
        )
        return Step(VideoStatus.SUBMITTING)
    except (TransientError, RateLimited) as exc:
        return _not_accepted(video, exc)
    except ModerationRefused as exc:
        breaker.record_success(video.provider)
        code = exc.code or "moderation_blocked"
        return fail(video, code, refused_message(exc), spend=budget.RELEASED, expect=CLAIMED, where=claim)
    except (InvalidRequest, AuthError, NotFound, ProviderError) as exc:
        code = exc.code or type(exc).__name__.lower()
        return fail(video, code, str(exc), spend=budget.RELEASED, expect=CLAIMED, where=claim)
    breaker.record_success(video.provider)
    return adopt(video, job)


def _lost_for_good(video: ProductVideo, exc: OutcomeUnknown, claim: dict) -> Step:
    """A create that may have arrived where it can't be looked for: a person decides, and the provider rests.

    Sending it again could pay twice; the breaker opens at once so the videos behind this one wait for
    the provider's next answer instead of meeting the same failure.
    """
    from sora_products.jobs.reconcile import park

    breaker.record_failure(video.provider, exc, at_once=True)
    reason = _(
        "The provider may have received this video's request but did not answer it (%(error)s), and it keeps no "
        "list in which to look the job up, so whether it was made and paid for is unknown."
    ) % {"error": exc.message or type(exc).__name__}
    return park(video, reason, where=claim)


def _not_accepted(video: ProductVideo, exc: TransientError | RateLimited) -> Step:
    """The provider did not take the job: give the attempt and the money back and wait.

    A quota or spend-limit answer pauses every submission to that provider until a person acts;
    a call that never reached it counts towards marking the provider unreachable.
    """
    quota = isinstance(exc, RateLimited) and exc.quota
    message = str(exc)
    if isinstance(exc, TransientError):
        breaker.record_failure(video.provider, exc)
    next_check_at, waits = breaker.backoff(video.waits)
    check_in = None
    if isinstance(exc, RateLimited) and exc.retry_after and not quota:
        # The provider said how long; a short wait is kept in the worker, like any short poll.
        next_check_at, check_in = later(exc.retry_after), exc.retry_after
    if quota:
        message = _(
            "The provider says the account's quota or spend limit is reached (%(reason)s). Submissions are paused "
            "for an hour; raise the limit with the provider, then resume the provider in the admin."
        ) % {"reason": exc.message or exc.code or "429"}
        next_check_at, check_in = later(3600), None
    with transaction.atomic():
        if quota:
            limits.pause_provider(video.provider, message)
        given_back = update_row(
            video,
            expect=CLAIMED,
            where=claim_of(video),
            status=VideoStatus.BLOCKED if quota else VideoStatus.REQUESTED,
            attempts=models.F("attempts") - 1,
            error_code=(exc.code or "provider_unavailable")[:100],
            error_message=message,
            next_check_at=next_check_at,
            waits=waits,
        )
        if given_back:  # only this attempt's reservation: a newer claim keeps its own
            budget.release(video)
    logger.warning("Provider %s did not accept video %s: %s", video.provider, video.pk, exc)
    if quota and given_back and route.fall_back(video, _("its account is out of quota or over its spend limit.")):
        video.refresh_from_db()
        return submit(video)
    return Step(VideoStatus.BLOCKED if quota else VideoStatus.REQUESTED, check_in=check_in)


def adopt(video: ProductVideo, job: RemoteJob) -> Step:
    """Record the provider's job id at once; the one thing that must never be lost."""
    adopted = update_row(
        video,
        expect=CLAIMED,
        where=claim_of(video),
        remote_id=job.id,
        status=VideoStatus.QUEUED,
        error_code="",
        error_message="",
        waits=0,
        next_check_at=later(poll_interval(video, job)),
    )
    if not adopted:
        # The claim this job answers was canceled (or replaced by a newer one): the job is not ours to keep.
        logger.warning("Video %s no longer waits for job %s; asking the provider to drop it", video.pk, job.id)
        try_delete_remote(video, job.id)  # written off when the video was canceled
        return Step(ProductVideo.objects.get(pk=video.pk).status)
    return apply_remote(video, job)
