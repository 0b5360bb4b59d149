"""What the provider accepts (models, sizes, durations, prompts, reference images) and how it says no."""

from __future__ import annotations

import base64
import binascii
import io
import urllib.request
from dataclasses import dataclass
from typing import Any

from PIL import Image, UnidentifiedImageError

from .errors import REFERENCE_SIZE_MESSAGE, ApiError, invalid_value, missing_parameter

BASE_MODELS = {
    "sora-2": "sora-2",
    "sora-2-2025-10-06": "sora-2",
    "sora-2-2025-12-08": "sora-2",
    "sora-2-pro": "sora-2-pro",
    "sora-2-pro-2025-10-06": "sora-2-pro",
}
SIZES_2025 = {
    "sora-2": ["720x1280", "1280x720"],
    "sora-2-pro": ["720x1280", "1280x720", "1024x1792", "1792x1024"],
}
SIZES_2026_EXTRA = {"sora-2": [], "sora-2-pro": ["1920x1080", "1080x1920"]}
SECONDS_2025 = ["4", "8", "12"]
SECONDS_2026 = ["4", "8", "12", "16", "20"]
MAX_PROMPT = 32000
MAX_TOTAL_SECONDS = 120
REFERENCE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
MAX_IMAGE_URL_CHARS = 20_971_520
DEFAULTS = {"model": "sora-2", "seconds": "4", "size": "720x1280"}


@dataclass
class Reference:
    """A decoded input_reference: the original bytes and the file extension to keep them under."""

    data: bytes
    extension: str


def supported_seconds(allow_2026: bool) -> list[str]:
    """Durations the provider accepts, with or without the 2026 additions."""
    return SECONDS_2026 if allow_2026 else SECONDS_2025


def supported_sizes(model: str, allow_2026: bool) -> list[str]:
    """Sizes a model accepts."""
    base = BASE_MODELS[model]
    return SIZES_2025[base] + (SIZES_2026_EXTRA[base] if allow_2026 else [])


def validate_model(value: Any) -> str:
    """Return the model id, or the provider's enum error."""
    model = DEFAULTS["model"] if value is None else str(value)
    if model not in BASE_MODELS:
        raise invalid_value("model", model, list(BASE_MODELS))
    return model


def validate_seconds(value: Any, allow_2026: bool) -> str:
    """Return seconds as the string the Video object carries; ints on the wire are accepted too."""
    seconds = DEFAULTS["seconds"] if value is None else str(value)
    if seconds not in supported_seconds(allow_2026):
        raise invalid_value("seconds", seconds, supported_seconds(allow_2026))
    return seconds


def validate_size(value: Any, model: str, allow_2026: bool) -> str:
    """Return the WxH size if this model renders it."""
    size = DEFAULTS["size"] if value is None else str(value)
    sizes = supported_sizes(model, allow_2026)
    if size not in sizes:
        raise invalid_value("size", size, sizes)
    return size


def validate_prompt(value: Any) -> str:
    """Return the prompt (1-32,000 characters) or the provider's length error."""
    if value is None:
        raise missing_parameter("prompt")
    if not isinstance(value, str):
        raise ApiError(
            400,
            f"Invalid type for 'prompt': expected a string, but got {type(value).__name__} instead.",
            param="prompt",
            code="invalid_type",
        )
    if not value:
        raise ApiError(
            400,
            "Invalid 'prompt': string too short. Expected a string with minimum length 1, but got an empty "
            "string instead.",
            param="prompt",
            code="string_below_min_length",
        )
    if len(value) > MAX_PROMPT:
        raise ApiError(
            400,
            f"Invalid 'prompt': string too long. Expected a string with maximum length {MAX_PROMPT}, but got "
            f"a string with length {len(value)} instead.",
            param="prompt",
            code="string_above_max_length",
        )
    return value


def size_tuple(size: str) -> tuple[int, int]:
    """'720x1280' -> (720, 1280)."""
    width, height = size.split("x")
    return int(width), int(height)


def load_reference(value: Any, size: str) -> Reference | None:
    """Decode input_reference (uploaded file, {image_url} or {file_id}) and check it matches size."""
    if value is None or value == "":
        return None
    if isinstance(value, bytes):
        data = value
    elif isinstance(value, dict) and value.get("image_url"):
        data = _fetch_image_url(str(value["image_url"]))
    elif isinstance(value, dict) and value.get("file_id"):
        raise ApiError(
            400, f"No such File object: {value['file_id']}", param="input_reference.file_id", code="invalid_value"
        )
    else:
        raise ApiError(
            400,
            "Invalid 'input_reference': expected a file upload or an object with 'image_url' or 'file_id'.",
            param="input_reference",
            code="invalid_value",
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format or ""
            dimensions = image.size
    except (UnidentifiedImageError, OSError, ValueError):
        fmt, dimensions = "", (0, 0)
    if fmt not in REFERENCE_FORMATS:
        raise ApiError(
            400,
            "Invalid file format for 'input_reference'. Supported formats are: 'image/jpeg', 'image/png', "
            "and 'image/webp'.",
            param="input_reference",
            code="invalid_value",
        )
    if dimensions != size_tuple(size):
        raise ApiError(400, REFERENCE_SIZE_MESSAGE, param="input_reference", code="invalid_value")
    return Reference(data, REFERENCE_FORMATS[fmt])


def _fetch_image_url(url: str) -> bytes:
    """A base64 data URL is decoded; an http(s) URL is fetched (the emulator has no network beyond loopback)."""
    if len(url) > MAX_IMAGE_URL_CHARS:
        raise ApiError(
            400,
            f"Invalid 'input_reference.image_url': string too long. Expected a string with maximum length "
            f"{MAX_IMAGE_URL_CHARS}, but got a string with length {len(url)} instead.",
            param="input_reference.image_url",
            code="string_above_max_length",
        )
    if url.startswith("data:"):
        try:
            header, encoded = url.split(",", 1)
            if not header.endswith(";base64"):
                raise ValueError("not base64")
            return base64.b64decode(encoded, validate=True)
        except (ValueError, binascii.Error):
            pass
    elif url.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - scheme checked above
                return response.read(64 * 1024 * 1024)
        except OSError:
            raise ApiError(
                400,
                f"Failed to download image from {url}.",
                param="input_reference.image_url",
                code="invalid_image_url",
            ) from None
    raise ApiError(
        400,
        "Invalid 'input_reference.image_url': expected an https URL or a base64 data URL.",
        param="input_reference.image_url",
        code="invalid_value",
    )
