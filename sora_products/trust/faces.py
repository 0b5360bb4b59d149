"""Human faces in a reference image, found before any money is spent, and masked with the backdrop.

Uses scikit-image's LBP frontal-face cascade, whose model ships inside the scikit-image wheel (the optional
extra ``sora-products[faces]``): nothing is downloaded at run time. The picture is searched at about 320 px,
and a hit counts only when most of its box is skin-coloured, which drops the cascade's false hits on
textures and print patterns.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

SEARCH_SIDE = 320
MIN_FACE_SIDE = 20
MIN_SKIN_SHARE = 0.35
MAX_PASSES = 3


@dataclass(frozen=True)
class Face:
    """A face's box in the picture's own pixels."""

    left: int
    top: int
    width: int
    height: int


def available() -> bool:
    """True when scikit-image is installed."""
    return importlib.util.find_spec("skimage") is not None


@lru_cache(maxsize=1)
def _detector() -> Any:
    """The cascade, loaded once per process (scikit-image's import alone takes a few hundred ms)."""
    from skimage.data import lbp_frontal_face_cascade_filename
    from skimage.feature import Cascade

    return Cascade(lbp_frontal_face_cascade_filename())


def _skin(rgb: np.ndarray) -> np.ndarray:
    """Pixels in the classic YCbCr skin range (Chai and Ngan), whatever the skin tone."""
    ycc = np.asarray(Image.fromarray(rgb).convert("YCbCr")).astype(np.int16)
    cb, cr = ycc[..., 1], ycc[..., 2]
    return (cb >= 77) & (cb <= 127) & (cr >= 133) & (cr <= 173)


def find_faces(image: Image.Image) -> list[Face]:
    """Frontal faces in the picture, largest first."""
    rgb = image.convert("RGB")
    scale = min(1.0, SEARCH_SIDE / max(rgb.size))
    small = rgb.resize((max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale))), Image.Resampling.BOX)
    pixels = np.asarray(small)
    skin = _skin(pixels)
    if skin.sum() < MIN_FACE_SIDE * MIN_FACE_SIDE * MIN_SKIN_SHARE:
        return []  # not even one face's worth of skin: the cascade (most of the cost) cannot find one we keep
    found = _detector().detect_multi_scale(
        img=pixels, scale_factor=1.2, step_ratio=1, min_size=(MIN_FACE_SIDE, MIN_FACE_SIDE), max_size=pixels.shape[:2]
    )
    faces = []
    for hit in found:
        top, left, height, width = hit["r"], hit["c"], hit["height"], hit["width"]
        if skin[top : top + height, left : left + width].mean() < MIN_SKIN_SHARE:
            continue
        faces.append(Face(round(left / scale), round(top / scale), round(width / scale), round(height / scale)))
    return sorted(faces, key=lambda face: face.width * face.height, reverse=True)


def head_box(face: Face, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The whole head around a face box (hair above, ears beside, chin below), inside the picture."""
    left = face.left - face.width * 0.35
    right = face.left + face.width * 1.35
    top = face.top - face.height * 0.7
    bottom = face.top + face.height * 1.25
    return (max(0, round(left)), max(0, round(top)), min(size[0], round(right)), min(size[1], round(bottom)))


def surrounding_colour(picture: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int]:
    """The median colour of a band around the box: the backdrop behind the head."""
    left, top, right, bottom = box
    pad_x, pad_y = max(2, (right - left) // 6), max(2, (bottom - top) // 6)
    outer = (
        max(0, left - pad_x),
        max(0, top - pad_y),
        min(picture.width, right + pad_x),
        min(picture.height, bottom + pad_y),
    )
    ring = np.asarray(picture.crop(outer)).reshape(-1, 3)
    inner = np.zeros((outer[3] - outer[1], outer[2] - outer[0]), bool)
    inner[top - outer[1] : bottom - outer[1], left - outer[0] : right - outer[0]] = True
    around = ring[~inner.reshape(-1)]
    return tuple(int(v) for v in np.median(around if len(around) else ring, axis=0))


def mask_faces(image: Image.Image) -> tuple[Image.Image, int]:
    """The picture with every head filled with the backdrop around it, and how many were masked.

    Searches again after masking (a second, smaller face may show once the first is gone); a face still
    found after a few passes is left for the caller to refuse."""
    picture = image.convert("RGB").copy()
    masked = 0
    for _ in range(MAX_PASSES):
        faces = find_faces(picture)
        if not faces:
            break
        draw = ImageDraw.Draw(picture)
        for face in faces:
            box = head_box(face, picture.size)
            draw.ellipse(box, fill=surrounding_colour(picture, box))
        masked += len(faces)
    return picture, masked
