"""HTTP/1.1 over the stdlib: reads requests, writes JSON or streamed files, and performs the wire faults."""

from __future__ import annotations

import logging
import os
import socket
import sys
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from .errors import ApiError
from .protocol import DropConnection, FileResponse, Request, Response, new_request_id

log = logging.getLogger(__name__)
CHUNK = 64 * 1024
MAX_BODY = 64 * 1024 * 1024


class EmulatorHTTPServer(ThreadingHTTPServer):
    """A threading server whose handler threads never block shutdown."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], dispatch: Callable[[Request], Any], log_requests: bool) -> None:
        self.dispatch = dispatch
        self.log_requests = log_requests
        super().__init__(address, Handler)

    def error_response(self, error: ApiError) -> Response:
        """How this port words errors the HTTP layer answers itself (a TLS port may speak another protocol)."""
        return error.to_response()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-answer is normal here; anything else is logged."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        log.exception("emulator connection from %s failed", client_address)


class Handler(BaseHTTPRequestHandler):
    """Turns each HTTP request into a Request, and the router's answer back into bytes."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle on, each answer waits ~40 ms for a
    # delayed ACK on keep-alive connections, which would make the emulator, not the client, the bottleneck.
    disable_nagle_algorithm = True
    server_version = "sora-products-emulator"
    sys_version = ""
    timeout = 300  # an idle keep-alive connection gives its thread back after this many seconds
    server: EmulatorHTTPServer

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._handle()

    do_POST = do_DELETE = do_PUT = do_PATCH = do_GET  # noqa: N815

    def _handle(self) -> None:
        try:
            body = self._read_body()
        except ApiError as error:
            self.close_connection = True
            self._send_json(self.server.error_response(error))
            return
        parts = urlsplit(self.path)
        headers = {key.lower(): value for key, value in self.headers.items()}
        request = Request(self.command, parts.path, parts.query, headers, body)
        answer = self.server.dispatch(request)
        if isinstance(answer, DropConnection):
            self._drop()
        elif isinstance(answer, FileResponse):
            self._send_file(answer)
        else:
            self._send_json(answer)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            return self._read_chunked()
        try:
            length = int(self.headers.get("content-length") or 0)
        except ValueError:
            raise ApiError(400, "Invalid Content-Length header.") from None
        if length > MAX_BODY:
            raise ApiError(413, f"Request body too large: {length} bytes (limit {MAX_BODY}).")
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes:
        data = bytearray()
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return bytes(data)
            data += self.rfile.read(size)
            self.rfile.readline()
            if len(data) > MAX_BODY:
                raise ApiError(413, f"Request body too large (limit {MAX_BODY} bytes).")

    def _start(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("x-request-id", new_request_id())
        if self.close_connection:
            self.send_header("connection", "close")
        self.end_headers()

    def _send_json(self, response: Response) -> None:
        payload = response.encoded()
        headers = {"content-type": "application/json", "content-length": str(len(payload)), **response.headers}
        self._start(response.status, headers)
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _send_file(self, response: FileResponse) -> None:
        size = os.path.getsize(response.path) - response.offset if response.length is None else response.length
        headers = {"content-type": response.content_type, "content-length": str(size), **response.headers}
        self._start(response.status, headers)
        limit = size // 2 if response.truncate else size
        sent = 0
        with open(response.path, "rb") as handle:
            handle.seek(response.offset)
            while sent < limit:
                chunk = handle.read(min(CHUNK, limit - sent))
                if not chunk:
                    break
                self.wfile.write(chunk)
                sent += len(chunk)
        if response.truncate:
            self._drop()

    def _drop(self) -> None:
        """Close the socket now: no response (or the rest of one) will come."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from http.server
        if self.server.log_requests:
            log.info("%s - %s", self.address_string(), format % args)
