"""Oscar's Product read through the contrib app's adapter, registered with no code in the shop."""

from __future__ import annotations

from decimal import Decimal

import pytest
from oscar.test.factories import CategoryFactory

import sora_products
from sora_products.catalog import get_adapter
from sora_products.contrib.oscar.adapter import OscarProductAdapter
from sora_products.models import ProductVideo, VideoStatus
from tests.oscar_shop.conftest import Product, add_image, oscar_product, variant

pytestmark = pytest.mark.django_db


def test_oscar_product_is_registered_by_the_contrib_app():
    assert sora_products.is_registered(Product)
    assert isinstance(get_adapter(Product), OscarProductAdapter)


def test_the_adapter_reads_title_description_and_the_first_image_by_display_order():
    product = oscar_product(title="Linen shirt", description="<p>Breezy <b>linen</b>, cut loose.</p>")
    second = add_image(product, display_order=1)
    adapter = get_adapter(product)
    fields = adapter.get_prompt_fields(product)
    assert fields["title"] == "Linen shirt"
    assert fields["description"] == "Breezy linen, cut loose."
    assert fields["category"] == "Clothing"
    first = product.images.get(display_order=0)
    assert adapter.get_source_image(product).name == first.original.name
    # Reordering so the other photo is primary changes the photo videos are made from.
    first.display_order, second.display_order = 2, 0
    first.save()
    second.save()
    assert adapter.get_source_image(product).name == second.original.name


def test_a_product_without_images_has_no_photo_and_asks_for_nothing():
    product = oscar_product(photo=False)
    assert get_adapter(product).get_source_image(product) is None
    assert not ProductVideo.objects.for_product(product).exists()


def test_saving_an_image_asks_for_the_showcase_video():
    product = oscar_product(photo=False)
    add_image(product)
    video = ProductVideo.objects.for_product(product).get()
    assert (video.preset, video.status) == ("showcase", VideoStatus.REQUESTED)


def test_wearable_comes_from_the_class_or_any_category_or_ancestor(settings):
    clothing = oscar_product(product_class="Clothing")
    book = oscar_product(product_class="Books")
    adapter = get_adapter(clothing)
    assert adapter.is_wearable(clothing)
    assert not adapter.is_wearable(book)
    # Oscar's categories are many-to-many and nested: a "Dresses" leaf under "Women" makes it wearable.
    women = CategoryFactory(name="Women")
    dresses = women.add_child(name="Dresses", slug="dresses")
    gift = oscar_product(product_class="Gifts")
    gift.categories.add(dresses)
    assert adapter.is_wearable(Product.objects.get(pk=gift.pk))


def test_what_is_wearable_is_one_app_wide_setting(settings):
    gadget = oscar_product(product_class="Candles")
    adapter = get_adapter(gadget)
    assert not adapter.is_wearable(gadget)
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "WEARABLE_CATEGORIES": ["candles"]}
    assert adapter.is_wearable(gadget)
    # The adapter's own list, when set, wins over the setting.
    own = OscarProductAdapter(Product, wearable_categories=["books"])
    assert not own.is_wearable(gadget)


def test_a_stock_record_change_asks_for_nothing():
    product = oscar_product()
    fields = ("pk", "spec_key", "status", "outdated")
    before = list(ProductVideo.objects.for_product(product).values_list(*fields))
    assert before[0][2:] == (VideoStatus.REQUESTED, False)
    record = product.stockrecords.get()
    record.price = Decimal("19.00")
    record.num_in_stock = 3
    record.save()
    product.save()  # Oscar's dashboard saves the product with its stock record
    assert list(ProductVideo.objects.for_product(product).values_list(*fields)) == before


def test_deleting_the_only_image_takes_the_video_off_and_supersedes_the_unsent_one():
    product = oscar_product()
    video = ProductVideo.objects.for_product(product).get()
    product.images.get().delete()
    video.refresh_from_db()
    assert video.outdated and video.status == VideoStatus.SUPERSEDED


def test_a_variant_without_a_photo_shares_its_parent_and_asks_for_nothing(parent_product):
    child = variant(parent_product, title="Linen shirt, large")
    adapter = get_adapter(child)
    assert adapter.get_video_product(child) == parent_product
    child.title = "Linen shirt, L"
    child.save()
    assert not ProductVideo.objects.for_product(child).exists()
    assert ProductVideo.objects.for_product(parent_product).count() == 1


def test_a_variant_with_its_own_photo_pays_for_nothing_unless_the_shop_asks(parent_product, settings):
    from sora_products import jobs

    child = variant(parent_product, photo=True)
    assert not ProductVideo.objects.for_product(child).exists()
    # Asking for the child's video (the admin's Generate, a try-on) gets the parent's, paid once.
    video, created = jobs.request_video(child, "showcase")
    assert not created and video.object_id == str(parent_product.pk)

    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "OSCAR": {"CHILD_VIDEOS": True}}
    add_image(child, display_order=1)  # any image save of the child now counts for the child itself
    own = ProductVideo.objects.for_product(child).get()
    assert own.source_key.startswith(child.images.get(display_order=0).original.name)


def test_a_variants_own_video_follows_its_parents_text(parent_product, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "OSCAR": {"CHILD_VIDEOS": True}}
    child = variant(parent_product, photo=True)
    own = ProductVideo.objects.for_product(child).get()
    assert "Linen shirt" in own.prompt
    parent_product.title = "Seersucker shirt"
    parent_product.save()
    current = ProductVideo.objects.for_product(child).get(outdated=False)
    assert current.pk != own.pk and "Seersucker shirt" in current.prompt
    assert ProductVideo.objects.get(pk=own.pk).status == VideoStatus.SUPERSEDED  # never sent, never paid


def test_the_photo_is_the_one_oscar_shows_its_primary_image(monkeypatch):
    product = oscar_product()
    other = add_image(product, display_order=5)
    # A forked catalogue may pick its primary image its own way; the video follows what the shop shows.
    monkeypatch.setattr(Product, "primary_image", lambda self: other)
    assert get_adapter(product).get_source_image(product).name == other.original.name
