"""What a person does to one video: cancel, retry, approve. Each is one allowed transition."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sora_products import budget
from sora_products.jobs.providers import try_delete_remote
from sora_products.jobs.transitions import update_row
from sora_products.models import ACTIVE_STATUSES, ProductVideo, ReviewState, VideoStatus
from sora_products.queues import enqueue_video

RETRYABLE = [VideoStatus.FAILED, VideoStatus.CANCELED, VideoStatus.NEEDS_REVIEW]
NOT_RETRYABLE = _("Only videos that failed, were canceled or need a person can be retried.")
NOT_CANCELABLE = _("Only videos still being made or waiting for a person can be canceled.")


def cancel(video: ProductVideo) -> bool:
    """Stop caring about a video: results that arrive later are ignored; unspent budget is released.

    A job the provider may already have accepted (or a create parked as unknown) is written off: it
    may be billed even if it is deleted.
    """
    with transaction.atomic():
        video.refresh_from_db(fields=["status", "remote_id"])
        outcome = budget.outcome_for(video)
        changed = update_row(
            video, expect=[*ACTIVE_STATUSES, VideoStatus.NEEDS_REVIEW], status=VideoStatus.CANCELED, next_check_at=None
        )
        if changed:
            budget.close(video, outcome)
    if changed and video.remote_id:
        try_delete_remote(video)
    return changed


def retry(video: ProductVideo) -> bool:
    """A person asks again for a video that ended without one: a fresh job, a fresh attempt count.

    A parked create's reservation is written off first: the person chose to risk paying twice.
    """
    with transaction.atomic():
        video.refresh_from_db(fields=["status", "remote_id"])
        outcome = budget.outcome_for(video)
        changed = update_row(
            video,
            expect=RETRYABLE,
            status=VideoStatus.REQUESTED,
            remote_id=None,
            attempts=0,
            waits=0,
            progress=0,
            error_code="",
            error_message="",
            submit_started_at=None,
            next_check_at=timezone.now(),
        )
        if changed:
            budget.close(video, outcome)
            transaction.on_commit(partial(enqueue_video, video.pk), robust=True)
    return changed


def approve(video: ProductVideo, *, approved: bool = True) -> None:
    """A person's verdict; approving a video held for drifted colour also shows it (the person looked)."""
    video.review_state = ReviewState.APPROVED if approved else ReviewState.REJECTED
    video.reviewed_at = timezone.now()
    if approved and video.status == VideoStatus.HELD:
        with transaction.atomic():
            if update_row(
                video, expect=[VideoStatus.HELD], status=VideoStatus.READY, review_state=video.review_state,
                reviewed_at=video.reviewed_at,
            ):
                from sora_products.signals import video_ready

                transaction.on_commit(lambda: video_ready.send(sender=ProductVideo, video=video), robust=True)
                return
    video.save(update_fields=["review_state", "reviewed_at", "updated_at"])
