"""Emulator tests: an official-SDK client pointed at the emulator, and image helpers.

``video_emulator`` comes from the ``sora_products.emulator.testing`` plugin, which the root conftest loads
(importing the fixtures here as well would start a second session emulator).
"""

from __future__ import annotations

import io

import pytest
from openai import OpenAI
from PIL import Image


def png_bytes(size: tuple[int, int] = (720, 1280), colour: tuple[int, int, int] = (40, 150, 90)) -> bytes:
    """A PNG of exactly this size with a bright square, so frames have something to look at."""
    image = Image.new("RGB", size, colour)
    width, height = size
    image.paste((240, 240, 240), (width // 4, height // 3, width * 3 // 4, height * 2 // 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def client(video_emulator) -> OpenAI:
    """The official SDK, unchanged, with SDK retries off so every fault is visible."""
    return OpenAI(base_url=video_emulator.base_url, api_key=video_emulator.api_key, max_retries=0)


@pytest.fixture
def completed_video(client):
    """A finished 4-second 720x1280 video made from a PNG reference."""
    reference = ("ref.png", png_bytes(), "image/png")
    video = client.videos.create_and_poll(prompt="a green mug on a table", input_reference=reference)
    assert video.status == "completed", video
    return video
