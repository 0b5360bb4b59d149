"""Pure geometry for fitting a photo whole into a frame, kept apart so it can be property-tested."""

from __future__ import annotations

Box = tuple[int, int, int, int]

MAX_SIDE = 8192
"""No provider asks for a side this long; a bigger request is a programming error, not a photo problem."""

SWAPPING_ORIENTATIONS = frozenset({5, 6, 7, 8})
"""EXIF orientations whose transpose swaps width and height."""


def check_size(size: tuple[int, int]) -> tuple[int, int]:
    """Validate the requested video size early, so a caller bug never looks like a bad photo."""
    try:
        width, height = size
    except (TypeError, ValueError):
        raise ValueError(f"size must be a (width, height) pair, not {size!r}") from None
    for side in (width, height):
        if isinstance(side, bool) or not isinstance(side, int) or not 1 <= side <= MAX_SIDE:
            raise ValueError(f"size sides must be integers in 1..{MAX_SIDE}, not {size!r}")
    return width, height


def fit_box(src_w: int, src_h: int, dst_w: int, dst_h: int) -> Box:
    """Where the whole photo goes in the frame: scale = min(W/w, H/h), centred, at least 1x1 px.

    Integer arithmetic only, so the binding side fills the frame exactly and the other side is the
    exact product rounded half up (then kept within 1..frame).
    """
    if min(src_w, src_h, dst_w, dst_h) < 1:
        raise ValueError("fit_box needs positive sizes")
    if src_w * dst_h >= src_h * dst_w:  # relatively wider than the frame: width binds
        width = dst_w
        height = min(dst_h, max(1, (2 * src_h * dst_w + src_w) // (2 * src_w)))
    else:
        height = dst_h
        width = min(dst_w, max(1, (2 * src_w * dst_h + src_h) // (2 * src_h)))
    return (dst_w - width) // 2, (dst_h - height) // 2, width, height


def oriented_size(width: int, height: int, orientation: int) -> tuple[int, int]:
    """The photo's size as people see it, after its EXIF orientation is applied."""
    return (height, width) if orientation in SWAPPING_ORIENTATIONS else (width, height)


def draft_request(box_w: int, box_h: int, orientation: int) -> tuple[int, int]:
    """The size to ask the JPEG decoder for, in stored (pre-rotation) axes, never below the box."""
    return oriented_size(box_w, box_h, orientation)
