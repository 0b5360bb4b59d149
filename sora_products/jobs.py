"""The state machine of a ProductVideo: request, submit, refresh, remix, cancel, retry.

The database row is the source of truth and every step starts from it, so running a step
twice, late or concurrently is harmless. A paid create is sent at most once per claimed
attempt: the claim (and the budget reservation) commit before the call, the remote id commits
right after it, and a claim whose outcome is unknown is reconciled, never blindly resent.
Storing results lives in ``storing``; reconciling unknown creates in ``reconcile``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sora_products import budget
from sora_products.catalog import ProductAdapter, get_adapter
from sora_products.conf import app_settings
from sora_products.models import ACTIVE_STATUSES, Origin, ProductVideo, ReviewState, VideoStatus
from sora_products.queue import enqueue_video
from sora_products.refreshing import refresh
from sora_products.rows import Step, fail, later, try_delete_remote
from sora_products.specs import TryOnProfile, VideoSpec, auto_presets, build_spec
from sora_products.submitting import submit

__all__ = [
    "Step",
    "approve",
    "cancel",
    "fail",
    "inputs_key",
    "process",
    "product_changed",
    "remix",
    "request_video",
    "retry",
    "sync",
]

logger = logging.getLogger(__name__)


def inputs_key(adapter: ProductAdapter, product: models.Model) -> str:
    """A hash of what a product contributes to any video: its photo identity and its text."""
    payload = {"source": adapter.get_source_key(product), "fields": adapter.get_prompt_fields(product)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def product_changed(product: models.Model, adapter: ProductAdapter | None = None) -> list[ProductVideo]:
    """Mark videos of older inputs outdated and ask for the auto presets of the current ones."""
    adapter = adapter or get_adapter(product)
    key = inputs_key(adapter, product)
    ProductVideo.objects.for_product(product).filter(outdated=False).exclude(inputs_key=key).update(outdated=True)
    if not app_settings.AUTO_GENERATE or adapter.get_source_image(product) is None:
        return []
    wanted = []
    for preset in auto_presets():
        try:
            wanted.append(request_video(product, preset, origin=Origin.AUTO, adapter=adapter, key=key)[0])
        except Exception:
            logger.exception("sora_products could not request the %s video of %r", preset, product)
    return wanted


def request_video(
    product: models.Model,
    preset: str,
    *,
    profile: TryOnProfile | None = None,
    origin: str = Origin.ADMIN,
    adapter: ProductAdapter | None = None,
    key: str | None = None,
) -> tuple[ProductVideo, bool]:
    """Get or create the row for this product and spec; a new row is enqueued on commit.

    Asking twice, or concurrently, returns the same row (unique constraint + get_or_create).
    Raises SpecError when the preset does not apply to the product.
    """
    adapter = adapter or get_adapter(product)
    spec = build_spec(product, adapter, preset, profile)
    content_type = ContentType.objects.get_for_model(product, for_concrete_model=True)
    return _get_or_create_video(
        content_type, str(product.pk), spec, origin=origin, key=key or inputs_key(adapter, product)
    )


def _get_or_create_video(
    content_type: ContentType, object_id: str, spec: VideoSpec, *, origin: str, key: str, **extra: object
) -> tuple[ProductVideo, bool]:
    video, created = ProductVideo.objects.get_or_create(
        content_type=content_type,
        object_id=object_id,
        spec_key=spec.spec_key,
        defaults={
            "preset": spec.preset,
            "provider": spec.provider,
            "model": spec.model,
            "size": spec.size,
            "seconds": spec.seconds,
            "prompt": spec.prompt,
            "profile": spec.profile,
            "source_key": spec.source_key,
            "inputs_key": key,
            "origin": origin,
            "estimated_cost": budget.estimate_spec(spec),
            "next_check_at": timezone.now(),
            **extra,
        },
    )
    if created:
        transaction.on_commit(partial(enqueue_video, video.pk), robust=True)
    return video, created


def remix(video: ProductVideo, change: str, *, origin: str = Origin.ADMIN) -> ProductVideo:
    """A new video made from a stored one with a change in plain words ("make the jacket navy")."""
    change = " ".join(str(change).split())[:1000]
    if not change:
        raise ValueError(_("Describe the change you want, for example “make the jacket navy blue”."))
    if video.status != VideoStatus.READY or not video.remote_id:
        raise ValueError(_("Only a finished video can be remixed."))
    spec = VideoSpec(
        preset=video.preset,
        provider=video.provider,
        model=video.model,
        size=video.size,
        seconds=video.seconds,
        prompt=change,
        source_key=f"remix:{video.spec_key}",
        profile=video.profile,
    )
    # Keyed to the same product id, so a remix survives even when the product row is gone.
    new, _created = _get_or_create_video(
        video.content_type,
        video.object_id,
        spec,
        origin=origin,
        key=video.inputs_key,
        remixed_from=video,
        remix_prompt=change,
        reference_image=video.reference_image.name,
        reference_hash=video.reference_hash,
        source_hash=video.source_hash,
    )
    return new


def cancel(video: ProductVideo) -> bool:
    """Stop caring about a video: results that arrive later are ignored; unspent budget is released.

    A job the provider may already have accepted is written off: it may be billed even if it is deleted.
    """
    with transaction.atomic():
        video.refresh_from_db(fields=["status", "remote_id"])
        submitted = bool(video.remote_id) or video.status == VideoStatus.SUBMITTING
        changed = ProductVideo.objects.filter(pk=video.pk, status__in=ACTIVE_STATUSES).update(
            status=VideoStatus.CANCELED, next_check_at=None, updated_at=timezone.now()
        )
        if changed:
            budget.close_reservation(video, accepted=submitted)
    if changed and video.remote_id:
        try_delete_remote(video)
    return bool(changed)


def retry(video: ProductVideo) -> bool:
    """A person asks again for a video that ended without one: a fresh job, a fresh attempt count."""
    with transaction.atomic():
        changed = ProductVideo.objects.filter(
            pk=video.pk, status__in=[VideoStatus.FAILED, VideoStatus.CANCELED, VideoStatus.NEEDS_REVIEW]
        ).update(
            status=VideoStatus.REQUESTED,
            remote_id=None,
            attempts=0,
            progress=0,
            error_code="",
            error_message="",
            submit_started_at=None,
            next_check_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if changed:
            transaction.on_commit(partial(enqueue_video, video.pk), robust=True)
    return bool(changed)


def approve(video: ProductVideo, *, approved: bool = True) -> None:
    video.review_state = ReviewState.APPROVED if approved else ReviewState.REJECTED
    video.reviewed_at = timezone.now()
    video.save(update_fields=["review_state", "reviewed_at", "updated_at"])


# --- the worker side: one entry point that drives a row from its state --------------------------


def process(video_id: int) -> Step:
    """Drive one row forward from whatever state it is in; safe to call at any time, repeatedly."""
    from sora_products import reconcile, storing

    video = ProductVideo.objects.filter(pk=video_id).first()
    if video is None:
        return Step("missing")
    if video.status in (VideoStatus.REQUESTED, VideoStatus.BLOCKED):
        return submit(video)
    if video.status == VideoStatus.SUBMITTING:
        return reconcile.reconcile(video)
    if video.status in (VideoStatus.QUEUED, VideoStatus.IN_PROGRESS):
        return refresh(video)
    if video.status == VideoStatus.STORING:
        return storing.store(video)
    return Step(video.status)


def due_videos(now: datetime.datetime | None = None) -> models.QuerySet:
    """Rows the sync pass should drive: active and due (or never scheduled)."""
    now = now or timezone.now()
    return ProductVideo.objects.filter(status__in=ACTIVE_STATUSES).filter(
        models.Q(next_check_at__lte=now) | models.Q(next_check_at__isnull=True)
    )


def sync(*, enqueue: bool = True, limit: int = 500) -> int:
    """The safety net: hand every due row to a worker (or run it here), so nothing is lost."""
    lease = float(app_settings.SYNC_LEASE_SECONDS)
    count = 0
    for video_id in due_videos().values_list("pk", flat=True)[:limit]:
        # Lease the row first, so overlapping sync passes don't pile up duplicate tasks; a step that
        # runs sets its own next check, and a lost task is handed over again when the lease ends.
        ProductVideo.objects.filter(pk=video_id).update(next_check_at=later(lease))
        if enqueue:
            enqueue_video(video_id)
        else:
            process(video_id)
        count += 1
    return count
