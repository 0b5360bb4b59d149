"""Product fidelity: a clean emulator clip goes live, a colour-drifted one is held with a sentence and a fix."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from sora_products import jobs
from sora_products.models import ProductVideo, Spend, SpendKind, VideoStatus
from sora_products.trust.fidelity import check_clip
from tests.factories import make_product
from tests.integration.helpers import assert_ledger_identity, drive

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_approval(provider, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": False}
    return provider


def showcase(**fields) -> ProductVideo:
    return ProductVideo.objects.for_product(make_product(**fields)).get()


def test_a_clean_clip_passes_the_check_and_goes_live(no_approval):
    video = drive(showcase().pk)
    assert video.status == VideoStatus.READY, video.hold_reason
    assert video.fidelity["delta_e"] <= video.fidelity["max_delta_e"] == 3.0
    assert video.fidelity["first_frame_match"] > 0.9
    assert video.fidelity["frames"] == 6
    assert video.fidelity["photo_colour_name"] == video.fidelity["video_colour_name"]
    assert video.is_live and not video.hold_reason


def test_a_drifted_clip_is_held_even_with_approval_off_and_says_what_drifted(no_approval):
    no_approval.configure(colour_drift=1.0)
    video = drive(showcase(name="Field jacket").pk)
    assert video.status == VideoStatus.HELD
    assert not video.is_live and video.video_file  # stored and paid, never shown
    photo, seen = video.fidelity["photo_colour_name"], video.fidelity["video_colour_name"]
    assert photo != seen
    assert f"drifted from the photo: {photo} in the photo, {seen} in the video" in video.hold_reason
    assert video.fidelity["delta_e"] > 3.0
    assert video.fix_prompt == f"Keep the Field jacket exactly {photo} as in the photo, the same colour in every frame."
    settled = Spend.objects.get(video=video)
    assert settled.kind == SpendKind.SETTLED and settled.settled_amount == video.actual_cost > 0
    assert_ledger_identity()


def test_the_suggested_remix_brings_the_colour_back(no_approval):
    no_approval.configure(colour_drift=1.0)
    held = drive(showcase().pk)
    assert held.status == VideoStatus.HELD
    no_approval.configure(colour_drift=0.0)
    fixed = drive(jobs.remix(held, held.fix_prompt).pk)
    assert fixed.status == VideoStatus.READY, fixed.hold_reason
    assert fixed.fidelity["delta_e"] <= 3.0 and fixed.is_live
    assert no_approval.stats()["remixes"] == 1


def test_approving_a_held_video_shows_it_and_rejecting_keeps_it_off(no_approval):
    no_approval.configure(colour_drift=1.0)
    first, second = drive(showcase().pk), drive(showcase().pk)
    jobs.approve(first, approved=True)
    jobs.approve(second, approved=False)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.is_live) == (VideoStatus.READY, True)
    assert (second.status, second.is_live) == (VideoStatus.HELD, False)


def test_the_check_can_be_turned_off_and_a_threshold_changed(no_approval, settings):
    no_approval.configure(colour_drift=1.0)
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "FIDELITY": {"MAX_DELTA_E": 200, "MIN_FIRST_FRAME_MATCH": 0}}
    assert drive(showcase().pk).status == VideoStatus.READY
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "FIDELITY": {"CHECK": False}}
    video = drive(showcase().pk)
    assert video.status == VideoStatus.READY and video.fidelity == {}


def test_an_unreadable_clip_is_stored_as_it_would_have_been(no_approval, tmp_path):
    """The check never costs a paid video: a clip PyAV cannot decode is noted, not held."""
    from sora_products.trust.fidelity import ClipUnreadable

    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64)
    with pytest.raises(ClipUnreadable):
        check_clip(str(broken), Image.new("RGB", (72, 128), "white"))


def test_the_check_samples_a_handful_of_frames_across_a_full_quality_clip(tmp_path):
    from sora_products.emulator.renderer import RenderSettings, render
    from sora_products.emulator.store import RenderSpec
    from tests.photos import photo_bytes

    reference = Image.open(io.BytesIO(photo_bytes((720, 1280)))).convert("RGB")
    reference.save(tmp_path / "reference.png")
    clip = render(
        RenderSpec(720, 1280, 8, "studio", str(tmp_path / "reference.png")),
        str(tmp_path / "clip"),
        RenderSettings.for_mode(fast=False),
    )
    scores = check_clip(clip.video, reference, frames=6)
    assert scores.frames == 6 and scores.delta_e < 2 and scores.first_frame_match > 0.95


def test_a_shopper_waiting_on_a_held_video_is_told_the_shop_checks_it_first(no_approval):
    from sora_products.storefront.shopper_state import shopper_state

    no_approval.configure(colour_drift=1.0)
    state = shopper_state(drive(showcase().pk))
    assert (state.state, state.ready, state.video_url) == ("review", False, "")
    assert "waits for the shop to check it" in state.message


def test_a_held_video_sends_video_held_with_the_reason_and_not_video_ready(
    no_approval, django_capture_on_commit_callbacks
):
    from sora_products.signals import video_held, video_ready

    heard: list[tuple[str, ProductVideo]] = []
    video_held.connect(held := lambda sender, video, **kw: heard.append(("held", video)), weak=False)
    video_ready.connect(ready := lambda sender, video, **kw: heard.append(("ready", video)), weak=False)
    try:
        no_approval.configure(colour_drift=1.0)
        with django_capture_on_commit_callbacks(execute=True):
            video = drive(showcase().pk)
    finally:
        video_held.disconnect(held)
        video_ready.disconnect(ready)
    assert [(kind, v.pk) for kind, v in heard] == [("held", video.pk)]
    assert heard[0][1].hold_reason == video.hold_reason
