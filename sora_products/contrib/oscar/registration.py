"""Registering Oscar's catalogue Product (the shop's fork when it has one) with the Oscar adapter."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from sora_products.catalog import is_registered, register


def oscar_product_model() -> type[models.Model]:
    """Oscar's Product as the shop installed it: ``get_model`` follows a forked catalogue app."""
    try:
        from oscar.core.loading import get_model
    except ImportError as exc:
        raise ImproperlyConfigured(
            'sora_products.contrib.oscar needs django-oscar: pip install "sora-products[oscar]".'
        ) from exc
    try:
        return get_model("catalogue", "Product")
    except LookupError as exc:
        raise ImproperlyConfigured(
            "sora_products.contrib.oscar found no Oscar catalogue app; list Oscar's apps in INSTALLED_APPS."
        ) from exc


def register_oscar_product() -> None:
    """A shop that registered Product with its own adapter (in code or SORA_PRODUCTS["ADAPTERS"]) keeps it."""
    from sora_products.conf import app_settings
    from sora_products.contrib.oscar.adapter import OscarProductAdapter

    model = oscar_product_model()
    if is_registered(model) or model._meta.label in app_settings.ADAPTERS:
        return
    register(model, adapter=OscarProductAdapter)
