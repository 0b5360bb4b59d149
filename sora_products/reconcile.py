"""Resolving a create whose outcome is unknown: adopt the provider's job, resubmit, or park it.

A worker that died mid-create, or a lost response, leaves a row in ``submitting``. Resending
blindly could pay twice, so the provider's list of recent jobs is searched for one matching
this row's prompt, model, size and seconds since the claim.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sora_products import budget
from sora_products.conf import app_settings
from sora_products.models import ProductVideo, VideoStatus
from sora_products.providers import CreateRequest, ProviderError
from sora_products.rows import Step, later, update_row
from sora_products.submitting import adopt
from sora_products.video_providers import get_provider


def _request(video: ProductVideo) -> CreateRequest:
    prompt = video.remix_prompt if video.remixed_from_id else video.prompt
    return CreateRequest(prompt=prompt, model=video.model, size=video.size, seconds=video.seconds)


def _taken_ids(candidates: list[str]) -> set[str]:
    return set(ProductVideo.objects.filter(remote_id__in=candidates).values_list("remote_id", flat=True))


def reconcile(video: ProductVideo) -> Step:
    """Drive a claimed row whose create may or may not have reached the provider."""
    provider = get_provider(video.provider)
    started = video.submit_started_at or video.updated_at
    age = (timezone.now() - started).total_seconds()
    if not provider.capabilities().list_jobs:
        return park(video, _("The provider cannot list its jobs, so whether this video was created is unknown."))
    try:
        matches = provider.find_created(_request(video), since=int(started.timestamp()))
    except ProviderError as exc:
        update_row(video, next_check_at=later(30), error_message=str(exc))
        return Step(VideoStatus.SUBMITTING, check_in=30)
    free = [job for job in matches if job.id not in _taken_ids([j.id for j in matches])]
    if free:
        # The oldest match is ours; later ones (if any) were made by someone else's identical ask.
        return adopt(video, sorted(free, key=lambda job: job.created_at or 0)[0])
    grace = float(app_settings.RECONCILE_GRACE_SECONDS)
    if age < grace:
        wait = min(max(grace - age, 1.0), 30.0)
        update_row(video, next_check_at=later(wait))
        return Step(VideoStatus.SUBMITTING, check_in=wait)
    # Nothing arrived within the grace period: the create never happened, so try again.
    with transaction.atomic():
        budget.release(video)
        update_row(
            video,
            expect=[VideoStatus.SUBMITTING],
            status=VideoStatus.REQUESTED,
            error_code="",
            error_message="",
            next_check_at=timezone.now(),
        )
    return Step(VideoStatus.REQUESTED, check_in=0)


def park(video: ProductVideo, reason: str) -> Step:
    """Leave the decision to a person rather than risk paying twice."""
    update_row(
        video,
        expect=[VideoStatus.SUBMITTING],
        status=VideoStatus.NEEDS_REVIEW,
        error_code="outcome_unknown",
        error_message=_("%(reason)s Check the provider's dashboard, then retry or cancel the video.")
        % {"reason": reason},
        next_check_at=None,
    )
    return Step(VideoStatus.NEEDS_REVIEW)
