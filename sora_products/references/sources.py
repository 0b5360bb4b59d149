"""Turn whatever a shop hands us (Django file, stream, bytes, path) into a seekable binary stream."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import IO, Any

from .errors import EMPTY, UNREADABLE, ReferenceImageError, too_large_bytes

CHUNK_SIZE = 1024 * 1024

Source = Any
"""bytes-like, a str/PathLike path, or a binary file-like object (Django ``File``/``FieldFile``)."""


def is_bytes(source: Source) -> bool:
    """Bytes-like sources are the content itself, never a path."""
    return isinstance(source, bytes | bytearray | memoryview)


def is_path(source: Source) -> bool:
    """A str or PathLike names a file on the local filesystem."""
    return isinstance(source, str | os.PathLike)


@contextmanager
def _binary_stream(source: Source) -> Iterator[Any]:
    """Open a path, or borrow a file-like object: reopened if closed (then closed again), left at 0.

    A Django FieldFile that was never opened or was closed after upload knows how to reopen itself.
    """
    if is_path(source):
        with open(source, "rb") as stream:
            yield stream
        return
    reopened = bool(getattr(source, "closed", False)) and callable(getattr(source, "open", None))
    if reopened:
        source.open("rb")
    try:
        yield source
    finally:
        if reopened:
            source.close()
        else:
            _rewind(source)


def _seekable_size(stream: Any) -> int | None:
    """The stream's length if it can seek and tell (what Pillow needs), else None."""
    if not all(callable(getattr(stream, name, None)) for name in ("read", "seek", "tell")):
        return None
    try:
        size = stream.seek(0, io.SEEK_END)
        size = stream.tell() if size is None else size
        stream.seek(0)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return None
    return int(size)


def _read_capped(stream: Any, max_bytes: int) -> bytes:
    """Read a non-seekable stream into memory, refusing it as soon as it passes the cap."""
    with _reading_errors():
        if callable(getattr(stream, "seek", None)):
            try:
                stream.seek(0)
            except (OSError, ValueError, io.UnsupportedOperation):
                pass
        parts: list[bytes] = []
        total = 0
        while chunk := stream.read(min(CHUNK_SIZE, max_bytes + 1 - total)):
            parts.append(bytes(chunk))
            total += len(chunk)
            if total > max_bytes:
                raise too_large_bytes(total, max_bytes)
    return b"".join(parts)


@contextmanager
def _reading_errors() -> Iterator[None]:
    """Storage and filesystem failures are not the photo's fault: report them as unreadable."""
    try:
        yield
    except ReferenceImageError:
        raise
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise ReferenceImageError(UNREADABLE) from exc


def _check_byte_size(size: int, max_bytes: int) -> None:
    """Refuse empty and oversized files before any decoding."""
    if size == 0:
        raise ReferenceImageError(EMPTY)
    if size > max_bytes:
        raise too_large_bytes(size, max_bytes)


@contextmanager
def open_source(source: Source, max_bytes: int) -> Iterator[IO[bytes]]:
    """Yield a seekable binary stream positioned at 0, after the empty and byte-size checks."""
    if is_bytes(source):
        _check_byte_size(memoryview(source).nbytes, max_bytes)  # before any copy
        yield io.BytesIO(source)
        return
    with ExitStack() as stack:
        with _reading_errors():
            stream = stack.enter_context(_binary_stream(source))
            size = os.fstat(stream.fileno()).st_size if is_path(source) else _seekable_size(stream)
        if size is None:
            data = _read_capped(stream, max_bytes)
            _check_byte_size(len(data), max_bytes)
            yield io.BytesIO(data)
            return
        _check_byte_size(size, max_bytes)
        yield stream


def _rewind(stream: Any) -> None:
    """Leave a caller's file at the start, as Django's own file readers do."""
    try:
        stream.seek(0)
    except Exception:  # a stream that cannot seek back is the caller's to reopen
        pass


def peek(stream: IO[bytes], count: int = 16) -> bytes:
    """The first bytes, to tell a damaged image from a non-image, leaving the stream at 0."""
    with _reading_errors():
        head = bytes(stream.read(count) or b"")
        stream.seek(0)
    return head


def _iter_chunks(source: Source) -> Iterator[bytes]:
    """Stream the source's bytes in chunks without holding the whole file in memory."""
    if is_bytes(source):
        yield bytes(source)
        return
    with _binary_stream(source) as stream:
        if callable(getattr(stream, "seek", None)):
            stream.seek(0)
        while chunk := stream.read(CHUNK_SIZE):
            yield bytes(chunk)


def hash_source(source: Source) -> str:
    """SHA-256 hex of the photo's bytes, streamed, so a changed photo is detected by content, not name.

    Raises ReferenceImageError("unreadable") when the file cannot be opened or read.
    """
    digest = hashlib.sha256()
    with _reading_errors():
        for chunk in _iter_chunks(source):
            digest.update(chunk)
    return digest.hexdigest()
