"""build_reference: a shop photo in, an exact-size, metadata-free PNG/JPEG reference image out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .compose import compose, encode, fit, shrink, to_rgb
from .decode import decoding_errors, open_photo
from .geometry import check_size
from .sources import Source, open_source, peek

DEFAULT_MAX_PIXELS = 40_000_000
DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_FORMATS = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg")}
_FORMAT_ALIASES = {"JPG": "JPEG"}


@dataclass(frozen=True)
class ReferenceImage:
    """An encoded reference image, ready to send as ``input_reference`` or save to storage."""

    content: bytes = field(repr=False)
    image_format: str
    content_type: str
    width: int
    height: int
    sha256: str
    source_size: tuple[int, int]
    """The photo's size as people see it (after EXIF orientation), before fitting."""
    filename: str

    @classmethod
    def from_content(
        cls, content: bytes, image_format: str, size: tuple[int, int], source_size: tuple[int, int]
    ) -> ReferenceImage:
        """Derive type, hash and a content-addressed file name from the encoded bytes."""
        content_type, extension = _FORMATS[image_format]
        sha256 = hashlib.sha256(content).hexdigest()
        return cls(
            content=content,
            image_format=image_format,
            content_type=content_type,
            width=size[0],
            height=size[1],
            sha256=sha256,
            source_size=source_size,
            filename=f"reference-{sha256[:12]}.{extension}",
        )

    @property
    def size(self) -> tuple[int, int]:
        """(width, height), the shape providers compare against the requested video size."""
        return self.width, self.height

    def as_upload(self) -> tuple[str, bytes, str]:
        """The (filename, bytes, content type) triple HTTP clients such as the OpenAI SDK accept."""
        return self.filename, self.content, self.content_type


def _check_format(image_format: str) -> str:
    """Normalise the output format name; anything else is a caller bug, so a plain ValueError."""
    name = str(image_format).upper()
    name = _FORMAT_ALIASES.get(name, name)
    if name not in _FORMATS:
        raise ValueError(f"image_format must be PNG or JPEG, not {image_format!r}")
    return name


def _check_limit(name: str, value: int) -> int:
    """Limits come from settings; a non-positive one is a configuration error, not a photo error."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, not {value!r}")
    return value


def build_reference(
    source: Source,
    size: tuple[int, int],
    *,
    image_format: str = "PNG",
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ReferenceImage:
    """Fit the whole product photo into an RGB frame of exactly ``size`` for a video provider.

    ``source`` is a binary file-like object (Django ``File``/``FieldFile``), bytes, or a path. Every
    problem with the photo raises ReferenceImageError (a ValueError) with a stable ``code``; bad
    arguments raise a plain ValueError.
    """
    size = check_size(size)
    image_format = _check_format(image_format)
    _check_limit("max_pixels", max_pixels)
    _check_limit("max_bytes", max_bytes)
    with open_source(source, max_bytes) as stream:
        head = peek(stream)
        with decoding_errors(head):
            image, source_size, box = open_photo(stream, size, max_pixels)
            image = to_rgb(shrink(image, box))  # rebinding lets the full-size decode be freed early
            content = encode(compose(fit(image, box), size, box), image_format)
    return ReferenceImage.from_content(content, image_format, size, source_size)
