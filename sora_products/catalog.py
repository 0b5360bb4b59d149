"""How any shop's product model is read: adapters and the registry that plugs them in.

A shop registers its model once (``sora_products.register(Product)``, also as a decorator, or
through ``SORA_PRODUCTS["ADAPTERS"]``); the app then reads products only through the adapter,
never through field names of its own choosing (django-allauth adapters, django-reversion's
``register()``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.db import models
from django.dispatch import Signal
from django.utils.module_loading import import_string

registered = Signal()
"""Sent with ``model`` and ``adapter`` when a product model is registered; the receivers connect to it."""

unregistered = Signal()


class RegistrationError(Exception):
    """A model was registered twice, or unregistered without being registered."""


class ProductAdapter:
    """Tells the app how to read a shop's product; subclass it and override what differs.

    Every method receives the product instance. Only ``get_source_image`` is required.
    """

    image_model: type[models.Model] | None = None
    """A related model holding the product's photos; saving one of its rows counts as a product save."""

    wearable_categories: Iterable[str] | None = None
    """Category values the "see it worn" preset suits; None reads SORA_PRODUCTS["WEARABLE_CATEGORIES"]."""

    def __init__(self, model: type[models.Model], **options: Any) -> None:
        self.model = model
        for name, value in options.items():
            if not hasattr(type(self), name):
                raise ImproperlyConfigured(f"{type(self).__name__} has no option {name!r}.")
            setattr(self, name, value)

    def get_source_image(self, product: models.Model) -> File | None:
        """The photo videos are made from, or None when the product has none."""
        raise NotImplementedError

    def get_source_key(self, product: models.Model) -> str:
        """A cheap identity of the photo (storage name and size): a new upload changes it."""
        image = self.get_source_image(product)
        if not image or not getattr(image, "name", None):
            return ""
        try:
            size = image.size
        except (OSError, ValueError):
            size = "missing"
        return f"{image.name}:{size}"

    def get_title(self, product: models.Model) -> str:
        return str(product)

    def get_description(self, product: models.Model) -> str:
        return ""

    def get_colour(self, product: models.Model) -> str:
        return ""

    def get_category(self, product: models.Model) -> str:
        return ""

    def is_wearable(self, product: models.Model) -> bool:
        """Whether a person can wear the product, which the "worn" preset requires."""
        return self.get_category(product).strip().lower() in self.wearable_set()

    def wearable_set(self) -> frozenset[str]:
        """The wearable category values, lower-cased: this adapter's own, else the app-wide setting."""
        from sora_products.conf import app_settings

        values = self.wearable_categories
        if values is None:
            values = app_settings.WEARABLE_CATEGORIES
        return frozenset(str(value).strip().lower() for value in values)

    def get_video_product(self, product: models.Model) -> models.Model:
        """The product whose videos this one makes and shows: itself, or the product a variant shares them with.

        A variant that returns its parent causes no video of its own: its saves ask for nothing, and the
        storefront, the try-on and the admin's Generate use the parent's videos.
        """
        return product

    def get_dependent_products(self, product: models.Model) -> list[models.Model]:
        """Products whose videos read this one (a variant quotes its parent's text): asked again when it changes."""
        return []

    def get_prompt_fields(self, product: models.Model) -> dict[str, str]:
        """The product text a prompt may quote; every value is sanitised before use."""
        return {
            "title": self.get_title(product),
            "description": self.get_description(product),
            "colour": self.get_colour(product),
            "category": self.get_category(product),
        }

    def get_product_for_image(self, image: models.Model) -> models.Model | None:
        """The product an ``image_model`` row belongs to."""
        raise NotImplementedError

    def snapshot(self, values: dict[str, Any]) -> tuple | None:
        """What a video depends on, from an instance's ``__dict__``; None when that can't be told cheaply.

        A save whose snapshot equals the one of the values the instance was loaded with changes no
        video, so it costs no query at all. Must not touch the database or storage.
        """
        return None

    def get_product_url(self, product: models.Model) -> str:
        get_url = getattr(product, "get_absolute_url", None)
        return get_url() if callable(get_url) else ""


def _field_value(product: models.Model, field_name: str | None) -> Any:
    """Follow ``a__b`` paths; raw values, not choice labels, so prompts don't change with language."""
    if not field_name:
        return ""
    value: Any = product
    for part in field_name.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return ""
    return value() if callable(value) else value


