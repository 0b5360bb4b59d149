"""The TLS port's routes: what every fal request goes through (counting, ``Key`` auth, faults, ``x-fal-request-id``).

fal-client retries a 502/503/504 that lacks ``x-fal-request-id``, so every answer here carries one, errors included.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .config import EmulatorConfig
from .errors import ApiError
from .fal import FalApi
from .fal_errors import SERVER_ERROR_MESSAGE, FalError, from_api_error
from .fal_webhooks import FalWebhookSigner
from .faults import FaultInjector
from .protocol import DropConnection, Request, Response
from .stats import Stats

log = logging.getLogger(__name__)
_REQUEST = r"/(?P<app>(?:(?:workflows|comfy)/)?[^/]+/[^/]+)/requests/(?P<request_id>[^/]+)"
MISSING_KEY = "Missing credentials: send the key as 'Authorization: Key <FAL_KEY>' (FAL_KEY is id:secret)."
WRONG_SCHEME = "fal keys go in 'Authorization: Key <FAL_KEY>'; the Bearer scheme is not accepted."
WRONG_KEY = "No user found for this key; check FAL_KEY (id:secret)."


@dataclass(frozen=True)
class FalRoute:
    """One endpoint on the TLS port; public ones (JWKS, file links) take no key and no faults."""

    method: str
    pattern: re.Pattern[str]
    name: str
    handler: Callable[..., Any]
    generation: bool = False
    public: bool = False


class FalRouter:
    """Finds the route, authenticates, applies faults and answers errors as ``{"detail": ...}``."""

    def __init__(
        self, config: EmulatorConfig, api: FalApi, signer: FalWebhookSigner, faults: FaultInjector, stats: Stats
    ) -> None:
        self._config, self._faults, self._stats = config, faults, stats
        self.routes = [
            FalRoute("GET", re.compile(r"/\.well-known/jwks\.json"), "fal GET /.well-known/jwks.json",
                     lambda request: Response(200, signer.jwks()), public=True),
            FalRoute("GET", re.compile(r"/files/(?P<request_id>[^/]+)/(?P<name>[^/]+)"),
                     "fal GET /files/{request_id}/{name}", api.file, public=True),
            FalRoute("GET", re.compile(_REQUEST + "/status"), "fal GET /{app}/requests/{id}/status", api.status),
            FalRoute("PUT", re.compile(_REQUEST + "/cancel"), "fal PUT /{app}/requests/{id}/cancel", api.cancel),
            FalRoute("GET", re.compile(_REQUEST), "fal GET /{app}/requests/{id}", api.result),
            FalRoute("POST", re.compile(r"/(?P<model_id>.+)"), "fal POST /{model_id}", api.submit, generation=True),
        ]  # fmt: skip

    def dispatch(self, request: Request) -> Any:
        """Answer one request; never raises."""
        route, params = self._match(request)
        self._stats.request(route.name if route else f"fal {request.method} (unknown)")
        try:
            if route is None:
                raise FalError(404, f"Not Found: {request.method} {request.path}")
            if not route.public:
                self._authenticate(request)
                fault = self._faults.before_request(generation=route.generation)
                if fault is not None:
                    raise fault
            answer = route.handler(request, **params)
        except FalError as error:
            answer = error.to_response()
        except ApiError as error:
            answer = from_api_error(error).to_response()
        except Exception:
            log.exception("emulator failed on %s %s", request.method, request.path)
            answer = FalError(500, SERVER_ERROR_MESSAGE, error_type="internal_error").to_response()
        if not isinstance(answer, DropConnection):
            answer.headers.setdefault("x-fal-request-id", params.get("request_id") or str(uuid.uuid4()))
        return answer

    def _match(self, request: Request) -> tuple[FalRoute | None, dict[str, str]]:
        path = request.path.rstrip("/") or "/"
        for route in self.routes:
            match = route.pattern.fullmatch(path)
            if match and route.method == request.method:
                return route, match.groupdict()
        return None, {}

    def _authenticate(self, request: Request) -> None:
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        key = key.strip()
        if scheme.lower() == "bearer":
            raise FalError(401, WRONG_SCHEME)
        if scheme.lower() != "key" or not key:
            raise FalError(401, MISSING_KEY)
        if self._config.api_key is not None and key != self._config.api_key:
            raise FalError(401, WRONG_KEY)


def error_response(error: ApiError) -> Response:
    """Errors the HTTP layer answers itself (a body too large), in fal's shape and with a request id."""
    answer = from_api_error(error).to_response()
    answer.headers.setdefault("x-fal-request-id", str(uuid.uuid4()))
    return answer
