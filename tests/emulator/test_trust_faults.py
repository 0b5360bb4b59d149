"""The emulator's side of the trust checks: colour drift on demand, C2PA on every clip, the reference echoed."""

from __future__ import annotations

import io
import subprocess
import sys

import httpx
import pytest
from PIL import Image

from sora_products.emulator.artwork import shift_hue, tint
from sora_products.emulator.config import EmulatorConfig
from sora_products.emulator.testing import emulator_command
from sora_products.trust.fidelity import sample_frames

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_colour_drift_is_a_share_of_jobs_like_the_failure_rate():
    config = EmulatorConfig()
    config.update(colour_drift="0.25")
    assert config.colour_drift == 0.25
    with pytest.raises(ValueError, match="colour_drift must be between 0 and 1"):
        config.update(colour_drift=2)
    assert emulator_command(colour_drift=1, sign_clips=False)[3:] == ["--colour-drift", "1", "--unsigned"]


def test_colour_drift_set_over_http_shifts_the_products_hue_and_keeps_greys(video_emulator, client):
    answer = httpx.post(video_emulator.url + "/_emulator/config", json={"colour_drift": 1.0})
    assert answer.status_code == 200 and answer.json()["colour_drift"] == 1.0
    drifted = shift_hue(Image.new("RGB", (4, 4), (200, 40, 40)), 60)
    assert drifted.getpixel((0, 0))[1] > 150  # red turned towards yellow-green
    assert shift_hue(Image.new("RGB", (4, 4), (128, 128, 128)), 60).getpixel((0, 0)) == (128, 128, 128)
    video = client.videos.create_and_poll(prompt="a shoe", size="720x1280", seconds="4")
    assert abs(video_emulator.store.get(video.id).spec.hue_shift) >= 40


def test_a_remix_that_asks_for_the_photos_colours_is_not_tinted():
    picture = Image.new("RGB", (4, 4), (40, 90, 160))
    assert tint(picture, ("make it red",)).getpixel((0, 0)) != (40, 90, 160)
    assert tint(picture, ("make it red", "keep the shirt exactly blue as in the photo")).getpixel((0, 0)) == (
        40,
        90,
        160,
    )


def test_every_clip_carries_content_credentials_from_the_published_ca(video_emulator, client):
    c2pa = pytest.importorskip("c2pa")
    ca = httpx.get(video_emulator.url + "/_emulator/c2pa-ca.pem")
    assert ca.status_code == 200 and ca.text.startswith("-----BEGIN CERTIFICATE-----")
    video = client.videos.create_and_poll(prompt="a mug", size="720x1280", seconds="4")
    clip = client.videos.download_content(video.id).read()
    context = c2pa.Context.from_dict({"trust": {"trust_anchors": ca.text}, "verify": {"verify_trust": True}})
    with c2pa.Reader("video/mp4", io.BytesIO(clip), context=context) as reader:
        assert reader.get_validation_state() == "Trusted"
    with c2pa.Reader("video/mp4", io.BytesIO(clip)) as reader:
        assert reader.get_validation_state() == "Valid"  # signed, but by nobody this reader trusts
    video_emulator.configure(sign_clips=False)
    unsigned = client.videos.download_content(client.videos.create_and_poll(prompt="a mug", seconds="4").id).read()
    with pytest.raises(c2pa.C2paError):
        c2pa.Reader("video/mp4", io.BytesIO(unsigned))


def test_the_reference_image_is_echoed_as_the_first_frame(video_emulator, client, tmp_path):
    reference = Image.new("RGB", (720, 1280), (30, 160, 90))
    buffer = io.BytesIO()
    reference.save(buffer, "PNG")
    video = client.videos.create_and_poll(
        prompt="a plant", size="720x1280", seconds="4", input_reference=("ref.png", buffer.getvalue(), "image/png")
    )
    clip = client.videos.download_content(video.id).read()
    (first,) = sample_frames(io.BytesIO(clip), 1, (72, 128))
    r, g, b = first[64, 36]
    assert abs(int(r) - 30) < 8 and abs(int(g) - 160) < 8 and abs(int(b) - 90) < 8


def test_help_lists_the_trust_options():
    result = subprocess.run(
        [sys.executable, "-m", "sora_products.emulator", "--help"], capture_output=True, text=True, timeout=60
    )
    assert "--colour-drift" in result.stdout and "--unsigned" in result.stdout
