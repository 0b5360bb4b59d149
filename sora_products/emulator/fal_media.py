"""Image inputs for the fal endpoints: data URIs or http(s) URLs, read with a size cap and fitted to the clip.

URLs of the emulator's own files (``https://127.0.0.1:PORT/files/...``) are read from disk: the emulator would not
trust its own CA over urllib, and a product pipeline may well feed one clip's still into the next request.
"""

from __future__ import annotations

import base64
import binascii
import io
import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

from PIL import Image, ImageOps, UnidentifiedImageError

from .fal_errors import FalError, field_error, invalid_input

FETCH_TIMEOUT = 10
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
OWN_FILE = re.compile(r"/files/(?P<request_id>[^/]+)/(?P<name>[^/]+)")
DOWNLOAD_MESSAGE = "Failed to download the file. Please check if the URL is accessible."
LOAD_MESSAGE = "Failed to load the image. Please ensure the image file is not corrupted and is in a supported format."


def read_image(
    url: str, field: str, limit: int, own_file: Callable[[str, str], str | None], own_port: int
) -> Image.Image:
    """Fetch and decode the image behind url; a 422 naming the field when it cannot be had or is no image.

    own_file(request_id, name) gives the path of one of the emulator's files (None if there is none)."""
    data = _read(url, field, limit, own_file, own_port)
    if len(data) > limit:
        raise _too_large(field, limit)
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        image = None
    if image is None or image.format not in IMAGE_FORMATS:
        raise invalid_input([field_error(field, LOAD_MESSAGE, "image_load_error")])
    return image


def check_min_side(image: Image.Image, field: str, minimum: int) -> None:
    """Veo wants at least a 720p picture; smaller ones are refused with image_too_small."""
    if minimum and min(image.size) < minimum:
        raise invalid_input(
            [
                field_error(
                    field,
                    f"Image dimensions are too small. Minimum dimensions are {minimum}x{minimum} pixels.",
                    "image_too_small",
                    ctx={"min_height": minimum, "min_width": minimum},
                )
            ]
        )


def fit(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Scale and centre-crop to exactly size, as the providers crop pictures of another shape; keeps transparency."""
    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
    picture = image.convert(mode)
    if picture.size == size:
        return picture
    return ImageOps.fit(picture, size, Image.Resampling.LANCZOS)


def _read(url: str, field: str, limit: int, own_file: Callable[[str, str], str | None], own_port: int) -> bytes:
    if url.startswith("data:"):
        header, comma, encoded = url.partition(",")
        if comma and header.endswith(";base64"):
            if len(encoded) * 3 // 4 > limit + 3:
                raise _too_large(field, limit)  # refused before decoding megabytes
            try:
                return base64.b64decode(encoded, validate=True)
            except (ValueError, binascii.Error):
                pass
        raise invalid_input([field_error(field, LOAD_MESSAGE, "image_load_error")])
    if not url.startswith(("http://", "https://")):
        raise invalid_input([field_error(field, DOWNLOAD_MESSAGE, "file_download_error", value=url)])
    parts = urlsplit(url)
    match = OWN_FILE.fullmatch(parts.path)
    if parts.hostname in LOOPBACK and parts.port == own_port and parts.scheme == "https" and match:
        path = own_file(match.group("request_id"), match.group("name"))
        if path is None or not os.path.exists(path):
            raise invalid_input([field_error(field, DOWNLOAD_MESSAGE, "file_download_error", value=url)])
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    try:
        with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT) as response:  # noqa: S310 - scheme checked above
            return response.read(limit + 1)
    except (urllib.error.URLError, OSError, ValueError):
        raise invalid_input([field_error(field, DOWNLOAD_MESSAGE, "file_download_error", value=url)]) from None


def _too_large(field: str, limit: int) -> FalError:
    return invalid_input(
        [
            field_error(
                field,
                f"File size exceeds the maximum allowed size of {limit // (1024 * 1024)} MB.",
                "file_too_large",
                ctx={"max_size": limit},
            )
        ]
    )
