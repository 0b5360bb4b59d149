"""Every photo a shop may hold ends as a correct reference or a clear error on the video, never a failed save."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from demo_shop.catalog.models import Product
from sora_products.jobs.reference import PreparationFailed, ensure_reference
from sora_products.models import ProductVideo
from tests.factories import make_product
from tests.image_corpus import ANY, TEST_MAX_PIXELS, build_corpus

pytestmark = pytest.mark.django_db

CORPUS = build_corpus(seed=0)


def test_the_corpus_is_large_and_varied():
    assert len(CORPUS) >= 200
    assert {item.expect for item in CORPUS} >= {"ok", "empty", "not_an_image", "decompression_bomb", "too_large_pixels"}


@pytest.fixture
def pixel_cap(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "MAX_IMAGE_PIXELS": TEST_MAX_PIXELS}


def test_every_corpus_photo_saves_and_ends_as_a_reference_or_a_clear_error(pixel_cap):
    outcomes = {"ok": 0, "error": 0}
    for item in CORPUS:
        product = make_product(photo=item.data, name=item.name)
        if not item.data:
            # An empty upload: the shop's form would refuse it; our save must still not fail.
            assert Product.objects.filter(pk=product.pk).exists()
            continue
        video = ProductVideo.objects.for_product(product).get()
        try:
            reference = ensure_reference(video)
        except PreparationFailed as exc:
            outcomes["error"] += 1
            assert item.expect != "ok", f"{item.name}: {exc}"
            if item.expect != ANY:
                assert exc.code == f"image_{item.expect}", f"{item.name}: {exc.code}"
            assert str(exc).endswith(".") and len(str(exc)) > 20
            continue
        outcomes["ok"] += 1
        assert item.expect in ("ok", ANY), f"{item.name} should have failed with {item.expect}"
        image = Image.open(io.BytesIO(reference.content))
        assert image.size == (720, 1280) and image.mode == "RGB"
        video.refresh_from_db()
        assert video.reference_image and len(video.reference_hash) == 64 and len(video.source_hash) == 64
    assert outcomes["ok"] > 50 and outcomes["error"] > 50


def test_a_photo_missing_from_storage_is_a_clear_error():
    product = make_product()
    video = ProductVideo.objects.for_product(product).get()
    product.image.storage.delete(product.image.name)
    with pytest.raises(PreparationFailed) as info:
        ensure_reference(video)
    assert info.value.code.startswith("image_")
    assert "storage" in str(info.value)


def test_the_reference_is_built_once_and_reused():
    video = ProductVideo.objects.for_product(make_product()).get()
    first = ensure_reference(video)
    video.refresh_from_db()
    stored_name = video.reference_image.name
    second = ensure_reference(video)
    assert second.content == first.content
    video.refresh_from_db()
    assert video.reference_image.name == stored_name


def test_a_deleted_product_is_a_clear_error():
    product = make_product()
    video = ProductVideo.objects.for_product(product).get()
    Product.objects.filter(pk=product.pk).delete()
    video = ProductVideo.objects.get(pk=video.pk)
    with pytest.raises(PreparationFailed, match="no longer exists"):
        ensure_reference(video)
