"""Finding the live video of products for storefront pages, one query for a whole listing.

A listing page calls ``attach_videos(products)`` (or the ``{% prefetch_product_videos %}`` tag) once;
``{% product_video %}`` then reads the attached value instead of querying per product.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from sora_products.catalog import get_adapter, is_registered
from sora_products.models import ProductVideo

DEFAULT_PRESET = "showcase"
CACHE_ATTR = "_sora_products_live_videos"

ProductKey = tuple[int, str]


def product_key(product: models.Model) -> ProductKey:
    """(content type id, product id as text): how ProductVideo rows point at a product."""
    content_type = ContentType.objects.get_for_model(product, for_concrete_model=True)
    return content_type.pk, str(product.pk)


def product_ref(product: models.Model) -> str:
    """A public reference to a product ("catalog.product:12"), used by the try-on form and API."""
    meta = product._meta.concrete_model._meta
    return f"{meta.app_label}.{meta.model_name}:{product.pk}"


def resolve_product_ref(ref: str) -> models.Model | None:
    """The product a reference names, or None when it is malformed, unregistered or gone."""
    label, _sep, pk = str(ref).partition(":")
    app_label, _dot, model_name = label.partition(".")
    if not (app_label and model_name and pk):
        return None
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None
    if not is_registered(model):
        return None
    try:
        return model._default_manager.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError, ValidationError):
        return None


def product_url(product: models.Model) -> str:
    return get_adapter(product).get_product_url(product) or "/"


def live_videos(products: Iterable[models.Model], preset: str = DEFAULT_PRESET) -> dict[ProductKey, ProductVideo]:
    """The newest live, profile-less video of ``preset`` for each product, in one query."""
    wanted: dict[int, set[str]] = defaultdict(set)
    for product in products:
        content_type_id, object_id = product_key(product)
        wanted[content_type_id].add(object_id)
    if not wanted:
        return {}
    condition = Q()
    for content_type_id, object_ids in wanted.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=sorted(object_ids))
    rows = (
        ProductVideo.objects.live()
        .filter(condition, preset=preset, profile={})
        .order_by("-completed_at", "-pk")
    )
    found: dict[ProductKey, ProductVideo] = {}
    for row in rows:
        found.setdefault((row.content_type_id, row.object_id), row)
    return found


def attach_videos(products: Iterable[models.Model], preset: str = DEFAULT_PRESET) -> list[models.Model]:
    """Look up the live videos of all products at once and keep each on its product for the tags."""
    products = list(products)
    found = live_videos(products, preset)
    for product in products:
        product.__dict__.setdefault(CACHE_ATTR, {})[preset] = found.get(product_key(product))
    return products


def live_video(product: models.Model, preset: str = DEFAULT_PRESET) -> ProductVideo | None:
    """The product's live video of ``preset``: the attached value when there is one, else one query."""
    cache = product.__dict__.setdefault(CACHE_ATTR, {})
    if preset not in cache:
        cache[preset] = live_videos([product], preset).get(product_key(product))
    return cache[preset]
