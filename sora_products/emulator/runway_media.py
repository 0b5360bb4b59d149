"""Runway's input media: data URIs and http(s) URLs read with a size cap, images checked and cropped to the output size.

The emulator reaches no network beyond loopback, so an https URL to a real CDN fails with a 400 that says so;
``runway://`` upload URIs are refused because uploads are not emulated.
"""

from __future__ import annotations

import base64
import binascii
import io
import urllib.error
import urllib.request

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ApiError

MAX_INLINE_BYTES = 5 * 1024 * 1024  # data URIs, and every image (Runway's limit)
MAX_VIDEO_URL_BYTES = 32 * 1024 * 1024  # the emulator's own cap on a fetched input video
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
FETCH_TIMEOUT = 10
VIDEO_CONTAINERS = ("mp4", "mov", "webm", "matroska")


def read_uri(uri: str, field: str, limit: int) -> bytes:
    """The bytes behind a data URI or an http(s) URL, refused with a 400 naming the field when over limit."""
    if uri.startswith("data:"):
        return _decode_data_uri(uri, field, min(limit, MAX_INLINE_BYTES))
    if uri.startswith("runway://"):
        raise ApiError(
            400, f"Invalid '{field}': runway:// upload URIs are not emulated; send a data URI or an http(s) URL."
        )
    if not uri.startswith(("http://", "https://")):
        raise ApiError(400, f"Invalid '{field}': expected an HTTPS URL or a base64 data URI, got '{uri[:40]}'.")
    try:
        with urllib.request.urlopen(uri, timeout=FETCH_TIMEOUT) as response:  # noqa: S310 - scheme checked above
            data = response.read(limit + 1)
    except urllib.error.HTTPError as error:
        raise ApiError(400, f"Invalid '{field}': downloading {uri} answered HTTP {error.code}.") from None
    except (OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise ApiError(400, f"Invalid '{field}': {uri} could not be downloaded ({reason}).") from None
    _check_size(len(data), field, limit)
    return data


def load_image(data: bytes, field: str) -> Image.Image:
    """Decode a JPEG, PNG or WebP; anything else is a 400 naming the field."""
    _check_size(len(data), field, MAX_INLINE_BYTES)
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ApiError(400, f"Invalid '{field}': the data is not an image; send a JPEG, PNG or WebP.") from None
    if image.format not in IMAGE_FORMATS:
        raise ApiError(400, f"Invalid '{field}': {image.format} images are not accepted; send a JPEG, PNG or WebP.")
    return image


def fit_image(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Scale and centre-crop to exactly size (keeping transparency for the renderer to put on white)."""
    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
    picture = image.convert(mode)
    if picture.size == size:
        return picture
    return ImageOps.fit(picture, size, Image.Resampling.LANCZOS)


def first_frame(path: str, field: str) -> tuple[Image.Image, float]:
    """The first picture of a video file and its length in seconds; a 400 naming the field if it is no video."""
    import av  # PyAV is only needed once a video comes in

    try:
        with av.open(path) as container:
            if not any(name in VIDEO_CONTAINERS for name in container.format.name.split(",")):
                raise ValueError(container.format.name)  # a still image opens too, but is no video
            stream = container.streams.video[0]
            frame = next(container.decode(stream))
            picture = frame.to_image()
            if container.duration:
                seconds = container.duration / 1_000_000
            elif stream.duration and stream.time_base:
                seconds = float(stream.duration * stream.time_base)
            else:
                seconds = 0.0
    except (av.error.FFmpegError, IndexError, StopIteration, OSError, ValueError):
        raise ApiError(400, f"Invalid '{field}': the data is not a video the emulator can read; send an MP4.") from None
    return picture, seconds


def _decode_data_uri(uri: str, field: str, limit: int) -> bytes:
    header, comma, encoded = uri.partition(",")
    if not comma or not header.endswith(";base64"):
        raise ApiError(400, f"Invalid '{field}': expected a base64 data URI (data:<type>;base64,...).")
    _check_size(len(encoded) * 3 // 4 - 2, field, limit)  # refuse before decoding a huge payload
    try:
        data = base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error):
        raise ApiError(400, f"Invalid '{field}': the data URI is not valid base64.") from None
    _check_size(len(data), field, limit)
    return data


def _check_size(size: int, field: str, limit: int) -> None:
    if size > limit:
        raise ApiError(
            400, f"Invalid '{field}': the input is {size / 1_048_576:.1f} MB, above the {limit // 1_048_576} MB "
            "limit; send a smaller file.",
        )  # fmt: skip