class FieldAdapter(ProductAdapter):
    """Reads a plain model by field names: ``register(Product, image_field="photo")``."""

    image_field = "image"
    title_field = "name"
    description_field: str | None = "description"
    colour_field: str | None = "colour"
    category_field: str | None = "category"

    def get_source_image(self, product: models.Model) -> File | None:
        image = getattr(product, self.image_field, None)
        return image if image else None

    def snapshot(self, values: dict[str, Any]) -> tuple | None:
        snapshot = []
        for name in (
            self.image_field,
            self.title_field,
            self.description_field,
            self.colour_field,
            self.category_field,
        ):
            if not name:
                continue
            if "__" in name or name not in values:
                return None  # related or deferred fields: reading them could query
            value = values[name]
            snapshot.append(str(getattr(value, "name", value)))
        return tuple(snapshot)

    def get_title(self, product: models.Model) -> str:
        return str(_field_value(product, self.title_field) or product)

    def get_description(self, product: models.Model) -> str:
        return str(_field_value(product, self.description_field) or "")

    def get_colour(self, product: models.Model) -> str:
        return str(_field_value(product, self.colour_field) or "")

    def get_category(self, product: models.Model) -> str:
        return str(_field_value(product, self.category_field) or "")


class RelatedImageAdapter(FieldAdapter):
    """Reads a product whose photos live in a related model (Oscar's ProductImage and the like).

    Options: ``image_model`` (a model or "app_label.Model"), ``image_field`` on that model,
    ``product_field`` (the image row's foreign key to the product) and ``ordering``.
    """

    image_field = "original"
    product_field = "product"
    ordering: tuple[str, ...] = ("display_order", "pk")

    def __init__(self, model: type[models.Model], **options: Any) -> None:
        super().__init__(model, **options)
        if isinstance(self.image_model, str):
            self.image_model = apps.get_model(self.image_model)
        if self.image_model is None:
            raise ImproperlyConfigured("RelatedImageAdapter needs an image_model option.")

    def primary_image_row(self, product: models.Model) -> models.Model | None:
        ordering = [f for f in self.ordering if _has_field(self.image_model, f.lstrip("-"))]
        rows = self.image_model._default_manager.filter(**{self.product_field: product})
        return rows.order_by(*ordering).first()

    def get_source_image(self, product: models.Model) -> File | None:
        row = self.primary_image_row(product)
        image = getattr(row, self.image_field, None) if row is not None else None
        return image if image else None

    def get_product_for_image(self, image: models.Model) -> models.Model | None:
        return getattr(image, self.product_field, None)

    def snapshot(self, values: dict[str, Any]) -> tuple | None:
        return None  # the photo lives in another table


def _has_field(model: type[models.Model], name: str) -> bool:
    return name == "pk" or any(f.name == name for f in model._meta.get_fields())


_registry: dict[type[models.Model], ProductAdapter] = {}


def register(model: type[models.Model] | None = None, *, adapter: Any = None, **options: Any):
    """Register a product model; works as a call and as a class decorator.

    ``adapter`` is a ProductAdapter subclass, a dotted path to one, or None for FieldAdapter.
    """

    def do_register(model_cls: type[models.Model]) -> type[models.Model]:
        if model_cls in _registry:
            raise RegistrationError(f"{model_cls._meta.label} is already registered with sora_products.")
        adapter_cls = adapter or FieldAdapter
        if isinstance(adapter_cls, str):
            adapter_cls = import_string(adapter_cls)
        instance = adapter_cls(model_cls, **options)
        _registry[model_cls] = instance
        registered.send(sender=ProductAdapter, model=model_cls, adapter=instance)
        return model_cls

    if model is None:
        return do_register
    return do_register(model)


def unregister(model: type[models.Model]) -> None:
    """Forget a product model and disconnect its receivers."""
    try:
        adapter = _registry.pop(model)
    except KeyError:
        raise RegistrationError(f"{model._meta.label} is not registered with sora_products.") from None
    unregistered.send(sender=ProductAdapter, model=model, adapter=adapter)


def is_registered(model: type[models.Model]) -> bool:
    return model in _registry


def get_adapter(model_or_instance: type[models.Model] | models.Model) -> ProductAdapter:
    """The adapter registered for a product model (or instance); RegistrationError if none."""
    model = model_or_instance if isinstance(model_or_instance, type) else type(model_or_instance)
    model = model._meta.concrete_model or model
    try:
        return _registry[model]
    except KeyError:
        raise RegistrationError(f"{model._meta.label} is not registered with sora_products.") from None


def registered_models() -> list[type[models.Model]]:
    return list(_registry)


def registered_adapters() -> list[tuple[type[models.Model], ProductAdapter]]:
    return list(_registry.items())


def adapter_for_image_model(model: type[models.Model]) -> ProductAdapter | None:
    for adapter in _registry.values():
        if adapter.image_model is model:
            return adapter
    return None


def register_from_settings() -> None:
    """Register what SORA_PRODUCTS["ADAPTERS"] lists; called from AppConfig.ready()."""
    from sora_products.conf import app_settings

    for label, spec in app_settings.ADAPTERS.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError) as exc:
            raise ImproperlyConfigured(
                f'SORA_PRODUCTS["ADAPTERS"] names {label!r}, which is not an installed model.'
            ) from exc
        if model in _registry:
            continue
        options = dict(spec) if isinstance(spec, dict) else {"ADAPTER": spec}
        adapter = options.pop("ADAPTER", None)
        register(model, adapter=adapter, **options)
