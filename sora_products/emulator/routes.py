"""URL routing plus what every /v1 request goes through: counting, Bearer auth, protocol headers, injected faults;
errors are answered in the envelope of the protocol the route belongs to."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import runway_wire
from .api import VideoApi
from .config import EmulatorConfig
from .control import ControlApi
from .errors import ApiError, invalid_url, server_error, unauthorized
from .faults import FaultInjector
from .protocol import Request, Response
from .runway import RunwayApi
from .stats import Stats

log = logging.getLogger(__name__)
_ID = r"(?P<video_id>[^/]+)"
_TASK_ID = r"(?P<task_id>[^/]+)"
# Per protocol: how an ApiError is worded on the wire, and the header checks its routes need after auth.
RENDERERS: dict[str, Callable[[ApiError], Response]] = {
    "openai": ApiError.to_response,
    "runway": runway_wire.error_response,
}
PREFLIGHTS: dict[str, Callable[[Request], None]] = {"runway": runway_wire.require_version}


@dataclass(frozen=True)
class Route:
    """One endpoint: method, path pattern, a stable name for the stats and whether it starts a paid job."""

    method: str
    pattern: re.Pattern[str]
    name: str
    handler: Callable[..., Any]
    generation: bool = False
    public: bool = False  # control endpoints and signed output links: no Bearer key, no faults
    protocol: str = "openai"  # whose error envelope and header rules apply


class Router:
    """Finds the route, applies auth and faults, and turns ApiError into the provider's envelope."""

    def __init__(
        self,
        config: EmulatorConfig,
        api: VideoApi,
        control: ControlApi,
        faults: FaultInjector,
        stats: Stats,
        runway: RunwayApi,
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
            _route("POST", "/v1/image_to_video", runway.image_to_video, generation=True, protocol="runway"),
            _route("POST", "/v1/video_to_video", runway.video_to_video, generation=True, protocol="runway"),
            _route("GET", "/v1/tasks/{task_id}", runway.retrieve, protocol="runway"),
            _route("DELETE", "/v1/tasks/{task_id}", runway.delete, protocol="runway"),
            _route("GET", "/_runway/outputs/{task_id}/video.mp4", runway.output, public=True, protocol="runway"),
            _route("GET", "/_emulator/health", control.health, public=True),
            _route("GET", "/_emulator/stats", control.stats, public=True),
            _route("GET", "/_emulator/config", control.get_config, public=True),
            _route("POST", "/_emulator/config", control.set_config, public=True),
            _route("POST", "/_emulator/reset", control.reset, public=True),
            _route("GET", "/_emulator/c2pa-ca.pem", control.c2pa_ca, public=True),
        ]

    def dispatch(self, request: Request) -> Any:
        """Answer one request; never raises."""
        route, params = self._match(request)
        self._stats.request(route.name if route else f"{request.method} (unknown)")
        render = RENDERERS[route.protocol if route else _guess_protocol(request)]
        try:
            if route is None:
                raise invalid_url(request.method, request.path)
            if not route.public:
                self._authenticate(request)
                preflight = PREFLIGHTS.get(route.protocol)
                if preflight is not None:
                    preflight(request)
                fault = self._faults.before_request(generation=route.generation)
                if fault is not None:
                    raise fault
            return route.handler(request, **params)
        except ApiError as error:
            return render(error)
        except Exception:
            log.exception("emulator failed on %s %s", request.method, request.path)
            return render(server_error())

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


def _route(method: str, path: str, handler: Callable[..., Any], **flags: Any) -> Route:
    pattern = re.compile(re.escape(path).replace(re.escape("{id}"), _ID).replace(re.escape("{task_id}"), _TASK_ID))
    return Route(method, pattern, f"{method} {path}", handler, **flags)


def _guess_protocol(request: Request) -> str:
    """For a path no route serves: answer in Runway's envelope when the client sent Runway's version header."""
    return "runway" if "x-runway-version" in request.headers else "openai"
