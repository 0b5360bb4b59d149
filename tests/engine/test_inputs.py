"""Nothing is paid for a video nobody wants: superseded before sending, retired with its photo, revived on return."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

import sora_products
from sora_products import jobs, live_counter
from sora_products.catalog import RelatedImageAdapter, unregister
from sora_products.conf import app_settings
from sora_products.models import ProductVideo, Spend, SpendKind, VideoStatus
from sora_products.storefront import live_video
from tests.factories import make_product, photo_bytes
from tests.integration.helpers import assert_ledger_identity, drive
from tests.stack import run_concurrently
from tests.storefront.helpers import finish
from tests.testapp.models import Garment, GarmentImage

pytestmark = pytest.mark.django_db


def videos(product):
    return ProductVideo.objects.for_product(product).order_by("pk")


def test_a_video_whose_product_changed_before_it_was_sent_is_superseded_and_never_sent(provider, _captured_queue):
    product = make_product(name="Linen shirt")
    product.name = "Linen shirt, washed"  # the typo fixed before any worker ran
    product.save()
    first, second = videos(product)
    assert (first.status, first.outdated) == (VideoStatus.SUPERSEDED, True)
    assert "before this video was sent" in first.error_message
    for video in (first, second):  # a worker now runs the task each row was given
        drive(video.pk)
    assert provider.stats()["creates"] == 1
    second.refresh_from_db()
    assert second.status == VideoStatus.READY and not second.outdated
    assert not Spend.objects.filter(video=first).exists()
    assert_ledger_identity()


def test_a_video_already_sent_finishes_and_is_kept_as_outdated(provider):
    product = make_product(name="Wool coat")
    sent = videos(product).get()
    jobs.process(sent.pk)  # claimed and created
    product.name = "Wool coat, camel"
    product.save()
    sent.refresh_from_db()
    assert sent.status != VideoStatus.SUPERSEDED and sent.outdated
    assert drive(sent.pk).status == VideoStatus.READY
    assert Spend.objects.get(video=sent).kind == SpendKind.SETTLED


def test_inputs_that_return_to_an_earlier_state_make_its_video_current_again(provider, _captured_queue):
    product = make_product(name="Title A")
    a = videos(product).get()
    assert drive(a.pk).status == VideoStatus.READY
    jobs.approve(a)
    product.name = "Title B"
    product.save()
    b = videos(product).exclude(pk=a.pk).get()
    product.name = "Title A"
    product.save()
    a.refresh_from_db()
    b.refresh_from_db()
    assert not a.outdated and a.status == VideoStatus.READY, "A's video is current again, without paying again"
    assert (b.status, b.outdated) == (VideoStatus.SUPERSEDED, True)
    assert live_video(type(product).objects.get(pk=product.pk)).pk == a.pk
    # B again: its superseded video is asked for again, once.
    product.name = "Title B"
    product.save()
    b.refresh_from_db()
    assert (b.status, b.outdated) == (VideoStatus.REQUESTED, False)
    assert drive(b.pk).status == VideoStatus.READY
    assert provider.stats()["creates"] == 2
    assert_ledger_identity()


def test_clearing_the_photo_takes_the_video_off_the_product_page(client):
    product = make_product(name="Canvas tote")
    video = finish(videos(product).get())
    assert "<video" in client.get(product.get_absolute_url()).content.decode()
    product.image = None
    product.save()
    video.refresh_from_db()
    assert video.outdated
    assert "<video" not in client.get(product.get_absolute_url()).content.decode()


@pytest.fixture
def garments():
    sora_products.register(Garment, adapter=RelatedImageAdapter, image_model=GarmentImage)
    yield
    unregister(Garment)


def test_deleting_the_only_related_photo_retires_the_video_and_putting_it_back_revives_it(garments):
    garment = Garment.objects.create(title="Silk dress", colour="emerald")
    image = GarmentImage.objects.create(product=garment, original=ContentFile(photo_bytes(), name="dress.jpg"))
    video = finish(videos(garment).get())
    assert live_video(garment) is not None
    name = image.original.name
    image.delete()
    video.refresh_from_db()
    assert video.outdated and live_video(Garment.objects.get(pk=garment.pk)) is None
    assert videos(garment).count() == 1, "no video is asked for a product without a photo"
    GarmentImage.objects.create(product=garment, original=name)  # the same file put back
    video.refresh_from_db()
    assert not video.outdated and live_video(Garment.objects.get(pk=garment.pk)).pk == video.pk


def test_deleting_an_unsent_related_photo_supersedes_its_video(garments):
    garment = Garment.objects.create(title="Silk scarf")
    image = GarmentImage.objects.create(product=garment, original=ContentFile(photo_bytes(), name="scarf.jpg"))
    image.delete()
    assert videos(garment).get().status == VideoStatus.SUPERSEDED


def test_deleting_a_product_supersedes_unsent_videos_and_takes_the_rest_off_the_storefront(garments):
    product = make_product(name="Desk lamp")
    ready = finish(videos(product).get())
    product.name = "Desk lamp, brass"
    product.save()
    unsent = videos(product).exclude(pk=ready.pk).get()
    ProductVideo.objects.filter(pk=ready.pk).update(outdated=False)
    live_counter.changed()  # a direct update sends no signal
    pk = product.pk
    product.delete()
    ready.refresh_from_db()
    unsent.refresh_from_db()
    assert ready.outdated and ready.status == VideoStatus.READY
    assert unsent.status == VideoStatus.SUPERSEDED
    assert not ProductVideo.objects.filter(object_id=str(pk)).live().exists()
    garment = Garment.objects.create(title="Wrap dress")
    GarmentImage.objects.create(product=garment, original=ContentFile(photo_bytes(), name="wrap.jpg"))
    garment.delete()  # the cascade deletes the image first; neither receiver may break the delete
    assert not Garment.objects.exists()


def test_the_product_page_still_renders_after_a_video_is_retired(client):
    product = make_product(name="Scarf")
    finish(videos(product).get())
    product.delete()
    assert client.get(reverse("catalog:list")).status_code == 200


def test_overlapping_sync_passes_hand_each_due_row_over_once(_captured_queue, transactional_db):
    for _ in range(12):
        make_product()
    _captured_queue.clear()
    errors = run_concurrently(4, jobs.sync)
    assert not errors
    assert sorted(_captured_queue) == sorted(ProductVideo.objects.values_list("pk", flat=True))


def test_settings_naming_the_old_queue_module_keep_working(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "QUEUE": "sora_products.queue.CapturingQueue"}
    assert app_settings.QUEUE == "sora_products.queues.CapturingQueue"
    with pytest.raises(ModuleNotFoundError):
        __import__("sora_products.queue")
