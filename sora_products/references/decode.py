"""Decode an untrusted photo safely: header checks first, frame 0, JPEG draft, EXIF orientation."""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, NamedTuple

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError
from PIL.Image import Transpose

from . import errors
from .errors import ReferenceImageError
from .geometry import Box, draft_request, fit_box, oriented_size

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "TIFF", "BMP")
"""Pillow plugins we let near shop files (JPEG covers camera MPO files); the others are never tried,
so an EPS upload cannot make Pillow run Ghostscript."""

DRAFT_FORMATS = frozenset({"JPEG", "MPO"})
"""Formats whose decoder can scale down while decoding (DCT scaling in libjpeg)."""

_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM")

_TRANSPOSE_FOR_ORIENTATION = {
    2: Transpose.FLIP_LEFT_RIGHT,
    3: Transpose.ROTATE_180,
    4: Transpose.FLIP_TOP_BOTTOM,
    5: Transpose.TRANSPOSE,
    6: Transpose.ROTATE_270,
    7: Transpose.TRANSVERSE,
    8: Transpose.ROTATE_90,
}

logger = logging.getLogger("sora_products.references")

_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")


class DecodedPhoto(NamedTuple):
    """The opened photo, upright, plus where it goes in the frame (unpack it, so the big image can go)."""

    image: Image.Image
    source_size: tuple[int, int]
    box: Box


def looks_like_image(head: bytes) -> bool:
    """Whether the first bytes carry an image signature: damaged image vs. not an image at all."""
    if len(head) < 2:
        return False
    if head.startswith(b"RIFF") or b"RIFF".startswith(head):
        return len(head) < 12 or head[8:12] == b"WEBP"
    return any(head.startswith(sig) or sig.startswith(head) for sig in _SIGNATURES)


def _bomb_error(exc: BaseException) -> ReferenceImageError:
    """Name the declared size when Pillow's message carries it, so the admin knows what to shrink."""
    match = _BOMB_PIXELS.search(str(exc))
    if match is None:
        return ReferenceImageError(errors.DECOMPRESSION_BOMB)
    megapixels = f"{int(match[1]) / 1_000_000:.0f}"
    return ReferenceImageError(errors.DECOMPRESSION_BOMB, errors.BOMB_MESSAGE, {"megapixels": megapixels})


@contextmanager
def decoding_errors(head: bytes) -> Iterator[None]:
    """Map everything Pillow may raise on hostile input to a ReferenceImageError; nothing else escapes.

    Pillow raises OSError, SyntaxError, ValueError, struct.error, EOFError, IndexError... on damaged
    files, so Exception is caught on purpose (Django's forms.ImageField does the same). The bomb
    warning becomes an error only inside this block: catch_warnings is process-wide while active,
    which is fine in process-based workers (django-q2) but not across threads in one process.
    """
    try:
        with _pillow_warnings():
            yield
    except ReferenceImageError as exc:
        logger.info("Product image refused (%s).", exc.code)
        raise
    except MemoryError as exc:
        logger.warning("Out of memory while decoding a product image.")
        raise errors.out_of_memory() from exc
    except Exception as exc:
        error = _map_exception(exc, head)
        logger.info("Product image refused (%s): %r", error.code, exc)
        raise error from exc


@contextmanager
def _pillow_warnings() -> Iterator[None]:
    """Bomb warnings become errors here only; Pillow's UserWarnings (corrupt EXIF...) are log noise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _map_exception(exc: Exception, head: bytes) -> ReferenceImageError:
    """The error code for an exception Pillow raised on this file."""
    if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
        return _bomb_error(exc)
    if isinstance(exc, UnidentifiedImageError) and not looks_like_image(head):
        return ReferenceImageError(errors.NOT_AN_IMAGE)
    return ReferenceImageError(errors.CORRUPT)


def read_orientation(image: Image.Image) -> int:
    """The EXIF (or XMP) orientation 1..8; unreadable or odd values mean upright, never an error."""
    try:
        value = int(image.getexif().get(ExifTags.Base.Orientation, 1))
    except Exception:  # a broken EXIF block must not cost the shop its photo
        return 1
    return value if 1 <= value <= 8 else 1


def make_upright(image: Image.Image, orientation: int) -> Image.Image:
    """Apply the EXIF orientation with ImageOps.exif_transpose, or by hand if its EXIF rewrite fails."""
    if orientation == 1:
        return image
    try:
        upright = ImageOps.exif_transpose(image)
    except Exception:  # exif_transpose also re-serialises EXIF, which can fail on odd blocks
        upright = None
    if upright is None or upright.size != oriented_size(*image.size, orientation):
        upright = image.transpose(_TRANSPOSE_FOR_ORIENTATION[orientation])
    return upright


def open_photo(stream: IO[bytes], size: tuple[int, int], max_pixels: int) -> DecodedPhoto:
    """Open, check the header size, pick frame 0, decode (drafted for JPEG) and turn upright.

    Call inside decoding_errors(). The pixel cap is checked on the header, before any pixel data
    is decoded; the JPEG draft asks for at least the fitted size, so no quality is lost.
    """
    image = Image.open(stream, formats=ACCEPTED_FORMATS)
    width, height = image.size
    if width * height > max_pixels:
        raise errors.too_large_pixels(width, height, max_pixels)
    image.seek(0)
    orientation = read_orientation(image)
    source_size = oriented_size(width, height, orientation)
    box = fit_box(*source_size, *size)
    if image.format in DRAFT_FORMATS:
        image.draft("RGB", draft_request(box[2], box[3], orientation))
    image.load()
    return DecodedPhoto(make_upright(image, orientation), source_size, box)
