"""Product photos for tests, made with Pillow (no demo models, so the Oscar shop can use them too)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw


def photo_bytes(
    size: tuple[int, int] = (600, 800), colour: tuple[int, int, int] = (40, 90, 160), fmt: str = "JPEG"
) -> bytes:
    """A plain studio photo with a coloured product shape in the middle."""
    image = Image.new("RGB", size, (236, 236, 232))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rounded_rectangle((w * 0.25, h * 0.2, w * 0.75, h * 0.85), radius=int(w * 0.05), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()
