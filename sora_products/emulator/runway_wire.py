"""What every Runway request goes through besides auth: the X-Runway-Version header and the ``{"error": ...}`` envelope.

Shared faults and auth raise the same ApiError for every protocol; this module says them the way Runway does
(one sentence under ``error``), keeping the status and headers (Retry-After, x-should-retry) untouched.
"""

from __future__ import annotations

from .errors import ApiError
from .protocol import Request, Response

RUNWAY_VERSION = "2024-11-06"
SUPPORTED_VERSIONS = (RUNWAY_VERSION,)
UNAUTHORIZED_MESSAGE = "The API key is missing or not valid; send it as Authorization: Bearer <your API secret>."
RATE_LIMIT_MESSAGE = "You have sent too many requests; wait a moment (see Retry-After) and try again."
QUOTA_MESSAGE = "You do not have enough credits to run this task; add credits to your organization and try again."
SERVER_ERROR_MESSAGE = "An unexpected error occurred on our side; try the request again in a moment."


def require_version(request: Request) -> None:
    """Refuse a Runway request without a supported X-Runway-Version header (400, as the API does)."""
    version = request.headers.get("x-runway-version", "").strip()
    if not version:
        raise ApiError(
            400, f"The X-Runway-Version header is missing; send X-Runway-Version: {RUNWAY_VERSION} with every request."
        )
    if version not in SUPPORTED_VERSIONS:
        raise ApiError(
            400, f"The X-Runway-Version header '{version}' is not a supported API version; use {RUNWAY_VERSION}."
        )


def error_response(error: ApiError) -> Response:
    """The Runway envelope: ``{"error": "<sentence>"}`` with the error's status and headers."""
    return Response(error.status, {"error": _sentence(error)}, dict(error.headers))


def _sentence(error: ApiError) -> str:
    """Shared faults carry OpenAI's wording; give them Runway's kind of sentence instead."""
    if error.status == 401:
        return UNAUTHORIZED_MESSAGE
    if error.code == "insufficient_quota":
        return QUOTA_MESSAGE
    if error.code == "rate_limit_exceeded":
        return RATE_LIMIT_MESSAGE
    if error.type == "server_error":
        return SERVER_ERROR_MESSAGE
    return error.message
