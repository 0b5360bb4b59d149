"""Builders for the Oscar shop: products made the way Oscar makes them, and staff who work in its dashboard."""

from __future__ import annotations

import itertools
import os
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from tests.photos import photo_bytes

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
ProductClass = get_model("catalogue", "ProductClass")
Category = get_model("catalogue", "Category")

_numbers = itertools.count(1)

FORKED_SETTINGS = "tests.oscar_shop.forked_settings"
# Each settings module runs its own tests: the forked catalogue's in forked/, the stock shop's elsewhere.
if os.environ.get("DJANGO_SETTINGS_MODULE") == FORKED_SETTINGS:
    collect_ignore_glob = ["test_*.py"]
else:
    collect_ignore = ["forked"]


def add_image(product, *, colour=(40, 90, 160), display_order: int = 0):
    """A ProductImage row as Oscar's dashboard saves one."""
    number = next(_numbers)
    return ProductImage.objects.create(
        product=product,
        original=ContentFile(photo_bytes(colour=colour), name=f"photo-{number}.jpg"),
        display_order=display_order,
    )


def oscar_product(*, title: str | None = None, product_class: str = "Clothing", photo: bool = True, **kwargs):
    """A standalone product with a price and stock, and (unless photo=False) one image."""
    number = next(_numbers)
    kwargs.setdefault("price", Decimal("25.00"))
    kwargs.setdefault("num_in_stock", 10)
    product = create_product(
        title=title or f"Linen shirt {number}", upc=f"UPC-{number}", product_class=product_class, **kwargs
    )
    if photo:
        add_image(product)
    return Product.objects.get(pk=product.pk)


def variant(parent, *, title: str = "", photo: bool = False):
    """A child product of ``parent`` (Oscar's variants have no class of their own)."""
    number = next(_numbers)
    child = Product.objects.create(structure=Product.CHILD, parent=parent, title=title, upc=f"CHILD-{number}")
    if photo:
        add_image(child)
    return Product.objects.get(pk=child.pk)


def grant(user, *codenames: str) -> None:
    """Give ``user`` sora_products permissions by codename (``generate_productvideo``, ``view_costs``...)."""
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="sora_products", codename__in=codenames)
    )


@pytest.fixture(autouse=True)
def _empty_search_index():
    """Each test starts with an empty Whoosh index: the rows an earlier test indexed are gone from the database."""
    from haystack import connections

    connections["default"].get_backend().clear()
    yield


@pytest.fixture
def parent_product(db):
    """A parent ("Linen shirt") with a photo: Oscar's parents hold the class, categories and images."""
    parent = create_product(title="Linen shirt", upc="PARENT-1", product_class="Clothing", structure=Product.PARENT)
    add_image(parent)
    return Product.objects.get(pk=parent.pk)


def pytest_configure(config):
    # Oscar 4.2 itself calls treebeard's old API, and haystack's simple backend warns on every save.
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:treebeard")
    config.addinivalue_line("filterwarnings", "ignore:update is not implemented in this backend")
    config.addinivalue_line("filterwarnings", "ignore:Using Category")
    config.addinivalue_line("filterwarnings", "ignore::SyntaxWarning")
    config.addinivalue_line("filterwarnings", "ignore:Whoosh does not handle query faceting")
