"""Product saves: videos are asked for when, and only when, the photo or prompt inputs change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import serializers
from django.core.files.base import ContentFile

from demo_shop.catalog.models import Product
from sora_products import budget
from sora_products.models import ProductVideo, VideoStatus
from sora_products.queues import CapturingQueue
from tests.factories import make_product, photo_bytes

pytestmark = pytest.mark.django_db


def videos(product):
    return ProductVideo.objects.for_product(product)


def test_saving_a_product_with_a_photo_asks_for_its_showcase_video(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        product = make_product(name="Linen shirt", colour="white")
    video = videos(product).get()
    assert (video.preset, video.status, video.size, video.seconds) == ("showcase", VideoStatus.REQUESTED, "720x1280", 8)
    assert '"Linen shirt"' in video.prompt
    assert video.estimated_cost == Decimal("0.80")
    assert CapturingQueue.captured == [video.pk]


def test_a_save_that_changes_nothing_relevant_asks_for_nothing(django_capture_on_commit_callbacks):
    product = make_product()
    CapturingQueue.captured.clear()
    with django_capture_on_commit_callbacks(execute=True):
        product.save()
        product.price = Decimal("39.00")  # the price is not part of any prompt
        product.save()
    assert videos(product).count() == 1
    assert CapturingQueue.captured == []


def test_a_changed_description_outdates_the_old_video_and_asks_for_a_new_one():
    product = make_product(description="Cotton.")
    old = videos(product).get()
    product.description = "Organic cotton, garment dyed."
    product.save()
    old.refresh_from_db()
    assert old.outdated
    current = videos(product).get(outdated=False)
    assert current.pk != old.pk and "garment dyed" in current.prompt


def test_a_new_photo_outdates_the_old_video():
    product = make_product()
    product.image.save("new.jpg", ContentFile(photo_bytes(colour=(200, 30, 30))), save=False)
    product.save()
    assert videos(product).filter(outdated=True).count() == 1
    assert videos(product).filter(outdated=False).count() == 1


def test_going_back_to_the_old_inputs_reuses_the_old_row():
    product = make_product(description="Cotton.")
    product.description = "Wool."
    product.save()
    product.description = "Cotton."
    product.save()
    assert videos(product).count() == 2


def test_no_photo_no_video():
    product = make_product(photo=b"")
    assert not videos(product).exists()


def test_auto_generation_can_be_turned_off(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "AUTO_GENERATE": False}
    product = make_product()
    assert not videos(product).exists()


def test_fixture_loading_does_not_ask_for_videos():
    product = make_product()
    ProductVideo.objects.all().delete()
    data = serializers.serialize("json", [product])
    for obj in serializers.deserialize("json", data):
        obj.save()  # raw=True, as loaddata does
    assert not ProductVideo.objects.exists()


def test_a_broken_photo_never_breaks_the_save():
    product = make_product(photo=b"this is not a JPEG at all")
    assert Product.objects.filter(pk=product.pk).exists()
    assert videos(product).get().status == VideoStatus.REQUESTED  # the worker reports the problem


def test_an_error_inside_the_app_never_breaks_the_save(monkeypatch):
    from sora_products import jobs

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(jobs, "product_changed", explode)
    product = make_product()
    assert Product.objects.filter(pk=product.pk).exists()


def test_video_ready_and_failed_signals_are_sent(django_capture_on_commit_callbacks):
    from sora_products import jobs
    from sora_products.signals import video_failed

    received = []
    video_failed.connect(lambda sender, video, **kw: received.append(video.pk), weak=False, dispatch_uid="t")
    try:
        video = videos(make_product()).get()
        with django_capture_on_commit_callbacks(execute=True):
            jobs.fail(video, "test", "Failed for the test.", spend=budget.RELEASED)
    finally:
        video_failed.disconnect(dispatch_uid="t")
    assert received == [video.pk]


def test_saving_a_loaded_product_with_unrelated_changes_costs_no_extra_query(django_assert_num_queries):
    product = Product.objects.get(pk=make_product().pk)
    product.price = Decimal("12.00")
    with django_assert_num_queries(1):  # the UPDATE of the product itself
        product.save()
    product.colour = "ivory"  # a prompt input: now the app looks
    product.save()
    assert videos(product).filter(outdated=True).count() == 1
