"""Save a product, and a real qcluster worker turns it into a stored, playable MP4 via the emulator."""

from __future__ import annotations

from decimal import Decimal

import av
import pytest

from sora_products.models import ProductVideo, Spend, SpendKind, VideoStatus, WebhookEvent
from tests.factories import make_product

pytestmark = [pytest.mark.worker]


def assert_playable_mp4(path: str, size: tuple[int, int], seconds: int) -> None:
    with av.open(path) as container:
        video = container.streams.video[0]
        assert video.codec_context.name == "h264"
        assert (video.codec_context.width, video.codec_context.height) == size
        assert container.streams.audio, "the clip has a sound track"
        assert abs(float(container.duration / av.time_base) - seconds) < 0.5


@pytest.mark.parametrize("webhooks", [False, True], ids=["polling", "webhooks"])
def test_saving_a_product_ends_in_a_stored_playable_video(stack, webhooks):
    if webhooks:
        stack.use_webhooks()
    stack.start_worker()
    product = make_product(name="Canvas sneaker", category="shoes", colour="white")
    video = ProductVideo.objects.for_product(product).get()

    (video,) = stack.wait_until_terminal([video.pk], timeout=90)

    assert video.status == VideoStatus.READY, video.error_message
    assert_playable_mp4(video.video_file.path, (720, 1280), 8)
    with open(video.video_file.path, "rb") as handle:
        assert handle.read(12)[4:8] == b"ftyp"
    assert video.poster.name.endswith(".webp")
    assert video.reference_image and len(video.reference_hash) == 64
    assert stack.emulator.stats()["creates"] == 1
    spend = Spend.objects.get(video=video)
    assert (spend.kind, spend.settled_amount) == (SpendKind.SETTLED, video.estimated_cost)
    if webhooks:
        assert stack.emulator.stats()["webhooks"]["delivered"] >= 1


def test_on_runway_a_saved_product_ends_in_a_stored_video_settled_at_runways_charge(stack):
    stack.use_runway()
    stack.start_worker()
    product = make_product(name="Canvas sneaker", category="shoes", colour="white")
    video = ProductVideo.objects.for_product(product).get()

    (video,) = stack.wait_until_terminal([video.pk], timeout=90)

    assert video.status == VideoStatus.READY, video.error_message
    assert (video.provider, video.model) == ("default", "gen4.5")
    assert_playable_mp4(video.video_file.path, (720, 1280), 8)
    # Runway keeps no thumbnail: the poster is a copy of the reference image the clip opens on.
    assert video.poster.name.endswith(".jpg") and video.poster.name != video.reference_image.name
    assert video.poster.read() == video.reference_image.read()
    stats = stack.emulator.stats()
    assert stats["creates_by_protocol"] == {"runway": 1}
    # Reserved at the price table (8 s x $0.16 = $1.28), moved to Runway's own estimate once it told, and
    # settled at what it charged: the emulator's 12 credits a second.
    spend = Spend.objects.get(video=video)
    assert (spend.kind, spend.amount, spend.settled_amount) == (SpendKind.SETTLED, Decimal("0.96"), Decimal("0.96"))
    assert video.estimated_cost == video.actual_cost == Decimal("0.96")


@pytest.mark.parametrize("webhooks", [False, True], ids=["polling", "webhooks"])
def test_on_fal_a_saved_product_ends_in_a_stored_video_copied_from_the_cdn(stack, webhooks):
    stack.use_fal(webhooks=webhooks)
    if webhooks:
        stack.apply(WEBHOOK_POLL_INTERVAL=60)  # only the signed callback can finish it in time
    stack.start_worker()
    product = make_product(name="Canvas sneaker", category="shoes", colour="white")
    video = ProductVideo.objects.for_product(product).get()

    (video,) = stack.wait_until_terminal([video.pk], timeout=90)

    assert video.status == VideoStatus.READY, video.error_message
    assert "/requests/" in video.remote_id
    assert_playable_mp4(video.video_file.path, (720, 1280), 8)
    stats = stack.emulator.stats()
    assert stats["creates_by_protocol"] == {"fal": 1}
    spend = Spend.objects.get(video=video)
    assert (spend.kind, spend.settled_amount) == (SpendKind.SETTLED, Decimal("0.80"))  # 8 s x $0.10, Veo 3.1 Fast
    if webhooks:
        assert stats["webhooks"]["delivered"] == 1
        request_id = video.remote_id.rsplit("/", 1)[1]
        assert WebhookEvent.objects.filter(webhook_id__startswith=f"fal:{request_id}:").exists()
