"""Turn a decoded photo into the final frame: sRGB on white, resized whole, padded with its edge colour."""

from __future__ import annotations

import io

from PIL import Image

from . import errors
from .errors import ReferenceImageError
from .geometry import Box

Colour = tuple[int, int, int]

WHITE: Colour = (255, 255, 255)
"""Transparent pixels are composited on white: cut-out packshots are meant to sit on white."""

EDGE_FRACTION = 0.02
"""Thickness of the border strip sampled for the background, as a share of the product's short side."""

JPEG_QUALITY = 90
PNG_COMPRESS_LEVEL = 1
"""zlib level 1 encodes a noisy 720x1280 photo ~7x faster than the default 6 for ~15 % more bytes."""

ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})
SIXTEEN_BIT_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N"})


def _to_srgb(image: Image.Image) -> Image.Image | None:
    """Convert through the embedded ICC profile (Display P3 phones, CMYK print files), else None.

    The output carries no profile, so skipping this would shift the colours of every non-sRGB photo.
    """
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "CMYK", "L"):
        return None
    try:
        from PIL import ImageCms

        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except Exception:  # missing LittleCMS, a broken or mismatched profile: fall back to a plain convert
        return None
    return converted


def _to_eight_bit(image: Image.Image) -> Image.Image:
    """Scale 16/32-bit and float greys into 0..255 explicitly; a plain convert would clip them."""
    if image.mode in SIXTEEN_BIT_MODES:
        image, low, high = image.convert("I"), 0.0, 65535.0
    else:
        low, high = (float(v) for v in image.getextrema())
        if image.mode == "F" and 0.0 <= low and high <= 1.0:
            low, high = 0.0, 1.0
        elif 0 <= low and high <= 255:
            low, high = 0.0, 255.0
        elif 0 <= low and high <= 65535:
            low, high = 0.0, 65535.0
    scale = 255.0 / (high - low) if high > low else 0.0
    return image.point(lambda v: v * scale - low * scale).convert("L")


def _flatten_alpha(image: Image.Image) -> Image.Image:
    """Composite any transparency on white, so the product keeps its intended backdrop."""
    if image.mode == "La":  # premultiplied grey converts only to LA
        image = image.convert("LA")
    rgba = image if image.mode == "RGBA" else image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, WHITE)
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def _has_transparency(image: Image.Image) -> bool:
    """Alpha channel or a tRNS colour key (palette, grey and RGB PNGs, GIF)."""
    return image.mode in ALPHA_MODES or "transparency" in image.info


def to_rgb(image: Image.Image) -> Image.Image:
    """Any Pillow mode to 8-bit sRGB RGB; an unconvertible mode is the shop's to re-export."""
    mode = image.mode
    try:
        if mode == "RGB" and "icc_profile" not in image.info and "transparency" not in image.info:
            return image
        if mode in SIXTEEN_BIT_MODES or mode in ("I", "F"):
            image = _to_eight_bit(image)
        if _has_transparency(image):
            flat = _flatten_alpha(image)  # white is white in every RGB space, so flatten first
            flat.info["icc_profile"] = image.info.get("icc_profile")
            image = flat
        return _to_srgb(image) or (image if image.mode == "RGB" else image.convert("RGB"))
    except (ValueError, NotImplementedError) as exc:
        raise ReferenceImageError(errors.UNSUPPORTED_MODE, params={"mode": mode}) from exc


REDUCIBLE_MODES = frozenset({"L", "LA", "RGB", "RGBA", "RGBX", "CMYK", "YCbCr", "LAB", "I", "F"})
"""Modes where averaging pixel values is meaningful (not palette indices, not hue)."""

REDUCING_GAP = 3.0
"""Shrink by whole factors only while at least this much larger than the box, as resize(reducing_gap=)."""


def shrink(image: Image.Image, box: Box) -> Image.Image:
    """Cheaply drop whole pixels from a huge decoded photo before the mode conversions copy it.

    A 40 MP 16-bit or transparent PNG would otherwise be converted at full size (several 100 MB).
    """
    factor = int(min(image.width / (box[2] * REDUCING_GAP), image.height / (box[3] * REDUCING_GAP)))
    if factor < 2:
        return image
    if image.mode in SIXTEEN_BIT_MODES:
        image = image.convert("I")
    if image.mode not in REDUCIBLE_MODES:
        return image
    return image.reduce(factor)


def fit(image: Image.Image, box: Box) -> Image.Image:
    """Resize the whole photo to the box: Lanczos to shrink (reducing_gap lets Pillow drop whole
    pixels cheaply first), bicubic to enlarge (as sharp, half the cost, less ringing on cut-outs)."""
    width, height = box[2], box[3]
    if image.size == (width, height):
        return image
    if width * height > image.width * image.height:
        return image.resize((width, height), Image.Resampling.BICUBIC)
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)


def _median(histogram: list[int], offset: int) -> int:
    """Median of one 256-bin channel taken from a multi-band histogram."""
    bins = histogram[offset : offset + 256]
    half = (sum(bins) + 1) // 2
    running = 0
    for value, count in enumerate(bins):
        running += count
        if running >= half:
            return value
    return 0


def edge_colour(image: Image.Image, side: str) -> Colour:
    """Median colour of the strip along one side; the median ignores JPEG noise and small objects."""
    width, height = image.size
    thickness = max(1, round(min(width, height) * EDGE_FRACTION))
    strips = {
        "top": (0, 0, width, min(height, thickness)),
        "bottom": (0, max(0, height - thickness), width, height),
        "left": (0, 0, min(width, thickness), height),
        "right": (max(0, width - thickness), 0, width, height),
    }
    histogram = image.crop(strips[side]).histogram()
    return _median(histogram, 0), _median(histogram, 256), _median(histogram, 512)


def compose(product: Image.Image, size: tuple[int, int], box: Box) -> Image.Image:
    """Centre the product in a frame of exactly ``size``; each padding band takes the colour of the
    photo edge it touches, so plain and studio-sweep backgrounds continue without a visible frame."""
    x, y, width, height = box
    if (width, height) == size:
        return product
    sides = ("left", "right") if height == size[1] else ("top", "bottom")
    first, second = edge_colour(product, sides[0]), edge_colour(product, sides[1])
    frame = Image.new("RGB", size, first)
    if second != first:
        far_band = (x + width, 0, *size) if sides[0] == "left" else (0, y + height, *size)
        frame.paste(second, far_band)
    frame.paste(product, (x, y))
    return frame


def encode(image: Image.Image, image_format: str) -> bytes:
    """Encode a fresh file: no EXIF, GPS, ICC or text chunks survive, because nothing is passed on."""
    clean = Image.new("RGB", image.size)  # Pillow would re-embed an icc_profile left in image.info
    clean.paste(image)
    buffer = io.BytesIO()
    if image_format == "JPEG":
        clean.save(buffer, "JPEG", quality=JPEG_QUALITY)
    else:
        clean.save(buffer, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()
