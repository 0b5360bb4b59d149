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
from dataclasses import dataclass
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sora_products import budget
from sora_products.catalog import ProductAdapter, get_adapter
from sora_products.conf import app_settings
from sora_products.models import ACTIVE_STATUSES, Origin, ProductVideo, ReviewState, VideoStatus
from sora_products.providers import (
    AuthError,
    CreateRequest,
    InvalidRequest,
    JobStatus,
    ModerationRefused,
    NotFound,
    OutcomeUnknown,
    ProviderError,
    RateLimited,
    ReferenceUpload,
    RemoteJob,
    TransientError,
)
from sora_products.queue import enqueue_video
from sora_products.specs import TryOnProfile, VideoSpec, auto_presets, build_spec
from sora_products.video_providers import get_provider

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Step:
    """What a step left behind: the row's status and, while it runs, when to look again."""

    status: str
    check_in: float | None = None


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
    return _get_or_create_video(product, spec, origin=origin, key=key or inputs_key(adapter, product))


def _estimate(spec: VideoSpec) -> budget.Decimal:
    try:
        return budget.estimate_cost(spec.provider, spec.model, spec.size, spec.seconds)
    except budget.UnknownPrice:
        return budget.Decimal("0")


def _get_or_create_video(
    product: models.Model, spec: VideoSpec, *, origin: str, key: str, **extra: object
) -> tuple[ProductVideo, bool]:
    content_type = ContentType.objects.get_for_model(product, for_concrete_model=True)
    video, created = ProductVideo.objects.get_or_create(
        content_type=content_type,
        object_id=str(product.pk),
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
            "estimated_cost": _estimate(spec),
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
    new, _created = _get_or_create_video(
        video.product or _ProductRef(video),
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


@dataclass
class _ProductRef:
    """Stands in for a deleted product so a remix row can still be keyed to its id."""

    video: ProductVideo

    @property
    def pk(self) -> str:
        return self.video.object_id

    @property
    def _meta(self):
        return self.video.content_type.model_class()._meta


def cancel(video: ProductVideo) -> bool:
    """Stop caring about a video: results that arrive later are ignored; unspent budget is released."""
    with transaction.atomic():
        changed = ProductVideo.objects.filter(pk=video.pk, status__in=ACTIVE_STATUSES).update(
            status=VideoStatus.CANCELED, next_check_at=None, updated_at=timezone.now()
        )
        if changed and not video.remote_id:
            budget.release(video)
    if changed and video.remote_id:
        _try_delete_remote(video)
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


def _try_delete_remote(video: ProductVideo) -> None:
    try:
        get_provider(video.provider).delete(video.remote_id)
    except ProviderError:
        logger.info("Provider kept job %s of canceled video %s", video.remote_id, video.pk)


# --- the worker side -------------------------------------------------------------------------


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


def poll_interval(video: ProductVideo, job: RemoteJob | None = None) -> float:
    provider_options = app_settings.PROVIDERS.get(video.provider, {})
    interval = float(
        app_settings.WEBHOOK_POLL_INTERVAL if provider_options.get("WEBHOOKS") else app_settings.POLL_INTERVAL
    )
    if job is not None and job.poll_after_ms:
        interval = max(interval, job.poll_after_ms / 1000)
    return interval


def _update(video: ProductVideo, *, expect: list[str] | None = None, **fields: object) -> bool:
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
    """End a video without a file, with a reason a person can act on."""
    from sora_products.signals import video_failed

    ended = _update(
        video,
        expect=expect if expect is not None else list(ACTIVE_STATUSES),
        status=VideoStatus.FAILED,
        error_code=code[:100],
        error_message=message,
        next_check_at=None,
        completed_at=timezone.now(),
    )
    if ended:
        transaction.on_commit(lambda: video_failed.send(sender=ProductVideo, video=video), robust=True)
    return Step(VideoStatus.FAILED)


def _later(seconds: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=seconds)


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
            # Re-read under the ledger lock, so two workers cannot both claim this row.
            budget.reserve(video, video.estimated_cost)
            claimed = _update(
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
        _update(
            video,
            expect=[VideoStatus.REQUESTED, VideoStatus.BLOCKED],
            status=VideoStatus.BLOCKED,
            error_code=f"budget_{exc.cap}",
            error_message=str(exc),
            next_check_at=_later(60),
        )
        return Step(VideoStatus.BLOCKED, check_in=None)
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
        _update(video, error_code="outcome_unknown", error_message=str(exc), next_check_at=_later(5))
        return Step(VideoStatus.SUBMITTING, check_in=5)
    except (TransientError, RateLimited) as exc:
        return _not_accepted(video, exc)
    except ModerationRefused as exc:
        _release_and(video)
        return fail(video, exc.code or "moderation_blocked", _refused_message(exc))
    except (InvalidRequest, AuthError, NotFound, ProviderError) as exc:
        _release_and(video)
        return fail(video, exc.code or type(exc).__name__.lower(), str(exc))
    return adopt(video, job)


def _release_and(video: ProductVideo) -> None:
    with transaction.atomic():
        budget.release(video)


def _refused_message(exc: ProviderError) -> str:
    return _(
        "The provider refused this video (%(reason)s). Photos with faces, real people or brand logos are "
        "often refused; try another photo or change the product text."
    ) % {"reason": str(exc)}


def _not_accepted(video: ProductVideo, exc: TransientError | RateLimited) -> Step:
    """The provider did not take the job: give the attempt and the money back and wait."""
    wait = getattr(exc, "retry_after", None) or 30.0
    quota = isinstance(exc, RateLimited) and exc.quota
    with transaction.atomic():
        budget.release(video)
        _update(
            video,
            expect=[VideoStatus.SUBMITTING],
            status=VideoStatus.BLOCKED if quota else VideoStatus.REQUESTED,
            attempts=models.F("attempts") - 1,
            error_code=(exc.code or "provider_unavailable")[:100],
            error_message=str(exc),
            next_check_at=_later(600 if quota else wait),
        )
    return Step(VideoStatus.BLOCKED if quota else VideoStatus.REQUESTED, check_in=None if quota else wait)


def adopt(video: ProductVideo, job: RemoteJob) -> Step:
    """Record the provider's job id at once; the one thing that must never be lost."""
    _update(
        video,
        expect=[VideoStatus.SUBMITTING],
        remote_id=job.id,
        status=VideoStatus.QUEUED,
        error_code="",
        error_message="",
        next_check_at=_later(poll_interval(video, job)),
    )
    return apply_remote(video, job)


def refresh(video: ProductVideo) -> Step:
    """Ask the provider how the job is doing and apply it."""
    if video.submit_started_at and timezone.now() - video.submit_started_at > datetime.timedelta(
        seconds=int(app_settings.MAX_RUN_SECONDS)
    ):
        _try_delete_remote(video)
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
        _update(video, next_check_at=_later(wait))
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
        if _update(video, expect=running, status=VideoStatus.STORING, progress=100, expires_at=expires):
            return storing.store(video)
        return Step(video.status)
    if job.status == JobStatus.FAILED:
        with transaction.atomic():
            budget.write_off(video)
            refused = job.is_refused
            message = (
                _refused_message(ProviderError(job.error_message or ""))
                if refused
                else (job.error_message or _("The provider could not make this video."))
            )
            return fail(video, job.error_code or "generation_failed", message, expect=running)
    status = VideoStatus.IN_PROGRESS if job.status == JobStatus.IN_PROGRESS else VideoStatus.QUEUED
    wait = poll_interval(video, job)
    _update(
        video,
        expect=running,
        status=status,
        progress=max(video.progress, min(int(job.progress or 0), 99)),
        next_check_at=_later(wait),
    )
    return Step(status, check_in=wait)


def _from_unix(value: int | None) -> datetime.datetime | None:
    return datetime.datetime.fromtimestamp(value, tz=datetime.UTC) if value else None


def due_videos(now: datetime.datetime | None = None) -> models.QuerySet:
    """Rows the sync pass should drive: active and due (or never scheduled)."""
    now = now or timezone.now()
    return ProductVideo.objects.filter(status__in=ACTIVE_STATUSES).filter(
        models.Q(next_check_at__lte=now) | models.Q(next_check_at__isnull=True)
    )


def sync(*, enqueue: bool = True, limit: int = 500) -> int:
    """The safety net: hand every due row to a worker (or run it here), so nothing is lost."""
    count = 0
    for video_id in due_videos().values_list("pk", flat=True)[:limit]:
        # Push the next check out first, so overlapping sync passes don't pile up duplicates.
        ProductVideo.objects.filter(pk=video_id).update(next_check_at=_later(poll_interval_for_id(video_id)))
        if enqueue:
            enqueue_video(video_id)
        else:
            process(video_id)
        count += 1
    return count


def poll_interval_for_id(video_id: int) -> float:
    video = ProductVideo.objects.only("provider").get(pk=video_id)
    return poll_interval(video)
