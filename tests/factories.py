"""Small builders shared by tests: product photos and demo products."""

from __future__ import annotations

import io
import itertools
from decimal import Decimal

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from demo_shop.catalog.models import Product

_counter = itertools.count(1)


def photo_bytes(
    size: tuple[int, int] = (600, 800), colour: tuple[int, int, int] = (40, 90, 160), fmt: str = "JPEG"
) -> bytes:
    """A plain studio photo with a coloured product shape in the middle."""
    image = Image.new("RGB", size, (236, 236, 232))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rounded_rectangle((w * 0.25, h * 0.2, w * 0.75, h * 0.85), radius=int(w * 0.05), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


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
