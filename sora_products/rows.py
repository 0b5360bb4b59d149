"""Shared row mechanics of the state machine: conditional updates, failing, scheduling the next look."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sora_products import budget
from sora_products.conf import app_settings
from sora_products.models import ACTIVE_STATUSES, ProductVideo, VideoStatus
from sora_products.providers import ProviderError, RemoteJob
from sora_products.video_providers import get_provider

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Step:
    """What a step left behind: the row's status and, while it runs, when to look again."""

    status: str
    check_in: float | None = None


def poll_interval(video: ProductVideo, job: RemoteJob | None = None) -> float:
    provider_options = app_settings.PROVIDERS.get(video.provider, {})
    interval = float(
        app_settings.WEBHOOK_POLL_INTERVAL if provider_options.get("WEBHOOKS") else app_settings.POLL_INTERVAL
    )
    if job is not None and job.poll_after_ms:
        interval = max(interval, job.poll_after_ms / 1000)
    return interval


def update_row(video: ProductVideo, *, expect: list[str] | None = None, **fields: object) -> bool:
    """Conditional update: only from the expected statuses, so a late or duplicate step is a no-op."""
    fields.setdefault("updated_at", timezone.now())
    qs = ProductVideo.objects.filter(pk=video.pk)
    if expect is not None:
        qs = qs.filter(status__in=expect)
    changed = qs.update(**fields)
    if changed:
        for name, value in fields.items():
            setattr(video, name, value)
    return bool(changed)


def fail(video: ProductVideo, code: str, message: str, *, expect: list[str] | None = None) -> Step:
    """End a video without a file, with a reason a person can act on, closing what it reserved."""
    from sora_products.signals import video_failed

    submitted = bool(video.remote_id) or video.status == VideoStatus.SUBMITTING
    ended = update_row(
        video,
        expect=expect if expect is not None else list(ACTIVE_STATUSES),
        status=VideoStatus.FAILED,
        error_code=code[:100],
        error_message=message,
        next_check_at=None,
        completed_at=timezone.now(),
    )
    if ended:
        # Steps that know better (a refusal, a job the provider lost) closed the reservation already.
        budget.close_reservation(video, accepted=submitted)
        transaction.on_commit(lambda: video_failed.send(sender=ProductVideo, video=video), robust=True)
    return Step(VideoStatus.FAILED)


def later(seconds: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=seconds)


def try_delete_remote(video: ProductVideo) -> None:
    try:
        get_provider(video.provider).delete(video.remote_id)
    except ProviderError:
        logger.info("Provider kept job %s of canceled video %s", video.remote_id, video.pk)


def refused_message(exc: ProviderError) -> str:
    return _(
        "The provider refused this video (%(reason)s). Photos with faces, real people or brand logos are "
        "often refused; try another photo or change the product text."
    ) % {"reason": str(exc)}
