"""Receivers for registered product models and their image models: they decide *whether* videos change.

``jobs`` decides how. A product's save or delete must never fail because of us, so every receiver
logs and swallows its own errors. They connect themselves when a model is registered (and in
``AppConfig.ready()`` for models registered before the app was ready).
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.signals import post_delete, post_init, post_save

from sora_products import live_counter
from sora_products.catalog import (
    ProductAdapter,
    adapter_for_image_model,
    get_adapter,
    registered,
    registered_adapters,
    unregistered,
)
from sora_products.models import ProductVideo, VideoStatus

logger = logging.getLogger(__name__)

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

        adapter = get_adapter(instance)
        snapshot = adapter.snapshot(instance.__dict__)
        if not created and snapshot is not None and snapshot == _previous_snapshot(instance, adapter):
            return
        jobs.product_changed(instance, adapter)
        # A tuple of strings: a FieldFile changed in place later can't alter what was recorded.
        instance.__dict__[SAVED] = snapshot
    except Exception:
        logger.exception("sora_products could not record videos for %s %s", sender.__name__, instance.pk)


def product_deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """A deleted product's unsent videos are dropped unpaid, and none of its videos stays on the storefront."""
    try:
        from sora_products import jobs

        content_type = ContentType.objects.get_for_model(instance, for_concrete_model=True)
        jobs.product_removed(content_type, str(instance.pk))
    except Exception:
        logger.exception("sora_products could not retire the videos of deleted %s %s", sender.__name__, instance.pk)


def image_saved(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    """A saved photo row counts as a save of its product."""
    if raw:
        return
    _image_changed(sender, instance, "saved")


def image_deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """A deleted photo row counts as a save of its product: its videos no longer match its photos."""
    _image_changed(sender, instance, "deleted")


def _image_changed(sender: type[models.Model], instance: models.Model, what: str) -> None:
    try:
        adapter = adapter_for_image_model(sender)
        product = adapter.get_product_for_image(instance) if adapter else None
        if product is not None and product.pk is not None:
            product_saved(type(product), product)
    except Exception:
        # Includes the product itself being deleted in the same cascade: its own receiver handles that.
        logger.exception("sora_products could not handle the %s image %s %s", what, sender.__name__, instance.pk)


def _uid(model: type[models.Model]) -> str:
    return f"sora_products:{model._meta.label_lower}"


def connect(sender: Any = None, *, model: type[models.Model], adapter: ProductAdapter, **kwargs: Any) -> None:
    uid = _uid(model)
    post_init.connect(product_loaded, sender=model, dispatch_uid=uid, weak=False)
    post_save.connect(product_saved, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(product_deleted, sender=model, dispatch_uid=uid, weak=False)
    if adapter.image_model is not None:
        image_uid = _uid(adapter.image_model)
        post_save.connect(image_saved, sender=adapter.image_model, dispatch_uid=image_uid, weak=False)
        post_delete.connect(image_deleted, sender=adapter.image_model, dispatch_uid=image_uid, weak=False)


def disconnect(sender: Any = None, *, model: type[models.Model], adapter: ProductAdapter, **kwargs: Any) -> None:
    uid = _uid(model)
    for signal in (post_init, post_save, post_delete):
        signal.disconnect(sender=model, dispatch_uid=uid)
    if adapter.image_model is not None:
        for signal in (post_save, post_delete):
            signal.disconnect(sender=adapter.image_model, dispatch_uid=_uid(adapter.image_model))


def video_changed(sender: type[models.Model], instance: models.Model, created: bool = False, **kwargs: Any) -> None:
    """A video saved (approved, rejected, edited) or deleted may change what the storefront shows."""
    if not (created and instance.status != VideoStatus.READY):
        live_counter.changed()


def connect_video_receivers() -> None:
    post_save.connect(video_changed, sender=ProductVideo, dispatch_uid="sora_products:video-changed")
    post_delete.connect(video_changed, sender=ProductVideo, dispatch_uid="sora_products:video-changed")


def experiments_changed(sender: Any, **kwargs: Any) -> None:
    from sora_products.experiments.assignment import forget_experiments

    forget_experiments()
    transaction.on_commit(forget_experiments, robust=True)  # again, past a page that re-read it before the commit


def connect_experiment_receivers() -> None:
    from sora_products.models import Experiment

    post_save.connect(experiments_changed, sender=Experiment, dispatch_uid="sora_products:experiments-changed")
    post_delete.connect(experiments_changed, sender=Experiment, dispatch_uid="sora_products:experiments-changed")


def connect_registered() -> None:
    """Connect the receivers of every model registered so far (some register before the app is ready)."""
    for model, adapter in registered_adapters():
        connect(model=model, adapter=adapter)


registered.connect(connect, dispatch_uid="sora_products.receivers.connect")
unregistered.connect(disconnect, dispatch_uid="sora_products.receivers.disconnect")
