"""Save a product, and a real qcluster worker turns it into a stored, playable MP4 via the emulator."""

from __future__ import annotations

import av
import pytest

from sora_products.models import ProductVideo, Spend, SpendKind, VideoStatus
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
