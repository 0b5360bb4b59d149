"""A provider that is down, on a real port: every call answered 503, or every connection closed at once."""

from __future__ import annotations

import socket
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Answer503(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _fail(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        self.server.count(f"{self.command} {self.path.split('?')[0]}")
        body = b'{"error": {"message": "upstream unavailable", "type": "server_error"}}'
        self.send_response(503)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        # No keep-alive: a pooled connection would outlive stop() and keep answering 503.
        self.send_header("connection", "close")
        self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = _fail

    def log_message(self, *args) -> None:
        pass


class _CountingServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address) -> None:
        super().__init__(address, _Answer503)
        self.calls: Counter[str] = Counter()
        self.lock = threading.Lock()

    def count(self, what: str) -> None:
        with self.lock:
            self.calls[what] += 1


class DownProvider:
    """Stands in for the provider on ``port`` until stopped: ``mode`` "503" or "refuse" (accept, then close)."""

    def __init__(self, port: int, mode: str = "503") -> None:
        self.port, self.mode = port, mode
        self.connections = 0
        self._server: _CountingServer | None = None
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def requests(self) -> int:
        """Every request (503 mode) or connection (refuse mode) that reached it."""
        return self.connections + (sum(self._server.calls.values()) if self._server else 0)

    @property
    def calls(self) -> Counter[str]:
        return self._server.calls if self._server else Counter()

    def start(self) -> DownProvider:
        if self.mode == "503":
            self._server = _CountingServer(("127.0.0.1", self.port))
            self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})
        else:
            self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._socket.bind(("127.0.0.1", self.port))
            self._socket.listen(64)
            self._socket.settimeout(0.05)
            self._thread = threading.Thread(target=self._accept_and_close)
        self._thread.daemon = True
        self._thread.start()
        return self

    def _accept_and_close(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._socket.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._socket is not None:
            self._thread.join(timeout=5)
            self._socket.close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
