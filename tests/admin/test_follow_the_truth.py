"""Admin pages say what is true: "Live" when approval is off, a plain outdated sentence, a broken photo at once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sora_products.models import ProductVideo
from tests.factories import make_product, photo_bytes
from tests.storefront.helpers import finish

pytestmark = pytest.mark.django_db

LIST = "admin:sora_products_productvideo_changelist"


def review_cells(html: str) -> list[str]:
    return re.findall(r'<td class="field-review_column">(.*?)</td>', html, re.S)


def test_with_approval_off_a_ready_video_reads_live_not_pending_review(admin_client, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": False}
    finish(ProductVideo.objects.for_product(make_product()).get(), approved=False)
    (cell,) = review_cells(admin_client.get(reverse(LIST)).content.decode())
    assert ">Live<" in cell and "Pending review" not in cell


def test_with_approval_on_an_unreviewed_video_reads_pending_review(admin_client):
    finish(ProductVideo.objects.for_product(make_product()).get(), approved=False)
    (cell,) = review_cells(admin_client.get(reverse(LIST)).content.decode())
    assert "Pending review" in cell


def test_an_outdated_video_says_so_in_a_plain_sentence(admin_client):
    product = make_product(name="Old title")
    video = finish(ProductVideo.objects.for_product(product).get())
    url = reverse("admin:sora_products_productvideo_change", args=[video.pk])
    assert "Current: made from the product as it is now." in admin_client.get(url).content.decode()
    product.name = "New title"
    product.save()
    html = admin_client.get(url).content.decode()
    assert "Outdated: the product changed after this video was asked for" in html
    cells = review_cells(admin_client.get(reverse(LIST)).content.decode())
    assert sum("Outdated: the product changed" in cell for cell in cells) == 1


def test_a_truncated_photo_saves_but_the_product_page_says_no_video_can_be_made(admin_client):
    broken = photo_bytes()[:600]
    product = make_product(name="Broken photo", photo=broken)
    url = reverse("admin:catalog_product_change", args=[product.pk])
    html = admin_client.get(url).content.decode()
    assert "No video can be made of this product" in html
    fine = make_product(name="Fine photo")
    html = admin_client.get(reverse("admin:catalog_product_change", args=[fine.pk])).content.decode()
    assert "No video can be made" not in html


def test_the_photo_warning_is_in_each_readers_language_whoever_saw_it_first(admin_client):
    product = make_product(name="Broken photo", photo=photo_bytes()[:600])
    url = reverse("admin:catalog_product_change", args=[product.pk])
    assert "No video can be made of this product" in admin_client.get(url).content.decode()
    html = admin_client.get(url, headers={"accept-language": "ja"}).content.decode()
    assert "この商品の動画は作成できません" in html and "No video can be made" not in html
