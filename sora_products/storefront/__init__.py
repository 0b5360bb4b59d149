"""Finding the live video of products for storefront pages, one query for a whole listing.

A listing page calls ``attach_videos(products)`` (or the ``{% prefetch_product_videos %}`` tag) once;
``{% product_video %}`` then reads the attached value instead of querying per product. What is
attached is a LiveVideo: the few values a player needs, read without building model instances.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, NamedTuple

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models

from sora_products import live_counter
from sora_products.catalog import ProductAdapter, RegistrationError, get_adapter, is_registered
from sora_products.conf import app_settings
from sora_products.models import ProductVideo
from sora_products.storefront.lookup import live_rows

DEFAULT_PRESET = "showcase"
CACHE_ATTR = "_sora_products_live_videos"
# Storage names that URL quoting leaves as they are and that contain no dot segments.
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9_\-][A-Za-z0-9_\-/]*(\.[A-Za-z0-9]+)?$")

ProductKey = tuple[int, str]


def media_url(storage: Storage, name: str) -> str:
    """``storage.url(name)``, computed directly for local storage and the names the app generates."""
    if not name:
        return ""
    if type(storage).url is FileSystemStorage.url and _PLAIN_NAME.match(name):
        base = storage.base_url
        if base and base.endswith("/"):
            return base + name  # what urljoin(base, filepath_to_uri(name)) returns for such names
    try:
        return storage.url(name)
    except ValueError:
        return ""


@lru_cache(maxsize=32)
def dimensions(size: str) -> tuple[int | None, int | None]:
    """(width, height) of a "720x1280" size; (None, None) when it can't be read."""
    try:
        width, height = (int(part) for part in size.lower().split("x"))
    except ValueError:
        return None, None
    return width, height


class LiveVideo(NamedTuple):
    """What a storefront page needs of one live video; ``load()`` fetches the full ProductVideo row.

    A named tuple: a listing makes one per product on every request, and tuples are the cheapest to make.
    """

    pk: int
    preset: str
    video_name: str
    poster_name: str
    size: str
    seconds: int
    completed_at: datetime.datetime | None

    @property
    def video_url(self) -> str:
        return media_url(ProductVideo._meta.get_field("video_file").storage, self.video_name)

    @property
    def poster_url(self) -> str:
        return media_url(ProductVideo._meta.get_field("poster").storage, self.poster_name)

    @property
    def width_height(self) -> tuple[int | None, int | None]:
        return dimensions(self.size)

    def load(self) -> ProductVideo:
        return ProductVideo.objects.get(pk=self.pk)


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


def _shares_videos(model: type[models.Model]) -> bool:
    """Whether the model's adapter may hand a product's videos to another product (Oscar's variants)."""
    try:
        adapter = get_adapter(model)
    except RegistrationError:
        return False
    return type(adapter).get_video_product is not ProductAdapter.get_video_product


def _product_keys(products: list[models.Model]) -> list[ProductKey]:
    """The key of each product's videos, with one content type lookup per product model, not per product."""
    content_types: dict[type, int] = {}
    sharing: dict[type, bool] = {}
    keys = []
    for product in products:
        model = type(product)
        if model not in sharing:
            sharing[model] = _shares_videos(model)
        if sharing[model]:
            product = get_adapter(model).get_video_product(product)
            model = type(product)
        if model not in content_types:
            content_types[model] = product_key(product)[0]
        keys.append((content_types[model], str(product.pk)))
    return keys


def listed_products(items: Iterable[Any]) -> list[models.Model]:
    """The model instances of a listing: a queryset, a list, a page, or search results (haystack's ``.object``).

    Results whose object is gone from the database (a stale search index) are left out.
    """
    products = []
    for item in items:
        if not isinstance(item, models.Model):
            item = getattr(item, "object", None)
        if isinstance(item, models.Model) and item.pk is not None:
            products.append(item)
    return products


def _live_videos_by_key(keys: list[ProductKey], preset: str) -> dict[ProductKey, LiveVideo]:
    counter = live_counter.current()
    memo_key = None
    if counter is not None:
        memo_key = (counter, preset, bool(app_settings.REQUIRE_APPROVAL), tuple(keys))
        found = live_counter.recall(memo_key)
        if found is not None:
            return found
    found = _query_live_videos(keys, preset)
    if memo_key is not None:
        live_counter.remember(memo_key, found)
    return found


def _query_live_videos(keys: list[ProductKey], preset: str) -> dict[ProductKey, LiveVideo]:
    wanted: dict[int, list[str]] = defaultdict(list)
    for content_type_id, object_id in keys:
        wanted[content_type_id].append(object_id)
    found: dict[ProductKey, LiveVideo] = {}
    for row in live_rows(wanted, preset):
        key = (row[0], row[1])
        if key not in found:  # rows come newest first
            found[key] = LiveVideo._make(row[2:])
    return found


def live_videos(products: Iterable[models.Model], preset: str = DEFAULT_PRESET) -> dict[ProductKey, LiveVideo]:
    """The newest live, profile-less video of ``preset`` for each product, in one query (or none, see live_counter).

    Keyed by the key of the product whose videos each one shows (``product_key(get_video_product(p))``).
    """
    return dict(_live_videos_by_key(_product_keys(list(products)), preset))


def attach_videos(products: Iterable[Any], preset: str = DEFAULT_PRESET) -> list[models.Model]:
    """Look up the live videos of all products at once and keep each on its product for the tags.

    Takes what a listing loops over (see ``listed_products``); returns the product instances.
    """
    products = listed_products(products)
    keys = _product_keys(products)
    found = _live_videos_by_key(keys, preset)
    for product, key in zip(products, keys, strict=True):
        product.__dict__.setdefault(CACHE_ATTR, {})[preset] = found.get(key)
    return products


def looked_up(product: models.Model, preset: str = DEFAULT_PRESET) -> bool:
    """Whether the product's live video of ``preset`` is already known (attached by a listing), so costs no query."""
    return preset in product.__dict__.get(CACHE_ATTR, {})


def live_video(product: models.Model, preset: str = DEFAULT_PRESET) -> LiveVideo | None:
    """The product's live video of ``preset``: the attached value when there is one, else one query."""
    cache = product.__dict__.setdefault(CACHE_ATTR, {})
    if preset not in cache:
        keys = _product_keys([product])
        cache[preset] = _live_videos_by_key(keys, preset).get(keys[0])
    return cache[preset]
