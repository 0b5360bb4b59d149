"""/_emulator/* endpoints: inspect and steer a running emulator. They exist only here, never at a provider,
and need no API key, so never expose the emulator beyond loopback."""

from __future__ import annotations

import json
from typing import Any, Protocol

from .errors import ApiError
from .forms import JSON_ERROR
from .protocol import FileResponse, Request, Response


class Steerable(Protocol):
    """What the control endpoints need from the emulator."""

    def stats(self) -> dict[str, Any]: ...
    def configure(self, **changes: Any) -> None: ...
    def reset(self) -> None: ...
    def settings(self) -> dict[str, Any]: ...
    def c2pa_ca_path(self) -> str | None: ...


class ControlApi:
    """Thin JSON wrappers over the emulator's own Python API."""

    def __init__(self, emulator: Steerable) -> None:
        self._emulator = emulator

    def health(self, request: Request) -> Response:
        """GET /_emulator/health: readiness probe for process-based tests."""
        return Response(200, {"ok": True})

    def stats(self, request: Request) -> Response:
        """GET /_emulator/stats: generations, request counts, job states, webhook deliveries."""
        return Response(200, self._emulator.stats())

    def get_config(self, request: Request) -> Response:
        """GET /_emulator/config: the live settings."""
        return Response(200, self._emulator.settings())

    def set_config(self, request: Request) -> Response:
        """POST /_emulator/config with a JSON object of settings (faults, timing, webhooks)."""
        try:
            changes = json.loads(request.body or b"{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise ApiError(400, JSON_ERROR) from None
        if not isinstance(changes, dict):
            raise ApiError(400, "The body must be a JSON object of emulator settings.")
        try:
            self._emulator.configure(**changes)
        except (TypeError, ValueError) as error:
            raise ApiError(400, str(error), code="invalid_emulator_setting") from None
        return Response(200, self._emulator.settings())

    def c2pa_ca(self, request: Request) -> FileResponse:
        """GET /_emulator/c2pa-ca.pem: the CA behind the clips' Content Credentials, to add as a trust anchor."""
        path = self._emulator.c2pa_ca_path()
        if path is None:
            raise ApiError(
                404, "This emulator signs no clips: install c2pa-python (pip install 'sora-products[emulator]')."
            )
        return FileResponse(path, "application/x-pem-file")

    def reset(self, request: Request) -> Response:
        """POST /_emulator/reset: forget jobs and counters, restore the start-up faults."""
        self._emulator.reset()
        return Response(200, {"ok": True})
