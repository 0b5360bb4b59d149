"""Receivers for registered product models, and the app's own signals for shops to hook into.

The receivers decide *whether* a video is wanted; ``jobs`` decides how it is made. A product's
save must never fail because of us, so every receiver logs and swallows its own errors.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import models
from django.dispatch import Signal

logger = logging.getLogger(__name__)

video_ready = Signal()
"""Sent with ``video`` when a ProductVideo's file is stored and it can be reviewed or shown."""

video_failed = Signal()
"""Sent with ``video`` when a ProductVideo ends without a video; ``video.error_message`` says why."""


LOADED = "_sora_products_loaded"
SAVED = "_sora_products_saved"


def _previous_snapshot(instance: models.Model, adapter: Any) -> tuple | None:
    """What the instance's videos were based on: at its last save here, else as it was loaded."""
    if SAVED in instance.__dict__:
        return instance.__dict__[SAVED]
    loaded = instance.__dict__.get(LOADED)
    return adapter.snapshot(loaded) if loaded is not None else None


def product_loaded(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """Remember what a loaded product's videos depend on, so an unrelated save costs nothing."""
    if instance.pk is not None:
        # A shallow copy is all a listing page pays; the comparison happens only on save.
        instance.__dict__[LOADED] = instance.__dict__.copy()


def product_saved(
    sender: type[models.Model], instance: models.Model, raw: bool = False, created: bool = False, **kwargs: Any
) -> None:
    """Ask for the auto presets when the photo or the prompt's inputs changed."""
    if raw:
        return
    try:
        from sora_products import jobs
        from sora_products.catalog import get_adapter

        adapter = get_adapter(instance)
        snapshot = adapter.snapshot(instance.__dict__)
        if not created and snapshot is not None and snapshot == _previous_snapshot(instance, adapter):
            return
        jobs.product_changed(instance, adapter)
        # A tuple of strings: a FieldFile changed in place later can't alter what was recorded.
        instance.__dict__[SAVED] = snapshot
    except Exception:
        logger.exception("sora_products could not record videos for %s %s", sender.__name__, instance.pk)


def image_saved(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    """A saved photo row counts as a save of its product."""
    if raw:
        return
    try:
        from sora_products.catalog import adapter_for_image_model

        adapter = adapter_for_image_model(sender)
        product = adapter.get_product_for_image(instance) if adapter else None
        if product is not None:
            product_saved(type(product), product)
    except Exception:
        logger.exception("sora_products could not handle the saved image %s %s", sender.__name__, instance.pk)
