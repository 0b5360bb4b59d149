"""Asking for videos: what a product wants now, and dropping what it no longer wants before it is paid for.

A product's videos are keyed by its inputs (photo identity and text). When those change, videos
of the old inputs not yet sent are superseded (ended without a create); those already sent finish
and are kept as outdated. When the inputs return to an earlier state, that state's video is current again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sora_products import budget, live_counter
from sora_products.catalog import ProductAdapter, get_adapter
from sora_products.conf import app_settings
from sora_products.jobs.transitions import move_rows
from sora_products.models import UNSENT_STATUSES, Origin, ProductVideo, VideoStatus
from sora_products.queues import enqueue_video
from sora_products.specs import TryOnProfile, VideoSpec, auto_presets, build_spec, with_provider

logger = logging.getLogger(__name__)


def inputs_key(adapter: ProductAdapter, product: models.Model) -> str:
    """A hash of what a product contributes to any video: its photo identity and its text."""
    payload = {"source": adapter.get_source_key(product), "fields": adapter.get_prompt_fields(product)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def product_changed(product: models.Model, adapter: ProductAdapter | None = None) -> list[ProductVideo]:
    """Retire videos of older inputs and ask for the auto presets of the current ones.

    A variant that shares its parent's videos has none of its own to ask for: what it once had is retired.
    """
    adapter = adapter or get_adapter(product)
    if adapter.get_video_product(product) is not product:
        retire(ProductVideo.objects.for_product(product))
        return []
    key = inputs_key(adapter, product)
    retire(ProductVideo.objects.for_product(product).exclude(inputs_key=key))
    if not app_settings.AUTO_GENERATE or adapter.get_source_image(product) is None:
        return [video for dependent in adapter.get_dependent_products(product) for video in product_changed(dependent)]
    wanted = []
    for preset in auto_presets():
        try:
            wanted.append(request_video(product, preset, origin=Origin.AUTO, adapter=adapter, key=key)[0])
        except Exception:
            logger.exception("sora_products could not request the %s video of %r", preset, product)
    for dependent in adapter.get_dependent_products(product):
        wanted += product_changed(dependent, adapter)
    return wanted


def product_removed(content_type: ContentType, object_id: str) -> int:
    """A product was deleted: its unsent videos are superseded and none stays on the storefront."""
    return retire(ProductVideo.objects.filter(content_type=content_type, object_id=object_id))


def retire(videos: models.QuerySet) -> int:
    """Take ``videos`` off the storefront; those not yet sent end as superseded, unpaid. Returns how many.

    A never-sent row holds no reservation (the claim reserves and leaves the unsent statuses in one
    transaction), so superseding one settles nothing.
    """
    with transaction.atomic():
        unsent = list(videos.filter(status__in=UNSENT_STATUSES).values_list("pk", flat=True))
        if unsent:
            move_rows(
                ProductVideo.objects.filter(pk__in=unsent),
                VideoStatus.SUPERSEDED,
                expect=UNSENT_STATUSES,
                outdated=True,
                next_check_at=None,
                error_code="superseded",
                error_message=_("The product changed before this video was sent, so it was not made."),
            )
        retired = videos.filter(outdated=False).update(outdated=True, updated_at=timezone.now()) + len(unsent)
        if retired:
            live_counter.changed()
        return retired


def request_video(
    product: models.Model,
    preset: str,
    *,
    profile: TryOnProfile | None = None,
    origin: str = Origin.ADMIN,
    adapter: ProductAdapter | None = None,
    key: str | None = None,
    provider: str | None = None,
) -> tuple[ProductVideo, bool]:
    """Get or create the row for this product and spec; a new row is enqueued on commit.

    ``provider`` starts the video at that provider of the preset's route instead of its first one.

    Asking twice, or concurrently, returns the same row (unique constraint + get_or_create).
    Raises SpecError when the preset does not apply to the product. A variant that shares its parent's
    videos asks for the parent's.
    """
    adapter = adapter or get_adapter(product)
    video_product = adapter.get_video_product(product)
    if video_product is not product:
        product, key = video_product, None
    spec = build_spec(product, adapter, preset, profile)
    if provider:
        spec = with_provider(spec, provider)
    content_type = ContentType.objects.get_for_model(product, for_concrete_model=True)
    return get_or_create_video(
        content_type, str(product.pk), spec, origin=origin, key=key or inputs_key(adapter, product)
    )


def get_or_create_video(
    content_type: ContentType, object_id: str, spec: VideoSpec, *, origin: str, key: str, **extra: object
) -> tuple[ProductVideo, bool]:
    """The row of one product and spec, made current again when the product's inputs came back to it."""
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
    elif video.outdated and video.inputs_key == key:
        revive(video)
    return video, created


def revive(video: ProductVideo) -> None:
    """The product is back to the inputs of ``video``: it is current again, and asked for again if it was dropped."""
    with transaction.atomic():
        ProductVideo.objects.filter(pk=video.pk).update(outdated=False, updated_at=timezone.now())
        video.outdated = False
        live_counter.changed()
        asked = move_rows(
            ProductVideo.objects.filter(pk=video.pk),
            VideoStatus.REQUESTED,
            expect=[VideoStatus.SUPERSEDED],
            error_code="",
            error_message="",
            waits=0,
            next_check_at=timezone.now(),
        )
        if asked:
            video.status = VideoStatus.REQUESTED
            transaction.on_commit(partial(enqueue_video, video.pk), robust=True)


def provider_remixes(video: ProductVideo) -> bool:
    """Whether the provider and model that made ``video`` can make a variation of it (fal's queue cannot)."""
    from sora_products.jobs.providers import get_provider

    try:
        capabilities = get_provider(video.provider).capabilities().models.get(video.model)
    except Exception:  # a provider no longer configured: the remix would fail at submit with the reason
        return True
    return capabilities is None or capabilities.remix


def remixable(video: ProductVideo) -> bool:
    """A finished video its provider can remix (a held one too: the remix is how its colour is fixed)."""
    return video.status in (VideoStatus.READY, VideoStatus.HELD) and bool(video.remote_id) and provider_remixes(video)


def remix(video: ProductVideo, change: str, *, origin: str = Origin.ADMIN) -> ProductVideo:
    """A new video made from a stored one with a change in plain words ("make the jacket navy")."""
    return remix_or_existing(video, change, origin=origin)[0]


def remix_or_existing(video: ProductVideo, change: str, *, origin: str = Origin.ADMIN) -> tuple[ProductVideo, bool]:
    """The remix, and whether it is new: the same change asked twice is one video, paid once."""
    change = " ".join(str(change).split())[:1000]
    if not change:
        raise ValueError(_("Describe the change you want, for example “make the jacket navy blue”."))
    if video.status not in (VideoStatus.READY, VideoStatus.HELD) or not video.remote_id:
        raise ValueError(_("Only a finished video can be remixed."))
    if not provider_remixes(video):
        raise ValueError(_("The provider that made this video cannot remix it; ask for a new video instead."))
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
    return get_or_create_video(
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
