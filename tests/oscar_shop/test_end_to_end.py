"""An Oscar product made, edited and emptied through Oscar's dashboard form, with a real qcluster and the emulator."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model

from sora_products.models import ProductVideo, VideoStatus
from tests.oscar_shop.dashboard_form import submit
from tests.oscar_shop.test_pages import players
from tests.photos import photo_bytes

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Partner = get_model("partner", "Partner")
Category = get_model("catalogue", "Category")


def upload(name: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_bytes(colour=colour), content_type="image/jpeg")


@pytest.fixture
def shop_staff(client):
    user = get_user_model().objects.create_superuser("owner", "owner@shop.test", "pw")
    client.force_login(user)
    return client


def ready_videos(stack, product) -> list[ProductVideo]:
    """Wait until none of the product's videos is still being made; the current ones, newest first."""
    stack.wait_for(lambda: not ProductVideo.objects.for_product(product).active().exists(), timeout=90)
    return list(ProductVideo.objects.for_product(product).filter(outdated=False).order_by("-pk"))


def test_a_product_made_and_edited_in_oscars_dashboard_gets_and_changes_its_video(stack, shop_staff):
    stack.apply(REQUIRE_APPROVAL=False)
    stack.start_worker()
    ProductClass.objects.create(name="Clothing", slug="clothing", track_stock=True)
    partner = Partner.objects.create(name="Warehouse")
    shirts = Category.add_root(name="Shirts", slug="shirts")
    client = shop_staff

    create_url = reverse("dashboard:catalogue-product-create", kwargs={"product_class_slug": "clothing"})
    submit(
        client,
        create_url,
        {
            "title": "Linen shirt",
            "upc": "LIN-1",
            "productcategory_set-0-category": str(shirts.pk),
            "stockrecords-0-partner": str(partner.pk),
            "stockrecords-0-partner_sku": "LIN-1",
            "stockrecords-0-price": "49.00",
            "stockrecords-0-num_in_stock": "10",
        },
        {"images-0-original": upload("shirt.jpg", (40, 90, 160))},
    )
    product = Product.objects.get(upc="LIN-1")
    first = ready_videos(stack, product)
    assert [(v.status, v.preset) for v in first] == [(VideoStatus.READY, "showcase")]
    assert players(client.get(product.get_absolute_url()).content.decode()) == [first[0].pk]

    update_url = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    submit(client, update_url, {"stockrecords-0-price": "39.00", "stockrecords-0-num_in_stock": "4"})
    assert ProductVideo.objects.for_product(product).count() == 1, "a price change asked for a video"

    submit(client, update_url, {"title": "Linen shirt, relaxed fit"})
    retitled = ready_videos(stack, product)
    assert len(retitled) == 1 and retitled[0].pk != first[0].pk
    assert ProductVideo.objects.get(pk=first[0].pk).outdated
    assert "relaxed fit" in retitled[0].prompt

    submit(client, update_url, {}, {"images-0-original": upload("shirt-navy.jpg", (20, 30, 80))})
    rephotographed = ready_videos(stack, product)
    assert len(rephotographed) == 1 and rephotographed[0].pk != retitled[0].pk
    assert rephotographed[0].source_key != retitled[0].source_key
    assert ProductVideo.objects.get(pk=retitled[0].pk).outdated

    submit(client, update_url, {"images-0-DELETE": "on"})
    assert not Product.objects.get(pk=product.pk).images.exists()
    assert not ProductVideo.objects.for_product(product).filter(outdated=False).exists()
    page = client.get(product.get_absolute_url()).content.decode()
    assert players(page) == []
    # Four saves, three videos made: the price change paid for nothing.
    assert ProductVideo.objects.for_product(product).filter(status=VideoStatus.READY).count() == 3
