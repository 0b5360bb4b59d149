"""URL routing plus what every /v1 request goes through: counting, Bearer auth, injected faults."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .api import VideoApi
from .config import EmulatorConfig
from .control import ControlApi
from .errors import ApiError, invalid_url, server_error, unauthorized
from .faults import FaultInjector
from .protocol import Request
from .stats import Stats

log = logging.getLogger(__name__)
_ID = r"(?P<video_id>[^/]+)"


@dataclass(frozen=True)
class Route:
    """One endpoint: method, path pattern, a stable name for the stats and whether it starts a paid job."""

    method: str
    pattern: re.Pattern[str]
    name: str
    handler: Callable[..., Any]
    generation: bool = False
    public: bool = False  # control endpoints: no Bearer key, no faults


class Router:
    """Finds the route, applies auth and faults, and turns ApiError into the provider's envelope."""

    def __init__(
        self, config: EmulatorConfig, api: VideoApi, control: ControlApi, faults: FaultInjector, stats: Stats
    ) -> None:
        self._config, self._faults, self._stats = config, faults, stats
        self.routes = [
            _route("POST", "/v1/videos", api.create, generation=True),
            _route("GET", "/v1/videos", api.list),
            _route("POST", "/v1/videos/edits", api.edit, generation=True),
            _route("POST", "/v1/videos/extensions", api.extend, generation=True),
            _route("GET", "/v1/videos/{id}", api.retrieve),
            _route("DELETE", "/v1/videos/{id}", api.delete),
            _route("POST", "/v1/videos/{id}/remix", api.remix, generation=True),
            _route("GET", "/v1/videos/{id}/content", api.content),
            _route("GET", "/_emulator/health", control.health, public=True),
            _route("GET", "/_emulator/stats", control.stats, public=True),
            _route("GET", "/_emulator/config", control.get_config, public=True),
            _route("POST", "/_emulator/config", control.set_config, public=True),
            _route("POST", "/_emulator/reset", control.reset, public=True),
        ]

    def dispatch(self, request: Request) -> Any:
        """Answer one request; never raises."""
        route, params = self._match(request)
        self._stats.request(route.name if route else f"{request.method} (unknown)")
        try:
            if route is None:
                raise invalid_url(request.method, request.path)
            if not route.public:
                self._authenticate(request)
                fault = self._faults.before_request(generation=route.generation)
                if fault is not None:
                    raise fault
            return route.handler(request, **params)
        except ApiError as error:
            return error.to_response()
        except Exception:
            log.exception("emulator failed on %s %s", request.method, request.path)
            return server_error().to_response()

    def _match(self, request: Request) -> tuple[Route | None, dict[str, str]]:
        path = request.path.rstrip("/") or "/"
        for route in self.routes:
            match = route.pattern.fullmatch(path)
            if match and route.method == request.method:
                return route, match.groupdict()
        return None, {}

    def _authenticate(self, request: Request) -> None:
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        key = key.strip() if scheme.lower() == "bearer" else ""
        if not key or (self._config.api_key is not None and key != self._config.api_key):
            raise unauthorized(key)


def _route(method: str, path: str, handler: Callable[..., Any], **flags: bool) -> Route:
    pattern = re.compile(re.escape(path).replace(re.escape("{id}"), _ID))
    return Route(method, pattern, f"{method} {path}", handler, **flags)
