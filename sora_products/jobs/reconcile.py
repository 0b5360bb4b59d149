"""Resolving a create whose outcome is unknown: adopt the provider's job, resubmit, or park it.

A worker that died mid-create, or a lost response, leaves a row in ``submitting``. Resending
blindly could pay twice, so the provider's list of recent jobs is searched for one matching
what this row sent (``submit.create_request``, the same definition the create used) since the claim.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sora_products import budget
from sora_products.conf import app_settings
from sora_products.jobs import breaker
from sora_products.jobs.providers import get_provider
from sora_products.jobs.submit import CLAIMED, adopt, create_request
from sora_products.jobs.transitions import Step, update_row
from sora_products.models import ProductVideo, VideoStatus
from sora_products.providers import ProviderError


def _taken_ids(candidates: list[str]) -> set[str]:
    return set(ProductVideo.objects.filter(remote_id__in=candidates).values_list("remote_id", flat=True))


def reconcile(video: ProductVideo) -> Step:
    """Drive a claimed row whose create may or may not have reached the provider."""
    provider = get_provider(video.provider)
    started = video.submit_started_at or video.updated_at
    if not provider.capabilities().list_jobs:
        return park(video, _("The provider cannot list its jobs, so whether this video was created is unknown."))
    until = breaker.blocked_until(video.provider)
    if until is not None:
        return breaker.wait_for_provider(video, until, expect=CLAIMED)
    try:
        matches = provider.find_created(create_request(video), since=int(started.timestamp()))
    except ProviderError as exc:
        return breaker.back_off(video, exc, expect=CLAIMED)
    breaker.record_success(video.provider)
    free = [job for job in matches if job.id not in _taken_ids([j.id for j in matches])]
    if free:
        # The oldest match is ours; later ones (if any) were made by someone else's identical ask.
        return adopt(video, sorted(free, key=lambda job: job.created_at or 0)[0])
    grace = float(app_settings.RECONCILE_GRACE_SECONDS)
    age = (timezone.now() - started).total_seconds()
    if age < grace:
        # Look again as the back-off says, but never later than the end of the grace.
        next_check_at, waits = breaker.backoff(video.waits)
        end_of_grace = started + datetime.timedelta(seconds=grace)
        update_row(video, expect=CLAIMED, next_check_at=min(next_check_at, end_of_grace), waits=waits)
        return Step(VideoStatus.SUBMITTING)
    # Nothing arrived within the grace period: the create never happened, so try again.
    with transaction.atomic():
        budget.release(video)
        update_row(
            video,
            expect=CLAIMED,
            status=VideoStatus.REQUESTED,
            error_code="",
            error_message="",
            waits=0,
            next_check_at=timezone.now(),
        )
    return Step(VideoStatus.REQUESTED, check_in=0)


def park(video: ProductVideo, reason: str, *, where: dict | None = None) -> Step:
    """Leave the decision to a person rather than risk paying twice."""
    update_row(
        video,
        expect=CLAIMED,
        where=where,
        status=VideoStatus.NEEDS_REVIEW,
        error_code="outcome_unknown",
        error_message=_("%(reason)s Check the provider's dashboard, then retry or cancel the video.")
        % {"reason": reason},
        next_check_at=None,
    )
    return Step(VideoStatus.NEEDS_REVIEW)
