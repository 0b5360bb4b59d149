"""What every HTTP backend shares: per-phase timeouts, key redaction and a streamed, capped download."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import dataclass
from typing import Any, BinaryIO

import httpx

from sora_products.providers.base import DownloadIncomplete, DownloadResult, DownloadTooLarge, ProviderError
from sora_products.providers.http import Retrying

CHUNK_SIZE = 64 * 1024
REDACTED = "[redacted]"
# Shorter "keys" (test placeholders like "x") would mangle every message they happen to occur in.
MIN_REDACT_LENGTH = 6


@dataclass(frozen=True)
class Timeouts:
    """Seconds per phase; ``download`` bounds each read of the body, not the whole transfer."""

    connect: float = 5.0
    create: float = 60.0
    read: float = 15.0
    download: float = 120.0

    @classmethod
    def from_option(cls, value: Mapping[str, Any] | None) -> Timeouts:
        """Read the TIMEOUTS option, refusing keys that would silently do nothing."""
        given = {str(k).lower(): v for k, v in (value or {}).items()}
        unknown = sorted(set(given) - {"connect", "create", "read", "download"})
        if unknown:
            raise ValueError(f"TIMEOUTS has unknown keys {unknown}; use connect, create, read and download.")
        try:
            values = {k: float(v) for k, v in given.items()}
        except (TypeError, ValueError) as exc:
            raise ValueError("TIMEOUTS values must be numbers of seconds.") from exc
        if any(v <= 0 for v in values.values()):
            raise ValueError("TIMEOUTS values must be positive.")
        return cls(**values)


def retry_options(opts: Mapping[str, Any]) -> dict[str, Any]:
    """The read-retry keyword arguments every backend takes: READ_RETRIES, BACKOFF, BACKOFF_CAP, MAX_RETRY_WAIT."""
    kwargs: dict[str, Any] = {}
    if opts.get("READ_RETRIES") is not None:
        kwargs["read_retries"] = int(opts["READ_RETRIES"])
    for key in ("BACKOFF", "BACKOFF_CAP", "MAX_RETRY_WAIT"):
        if opts.get(key) is not None:
            kwargs[key.lower()] = float(opts[key])
    return kwargs


def with_restarts(
    dest: BinaryIO, attempts: int, pause: Callable[[int], None], once: Callable[[], DownloadResult]
) -> DownloadResult:
    """Run ``once`` until a whole body arrived: a cut-off one is restarted only when ``dest`` can be rewound."""
    start = dest.tell() if seekable(dest) else None
    for attempt in range(1, attempts + 1):
        try:
            return once()
        except DownloadIncomplete:
            if start is None or attempt == attempts:
                raise
            dest.seek(start)
            dest.truncate()
            pause(attempt - 1)
    raise AssertionError("unreachable")  # pragma: no cover


def fetch_file(
    client: httpx.Client,
    url: str,
    dest: BinaryIO,
    *,
    max_bytes: int | None,
    timeout: httpx.Timeout,
    retrying: Retrying,
    to_error: Callable[[httpx.Response], ProviderError],
) -> DownloadResult:
    """Stream a pre-signed file URL (a CDN's, no key sent) into ``dest`` under the size cap."""
    request = client.build_request("GET", url, headers={"accept-encoding": "identity"}, timeout=timeout)
    response = retrying.call(lambda: client.send(request, stream=True, follow_redirects=True), to_error)
    with closing(response):
        expected = expected_length(response)
        if max_bytes is not None and expected is not None and expected > max_bytes:
            raise DownloadTooLarge(f"the file is {expected} bytes, over the {max_bytes}-byte cap")
        written = copy_body(response, dest, max_bytes, None)
    if expected is not None and written < expected:
        raise DownloadIncomplete(f"received {written} of {expected} bytes")
    return DownloadResult(bytes_written=written, content_type=response.headers.get("content-type"))


def redact(text: str, secret: str) -> str:
    """``text`` without ``secret`` (some providers and libraries echo the key back)."""
    if len(secret) >= MIN_REDACT_LENGTH:
        return text.replace(secret, REDACTED)
    return text


def seekable(dest: BinaryIO) -> bool:
    """Whether ``dest`` can be rewound to restart a cut-off download."""
    try:
        return bool(dest.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def expected_length(response: httpx.Response) -> int | None:
    """Content-Length when it counts the bytes we will see (not compressed ones)."""
    if response.headers.get("content-encoding", "identity").lower() != "identity":
        return None
    return _as_int(response.headers.get("content-length"))


def copy_body(response: httpx.Response, dest: BinaryIO, max_bytes: int | None, request_id: str | None) -> int:
    """Copy the body chunk by chunk, stopping before the cap is passed; returns bytes written."""
    written = 0
    try:
        for chunk in response.iter_bytes(CHUNK_SIZE):
            if max_bytes is not None and written + len(chunk) > max_bytes:
                raise DownloadTooLarge(f"the file passed the {max_bytes}-byte cap", request_id=request_id)
            dest.write(chunk)
            written += len(chunk)
    except httpx.TransportError as exc:
        raise DownloadIncomplete(
            f"the connection failed after {written} bytes ({type(exc).__name__})", request_id=request_id
        ) from exc
    return written


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
