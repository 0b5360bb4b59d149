"""The emulator's parts on their own: body parsing, settings, messages, pictures, sound."""

from __future__ import annotations

import argparse

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from sora_products.emulator import Emulator, EmulatorConfig
from sora_products.emulator.artwork import Camera, backdrop, colour_words, tint
from sora_products.emulator.cli import add_arguments, config_from_options
from sora_products.emulator.errors import join_values
from sora_products.emulator.forms import nest, parse_multipart
from sora_products.emulator.soundtrack import SAMPLE_RATE, ambient
from sora_products.emulator.store import Job, RenderSpec


def test_bracketed_keys_nest():
    pairs = [
        ("prompt", "p"),
        ("input_reference[image_url]", "https://x/y.png"),
        ("characters[][id]", "char_1"),
        ("characters[][id]", "char_2"),
        ("video[id]", "video_1"),
    ]
    assert nest(pairs) == {
        "prompt": "p",
        "input_reference": {"image_url": "https://x/y.png"},
        "characters": [{"id": "char_1"}, {"id": "char_2"}],
        "video": {"id": "video_1"},
    }


def test_multipart_keeps_file_bytes_exactly():
    payload = b"\x89PNG\r\n\r\n--not-a-boundary\r\n\x00\xff"
    body = (
        b'--BOUND\r\nContent-Disposition: form-data; name="prompt"\r\n\r\na mug\r\n'
        b'--BOUND\r\nContent-Disposition: form-data; name="input_reference"; filename="r.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + payload + b"\r\n--BOUND--\r\n"
    )
    assert parse_multipart(body, b"BOUND") == [("prompt", "a mug"), ("input_reference", payload)]


@given(st.binary(max_size=300), st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=50))
def test_multipart_round_trips_any_payload(payload, text):
    boundary = b"b0undary7f3a9c"
    body = (
        b"--"
        + boundary
        + b'\r\nContent-Disposition: form-data; name="t"\r\n\r\n'
        + text.encode()
        + b"\r\n--"
        + boundary
        + b'\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n\r\n'
        + payload
        + b"\r\n--"
        + boundary
        + b"--\r\n"
    )
    assert parse_multipart(body, boundary) == [("t", text), ("f", payload)]


def test_join_values_like_the_provider():
    assert join_values(["4"]) == "'4'"
    assert join_values(["a", "b"]) == "'a' and 'b'"
    assert join_values(["4", "8", "12"]) == "'4', '8', and '12'"


def test_settings_are_checked():
    config = EmulatorConfig()
    config.update(rate_limit_next="3", moderation_words="logo", failure_rate=0.25)
    assert (config.rate_limit_next, config.moderation_words, config.failure_rate) == (3, ("logo",), 0.25)
    with pytest.raises(ValueError, match="Unknown emulator setting"):
        config.update(rate_limit=1)
    with pytest.raises(ValueError, match="between 0 and 1"):
        config.update(failure_rate=2)
    with pytest.raises(TypeError):
        config.update(fast="yes")
    with pytest.raises(ValueError, match="before the emulator starts"):
        config.update(running=True, port=1)
    with pytest.raises(ValueError, match="whsec_"):
        config.update(webhook_secret="plain")
    assert config.frame_rate == 24 and EmulatorConfig(fast=True).frame_rate == 6


def test_every_setting_has_a_command_line_option():
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    dests = {action.dest for action in parser._actions}
    assert set(EmulatorConfig().to_dict()) <= dests
    config = config_from_options(
        vars(
            parser.parse_args(["--port", "0", "--fast", "--moderation-word", "x", "--drop-creates", "2", "--only-2025"])
        )
    )
    assert (config.port, config.fast, config.moderation_words, config.drop_create_responses) == (0, True, ("x",), 2)
    assert config.allow_2026 is False and config.complete_after == 6.0


def test_in_process_object_takes_attribute_changes():
    emulator = Emulator(port=0, complete_after=1)
    emulator.config.failure_rate = 0.5
    assert emulator.settings()["failure_rate"] == 0.5
    assert emulator.base_url.endswith("/v1") and emulator.api_key


def test_colour_words_in_order():
    assert colour_words("A Navy coat with red buttons, not redder") == [(20, 35, 95), (205, 35, 45)]


def test_backdrop_follows_prompt_colours_and_is_stable():
    red = np.asarray(backdrop(72, 128, "a red dress"), dtype=float).reshape(-1, 3).mean(axis=0)
    blue = np.asarray(backdrop(72, 128, "a blue dress"), dtype=float).reshape(-1, 3).mean(axis=0)
    assert red[0] > red[2] and blue[2] > blue[0]
    assert backdrop(72, 128, "same").tobytes() == backdrop(72, 128, "same").tobytes()


def test_tint_without_colour_words_still_changes_the_picture():
    source = Image.new("RGB", (40, 40), (120, 120, 120))
    assert tint(source, ("make it moodier",)).tobytes() != source.tobytes()
    assert tint(source, ()).tobytes() == source.tobytes()


def test_camera_starts_on_the_reference_and_stays_inside():
    camera = Camera(720, 1280, "seed")
    source = Image.new("RGB", (720, 1280), (1, 2, 3))
    assert camera.frame(source, 0).tobytes() == source.tobytes()
    for t in (0.25, 0.5, 1.0):
        left, top, right, bottom = camera.box(t)
        assert 0 <= left < right <= 720 and 0 <= top < bottom <= 1280


def test_ambient_sound_is_quiet_and_faded():
    samples = ambient(4, "seed")
    assert samples.shape == (2, 4 * SAMPLE_RATE)
    assert 0.02 < np.abs(samples).max() < 0.5
    assert np.abs(samples[:, :100]).max() < 0.01 and np.abs(samples[:, -100:]).max() < 0.01


def test_job_status_rises_with_time():
    spec = RenderSpec(720, 1280, 4, "p")
    job = Job(
        id="video_x",
        kind="create",
        model="sora-2",
        size="720x1280",
        seconds="4",
        prompt="p",
        created_at=0,
        started=100.0,
        complete_after=10.0,
        spec=spec,
        directory="/nonexistent",
    )
    assert job.live_status(100.5) == ("queued", 0)
    assert job.live_status(105.0) == ("in_progress", 49)
    assert job.live_status(130.0) == ("in_progress", 99)  # deadline passed, render not finished
    assert len(job.to_dict(101.0)) == 13


def test_the_emulated_mark_sits_top_right_clear_of_the_storefronts_label_and_buttons(tmp_path):
    """The storefront's AI label is top left and its buttons bottom right; the burned-in mark avoids both."""
    import av
    from PIL import Image as PILImage

    from sora_products.emulator.renderer import RenderSettings, render
    from sora_products.emulator.store import RenderSpec

    white = tmp_path / "white.png"
    PILImage.new("RGB", (360, 640), (255, 255, 255)).save(white)
    result = render(
        RenderSpec(360, 640, 1, "white", str(white)), str(tmp_path / "out"), RenderSettings.for_mode(fast=True)
    )
    with av.open(result.video) as container:
        frame = next(container.decode(video=0)).to_image().convert("L")

    def darkness(box):
        pixels = list(frame.crop(box).getdata())
        return 255 - sum(pixels) / len(pixels)

    corner = (360 // 3, 640 // 12)
    top_right = darkness((360 - corner[0], 0, 360, corner[1]))
    assert top_right > 15  # the translucent badge darkens the white frame there
    for box in (
        (0, 0, corner[0], corner[1]),
        (360 - corner[0], 640 - corner[1], 360, 640),
        (0, 640 - corner[1], corner[0], 640),
    ):
        assert darkness(box) < 3, box
