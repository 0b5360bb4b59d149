"""Plain request/response values passed between the HTTP layer and the route handlers."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs


def new_request_id() -> str:
    """A provider-style request id for the x-request-id header."""
    return "req_" + secrets.token_hex(16)


@dataclass
class Request:
    """What a route handler needs to know about one HTTP request (headers lower-cased)."""

    method: str
    path: str
    query_string: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def query(self, name: str, default: str | None = None) -> str | None:
        """The last value of a query parameter, as the provider reads them."""
        values = parse_qs(self.query_string, keep_blank_values=True).get(name)
        return values[-1] if values else default

    @property
    def content_type(self) -> str:
        """The bare media type of the body, lower-cased."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass
class Response:
    """A complete JSON (or empty) response."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        """The body as the exact bytes to send."""
        if self.body is None:
            return b""
        return json.dumps(self.body, separators=(",", ":")).encode()


@dataclass
class FileResponse:
    """A file streamed from disk, or length bytes of it from offset (a 206); truncate=True closes the connection
    halfway (a fault)."""

    path: str
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    truncate: bool = False
    status: int = 200
    offset: int = 0
    length: int | None = None  # None: to the end of the file


@dataclass
class DropConnection:
    """Close the connection without answering: the client never learns what happened."""

    status: int = 0
