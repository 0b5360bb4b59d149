"""Small builders shared by tests: product photos and demo products."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.core.files.base import ContentFile

from demo_shop.catalog.models import Product
from tests.photos import photo_bytes

_counter = itertools.count(1)


def make_product(*, photo: bytes | None = None, name: str | None = None, **fields) -> Product:
    """Create and save a demo Product (which fires the app's receivers like a real save)."""
    number = next(_counter)
    product = Product(
        name=name or f"Linen shirt {number}",
        slug=f"product-{number}",
        description=fields.pop("description", "A breezy linen shirt."),
        price=fields.pop("price", Decimal("49.00")),
        category=fields.pop("category", "apparel"),
        colour=fields.pop("colour", "navy"),
        **fields,
    )
    if photo is None:
        photo = photo_bytes()
    if photo:
        product.image.save(f"photo-{number}.jpg", ContentFile(photo), save=False)
    product.save()
    return product
