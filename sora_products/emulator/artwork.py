"""The pictures: a backdrop from the prompt, colour tints from colour words, the "emulated" mark, camera motion."""

from __future__ import annotations

import colorsys
import hashlib
import math
import re

import numpy as np
from PIL import Image, ImageDraw, ImageFont

COLOUR_WORDS: dict[str, tuple[int, int, int]] = {
    "red": (205, 35, 45),
    "crimson": (180, 20, 50),
    "burgundy": (120, 20, 40),
    "maroon": (110, 25, 30),
    "orange": (240, 130, 30),
    "amber": (245, 170, 40),
    "yellow": (245, 215, 50),
    "gold": (215, 170, 60),
    "green": (40, 160, 70),
    "olive": (110, 120, 40),
    "emerald": (20, 140, 90),
    "mint": (150, 230, 190),
    "teal": (20, 128, 128),
    "turquoise": (60, 200, 200),
    "cyan": (40, 200, 230),
    "blue": (40, 90, 215),
    "navy": (20, 35, 95),
    "cobalt": (0, 70, 170),
    "denim": (60, 90, 140),
    "purple": (120, 50, 170),
    "violet": (140, 80, 200),
    "lavender": (190, 170, 230),
    "pink": (240, 120, 170),
    "magenta": (210, 40, 160),
    "rose": (230, 110, 130),
    "brown": (120, 75, 40),
    "beige": (220, 200, 165),
    "tan": (200, 165, 120),
    "khaki": (190, 175, 120),
    "cream": (245, 235, 210),
    "ivory": (250, 245, 230),
    "white": (245, 245, 245),
    "silver": (190, 195, 200),
    "grey": (128, 128, 132),
    "gray": (128, 128, 132),
    "charcoal": (55, 58, 62),
    "black": (18, 18, 20),
}
_WORD = re.compile(r"[a-z]+")


def prompt_digest(text: str) -> bytes:
    """A stable hash so the same prompt always draws the same picture."""
    return hashlib.sha256(text.encode("utf-8")).digest()


def colour_words(text: str) -> list[tuple[int, int, int]]:
    """Colours named in a prompt, in the order they appear."""
    return [COLOUR_WORDS[word] for word in _WORD.findall(text.lower()) if word in COLOUR_WORDS]


def hashed_colour(digest: bytes, offset: int, *, saturation: float, value: float) -> tuple[int, int, int]:
    """A pleasant colour picked by hash bytes."""
    hue = digest[offset] / 255.0
    r, g, b = colorsys.hsv_to_rgb(hue, saturation, value)
    return int(r * 255), int(g * 255), int(b * 255)


def backdrop(width: int, height: int, prompt: str) -> Image.Image:
    """A studio backdrop: a vertical gradient in the prompt's colours, a soft spotlight and a pedestal."""
    digest = prompt_digest(prompt)
    named = colour_words(prompt)
    top = named[0] if named else hashed_colour(digest, 0, saturation=0.45, value=0.85)
    bottom = named[1] if len(named) > 1 else tuple(int(c * 0.35) for c in top)
    ys = np.linspace(0.0, 1.0, height, dtype=np.float32)[:, None, None]
    gradient = np.asarray(top, np.float32) * (1 - ys) + np.asarray(bottom, np.float32) * ys
    xs = np.linspace(-1.0, 1.0, width, dtype=np.float32)[None, :]
    yy = np.linspace(-1.0, 1.0, height, dtype=np.float32)[:, None]
    cx = (digest[2] / 255.0 - 0.5) * 0.4
    light = np.exp(-(((xs - cx) * 1.3) ** 2 + ((yy + 0.25) * 1.6) ** 2))[:, :, None]
    picture = np.clip(gradient * (0.75 + 0.45 * light) + 18 * light, 0, 255).astype(np.uint8)
    image = Image.fromarray(np.broadcast_to(picture, (height, width, 3)).copy(), "RGB")
    draw = ImageDraw.Draw(image, "RGBA")
    accent = hashed_colour(digest, 3, saturation=0.55, value=0.95)
    w, h = width, height
    draw.ellipse((w * 0.18, h * 0.70, w * 0.82, h * 0.80), fill=(0, 0, 0, 70))  # shadow
    draw.rounded_rectangle((w * 0.30, h * 0.42, w * 0.70, h * 0.74), radius=int(w * 0.05), fill=accent + (235,))
    draw.ellipse((w * 0.30, h * 0.38, w * 0.70, h * 0.46), fill=tuple(min(255, c + 30) for c in accent) + (255,))
    return image


