"""HTTP byte ranges (RFC 9110 section 14) for file downloads: players and resuming clients ask for parts of a clip."""

from __future__ import annotations

import re

from .errors import ApiError

_SINGLE = re.compile(r"bytes=(\d*)-(\d*)")


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(first, last) byte to send for a Range header, or None for the whole file.

    A malformed or multi-part range is ignored (the whole file is sent, as the RFC allows); a range that starts
    past the end is a 416 carrying ``Content-Range: bytes */size``."""
    match = _SINGLE.fullmatch((header or "").strip())
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first, last = match.group(1), match.group(2)
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            raise _unsatisfiable(size)
        return max(0, size - length), size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # an invalid range is ignored, not refused
    if start >= size:
        raise _unsatisfiable(size)
    return start, min(int(last), size - 1) if last else size - 1


def _unsatisfiable(size: int) -> ApiError:
    return ApiError(
        416,
        f"The requested range is not satisfiable; the file is {size} bytes.",
        headers={"content-range": f"bytes */{size}"},
    )
