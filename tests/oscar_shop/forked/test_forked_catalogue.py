"""A shop that forked Oscar's catalogue: its own Product class is the one registered, read and administered."""

from __future__ import annotations

import pytest
from django.contrib import admin
from oscar.core.loading import get_model

import sora_products
from sora_products.admin import VideoProductAdminMixin
from sora_products.catalog import get_adapter
from sora_products.contrib.oscar.adapter import OscarProductAdapter
from sora_products.models import ProductVideo
from tests.oscar_shop.conftest import add_image, oscar_product
from tests.oscar_shop.forked_catalogue.models import Product as ForkedProduct
from tests.oscar_shop.test_pages import players
from tests.videos import finish

pytestmark = pytest.mark.django_db


def test_the_forks_product_is_the_one_registered_and_administered():
    assert get_model("catalogue", "Product") is ForkedProduct
    assert sora_products.is_registered(ForkedProduct)
    assert isinstance(get_adapter(ForkedProduct), OscarProductAdapter)
    assert isinstance(admin.site.get_model_admin(ForkedProduct), VideoProductAdminMixin)


def test_the_video_is_made_from_the_photo_the_fork_calls_primary():
    product = oscar_product()
    main = add_image(product, display_order=3)
    main.caption = "main"
    main.save()
    current = ProductVideo.objects.for_product(product).get(outdated=False)
    assert current.source_key.startswith(main.original.name)


def test_the_forks_catalogue_page_shows_the_card_players(client):
    product = oscar_product()
    video = finish(ProductVideo.objects.for_product(product).get())
    assert players(client.get("/catalogue/").content.decode()) == [video.pk]