KEEPS_COLOUR = re.compile(r"\bas in the (photo|reference|image)\b", re.IGNORECASE)


def keeps_colour(prompt: str) -> bool:
    """A prompt that asks for the colours of the photo ("exactly ochre as in the photo")."""
    return bool(KEEPS_COLOUR.search(prompt))


def tint(image: Image.Image, prompts: tuple[str, ...]) -> Image.Image:
    """Wash the picture towards the colours each remix prompt names (or a hashed hue if it names none).

    A prompt that asks to keep the colours "as in the photo" is obeyed: it washes nothing, and clears the
    tints of the remixes before it, so a drifted clip can be fixed by a remix."""
    kept = [index for index, prompt in enumerate(prompts) if keeps_colour(prompt)]
    if kept:
        prompts = prompts[kept[-1] + 1 :]
    for prompt in prompts:
        named = colour_words(prompt)
        colour = named[0] if named else hashed_colour(prompt_digest(prompt), 5, saturation=0.7, value=0.9)
        pixels = np.asarray(image, dtype=np.float32)
        luma = pixels @ np.asarray([0.299, 0.587, 0.114], np.float32)
        washed = (0.35 + luma[:, :, None] / 255.0 * 0.9) * np.asarray(colour, np.float32)
        mixed = pixels * 0.45 + washed * 0.55
        image = Image.fromarray(np.clip(mixed, 0, 255).astype(np.uint8), "RGB")
    return image


def shift_hue(image: Image.Image, degrees: float) -> Image.Image:
    """Turn every colour round the hue circle (the colour_drift fault); greys stay grey."""
    if not degrees:
        return image
    hsv = np.asarray(image.convert("HSV")).copy()
    hsv[:, :, 0] = (hsv[:, :, 0].astype(np.int16) + round(degrees / 360 * 256)) % 256
    return Image.fromarray(hsv, "HSV").convert("RGB")


def emulated_mark(width: int) -> Image.Image:
    """A small translucent "EMULATED" badge so nobody mistakes the clip for a real generation."""
    size = max(12, width // 36)
    try:
        font = ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType
        font = ImageFont.load_default()
    text = "EMULATED"  # short: in a phone-wide player it must not reach the AI label at top left
    box = ImageDraw.Draw(Image.new("RGBA", (1, 1))).textbbox((0, 0), text, font=font)
    pad = size // 2
    badge = Image.new("RGBA", (box[2] - box[0] + 2 * pad, box[3] - box[1] + 2 * pad), (0, 0, 0, 0))
    draw = ImageDraw.Draw(badge)
    draw.rounded_rectangle((0, 0, badge.width - 1, badge.height - 1), radius=pad, fill=(0, 0, 0, 120))
    draw.text((pad - box[0], pad - box[1]), text, font=font, fill=(255, 255, 255, 210))
    return badge


class Camera:
    """A slow push-in with a slight drift; the first frame is the source picture unchanged."""

    def __init__(self, width: int, height: int, seed: str, zoom: float = 0.08) -> None:
        digest = prompt_digest(seed)
        self.width, self.height, self.zoom = width, height, zoom
        self.drift_x = (digest[0] / 255.0 - 0.5) * 1.6
        self.drift_y = (digest[1] / 255.0 - 0.5) * 1.6

    def box(self, t: float) -> tuple[float, float, float, float]:
        """The part of the source (left, top, right, bottom) the camera frames at t in [0, 1]."""
        ease = 0.5 - 0.5 * math.cos(math.pi * min(1.0, max(0.0, t)))
        inv = 1.0 / (1.0 + self.zoom * ease)
        half_w, half_h = self.width / 2 * inv, self.height / 2 * inv
        centre_x = self.width / 2 + self.drift_x * (self.width / 2 - half_w)
        centre_y = self.height / 2 + self.drift_y * (self.height / 2 - half_h)
        return (centre_x - half_w, centre_y - half_h, centre_x + half_w, centre_y + half_h)

    def frame(self, source: Image.Image, t: float) -> Image.Image:
        """The source as the camera sees it at t (a separable resize of a sub-pixel box: fast)."""
        if t <= 0:
            return source.copy()
        return source.resize(source.size, Image.Resampling.BILINEAR, box=self.box(t))
