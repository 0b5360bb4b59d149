"""Adapters and registration: how any shop's product model plugs in."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile

import sora_products
from demo_shop.catalog.models import Product
from sora_products.catalog import (
    FieldAdapter,
    RegistrationError,
    RelatedImageAdapter,
    get_adapter,
    is_registered,
    register_from_settings,
    unregister,
)
from sora_products.models import ProductVideo
from tests.factories import make_product, photo_bytes
from tests.testapp.models import Gadget, Garment, GarmentImage

pytestmark = pytest.mark.django_db


@pytest.fixture
def gadget_registered():
    sora_products.register(
        Gadget,
        image_field="photo",
        title_field="title",
        description_field="summary",
        category_field="kind",
        colour_field=None,
    )
    yield
    unregister(Gadget)


@pytest.fixture
def garment_registered():
    sora_products.register(Garment, adapter=RelatedImageAdapter, image_model=GarmentImage)
    yield
    unregister(Garment)


def test_demo_product_is_registered_with_a_field_adapter():
    adapter = get_adapter(Product)
    product = make_product(name="Wool coat", colour="camel", category="apparel")
    assert isinstance(adapter, FieldAdapter)
    assert adapter.get_title(product) == "Wool coat"
    assert adapter.get_colour(product) == "camel"
    assert adapter.is_wearable(product)
    assert adapter.get_source_image(product).name.endswith(".jpg")


def test_home_goods_are_not_wearable():
    lamp = make_product(name="Desk lamp", category="home")
    assert not get_adapter(lamp).is_wearable(lamp)


def test_registering_twice_is_an_error():
    with pytest.raises(RegistrationError, match="already registered"):
        sora_products.register(Product)


def test_unknown_adapter_option_is_a_clear_error():
    with pytest.raises(ImproperlyConfigured, match="no option 'imagefield'"):
        sora_products.register(Gadget, imagefield="photo")
    assert not is_registered(Gadget)


def test_register_works_as_a_decorator():
    decorated = sora_products.register(image_field="photo", title_field="title")(Gadget)
    try:
        assert decorated is Gadget
        assert get_adapter(Gadget).image_field == "photo"
    finally:
        unregister(Gadget)


def test_uuid_keyed_model_gets_its_video(gadget_registered):
    gadget = Gadget(title="Pocket speaker", summary="Small and loud.", kind="audio")
    gadget.photo.save("speaker.png", ContentFile(photo_bytes(fmt="PNG")), save=False)
    gadget.save()
    video = ProductVideo.objects.for_product(gadget).get()
    assert video.object_id == str(gadget.pk)
    assert video.product == gadget
    assert '"Pocket speaker"' in video.prompt


def test_saving_a_related_image_row_counts_as_a_product_save(garment_registered):
    garment = Garment.objects.create(title="Silk dress", colour="emerald")
    assert not ProductVideo.objects.for_product(garment).exists()  # no photo yet, nothing to make
    GarmentImage.objects.create(product=garment, original=ContentFile(photo_bytes(), name="dress.jpg"))
    video = ProductVideo.objects.for_product(garment).get()
    assert video.source_key.startswith("garments/dress")
    assert '"Silk dress"' in video.prompt


def test_the_primary_image_is_the_one_with_the_lowest_display_order(garment_registered):
    garment = Garment.objects.create(title="Silk dress")
    GarmentImage.objects.create(product=garment, original=ContentFile(photo_bytes(), name="back.jpg"), display_order=2)
    GarmentImage.objects.create(product=garment, original=ContentFile(photo_bytes(), name="front.jpg"), display_order=0)
    assert "front" in get_adapter(garment).get_source_image(garment).name


def test_registration_from_settings(settings):
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "ADAPTERS": {"testapp.Gadget": {"ADAPTER": "sora_products.catalog.FieldAdapter", "image_field": "photo"}},
    }
    register_from_settings()
    try:
        assert get_adapter(Gadget).image_field == "photo"
    finally:
        unregister(Gadget)


def test_settings_naming_a_missing_model_is_a_clear_error(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "ADAPTERS": {"shop.Nope": "sora_products.catalog.FieldAdapter"}}
    with pytest.raises(ImproperlyConfigured, match="not an installed model"):
        register_from_settings()


def test_the_names_a_shop_imports_come_from_the_package():
    from sora_products import (  # noqa: F401 - importing them is the test
        FieldAdapter,
        ProductAdapter,
        RelatedImageAdapter,
        get_adapter,
        is_registered,
        register,
        unregister,
    )

    assert is_registered(Product)
    assert issubclass(RelatedImageAdapter, FieldAdapter)
    with pytest.raises(ImportError):
        from sora_products import NoSuchAdapter  # noqa: F401


def test_wearable_categories_are_one_app_wide_setting_that_an_adapter_may_override(settings):
    adapter = sora_products.get_adapter(Product)
    knit = make_product(category="candles")
    assert not adapter.is_wearable(knit)
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "WEARABLE_CATEGORIES": ["Candles"]}
    assert adapter.is_wearable(knit)
    assert not FieldAdapter(Product, wearable_categories=["shoes"]).is_wearable(knit)
