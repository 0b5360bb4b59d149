"""Serving local media with HTTP Range, so Safari and iOS can seek in and play stored videos.

Only for when Django itself serves MEDIA_ROOT (the demo, small shops); production storage or a
CDN serves files directly and supports Range on its own.
"""

from __future__ import annotations

import mimetypes
import os
import re

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils._os import safe_join
from django.utils.http import http_date

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


class RangeFile:
    """A file object that yields only bytes [start, end] of the underlying file."""

    def __init__(self, handle, start: int, length: int) -> None:
        self.handle, self.remaining = handle, length
        handle.seek(start)

    def __iter__(self):
        while self.remaining > 0:
            data = self.handle.read(min(CHUNK, self.remaining))
            if not data:
                break
            self.remaining -= len(data)
            yield data

    def close(self) -> None:
        self.handle.close()


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(start, end) inclusive for one ``bytes=`` range; None when absent or not understood."""
    match = RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":
        length = int(last)
        return (max(size - length, 0), size - 1) if length else None
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    return (start, end) if start <= end else (start, start - 1)


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Serve a file under MEDIA_ROOT, answering Range requests with 206 Partial Content."""
    try:
        full_path = safe_join(str(settings.MEDIA_ROOT), path)
    except Exception:
        raise Http404("Not found") from None
    if not os.path.isfile(full_path):
        raise Http404("Not found")
    size = os.path.getsize(full_path)
    content_type = mimetypes.guess_type(full_path)[0] or "application/octet-stream"
    wanted = parse_range(request.headers.get("Range", ""), size)
    handle = open(full_path, "rb")  # noqa: SIM115 - closed by the response
    if wanted is None:
        response = FileResponse(handle, content_type=content_type)
    else:
        start, end = wanted
        if start >= size or end < start:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        response = FileResponse(RangeFile(handle, start, end - start + 1), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["Last-Modified"] = http_date(os.path.getmtime(full_path))
    return response
