"""The one exception the reference builder raises for a bad photo, with admin-readable messages."""

from __future__ import annotations

from typing import Any


def gettext_noop(message: str) -> str:
    """Mark a message for makemessages without touching settings (Django's own reads USE_I18N)."""
    return message


EMPTY = "empty"
NOT_AN_IMAGE = "not_an_image"
TOO_LARGE_PIXELS = "too_large_pixels"
TOO_LARGE_BYTES = "too_large_bytes"
DECOMPRESSION_BOMB = "decompression_bomb"
CORRUPT = "corrupt"
UNSUPPORTED_MODE = "unsupported_mode"
UNREADABLE = "unreadable"

ERROR_CODES = frozenset(
    {EMPTY, NOT_AN_IMAGE, TOO_LARGE_PIXELS, TOO_LARGE_BYTES, DECOMPRESSION_BOMB, CORRUPT, UNSUPPORTED_MODE}
    | {UNREADABLE}
)
"""Stable slugs callers may branch on; "unreadable" (storage failed, not the photo) is worth a retry."""

# Marked with gettext_noop so makemessages finds them; translated when the message is read, so this
# module imports (and messages render, untranslated) without configured Django settings.
MESSAGES: dict[str, str] = {
    EMPTY: gettext_noop("The product image file is empty; upload the photo again."),
    NOT_AN_IMAGE: gettext_noop(
        "The product image file is not a picture (it is not a JPEG, PNG, WebP, GIF, TIFF or BMP file); "
        "upload the photo again in one of those formats."
    ),
    TOO_LARGE_PIXELS: gettext_noop(
        "The product image is %(width)dx%(height)d px, above the %(limit)s-megapixel limit; upload a smaller image."
    ),
    TOO_LARGE_BYTES: gettext_noop(
        "The product image file is %(size)s MB, above the %(limit)s MB limit; upload a smaller file."
    ),
    DECOMPRESSION_BOMB: gettext_noop(
        "The product image declares an enormous pixel size and was refused as unsafe; "
        "export the photo again at a normal size and upload it."
    ),
    CORRUPT: gettext_noop(
        "The product image could not be read (it is damaged or not a JPEG, PNG, WebP or GIF file); "
        "upload it again in one of those formats."
    ),
    UNSUPPORTED_MODE: gettext_noop(
        "The product image uses a colour format that cannot be converted (%(mode)s); "
        "save it as an RGB JPEG or PNG and upload it again."
    ),
    UNREADABLE: gettext_noop(
        "The product image file could not be opened from storage; check that it still exists and try again."
    ),
}

OUT_OF_MEMORY_MESSAGE = gettext_noop(
    "The product image is too large to process with the memory available; upload a smaller image."
)


def translate(message: str) -> str:
    """Translate when Django can, else return the English text, so errors render in any context."""
    try:
        from django.utils.translation import gettext

        return gettext(message)
    except Exception:  # settings not configured, app registry not ready, no catalogue...
        return message


class ReferenceImageError(ValueError):
    """A product photo that cannot become a reference image; ``code`` is a stable slug for callers.

    ``str(error)`` is a translated sentence for a shop admin. The arguments stay untranslated so the
    error pickles and logs the same in every language.
    """

    def __init__(self, code: str, message: str | None = None, params: dict[str, Any] | None = None):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown reference image error code {code!r}")
        message = MESSAGES[code] if message is None else message
        super().__init__(code, message, params)
        self.code = code
        self.params = dict(params or {})
        self._message = message

    @property
    def message(self) -> str:
        """The admin-facing sentence in the active language, with the numbers filled in."""
        text = translate(self._message)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"ReferenceImageError(code={self.code!r}, params={self.params!r})"


def too_large_pixels(width: int, height: int, max_pixels: int) -> ReferenceImageError:
    """The error for a photo whose header declares more pixels than the configured cap."""
    limit = f"{max_pixels / 1_000_000:g}"
    return ReferenceImageError(TOO_LARGE_PIXELS, params={"width": width, "height": height, "limit": limit})


def too_large_bytes(size: int, max_bytes: int) -> ReferenceImageError:
    """The error for a file bigger than the byte cap, sizes in MiB as people read them."""
    mib = 1024 * 1024
    params = {"size": f"{size / mib:.3g}", "limit": f"{max_bytes / mib:.3g}"}
    return ReferenceImageError(TOO_LARGE_BYTES, params=params)


def out_of_memory() -> ReferenceImageError:
    """The error for a decode that ran out of memory: it is a size problem for the admin."""
    return ReferenceImageError(TOO_LARGE_PIXELS, OUT_OF_MEMORY_MESSAGE)


BOMB_MESSAGE = gettext_noop(
    "The product image declares %(megapixels)s megapixels, far beyond any photo, and was refused as "
    "unsafe; export the photo again at a normal size and upload it."
)
