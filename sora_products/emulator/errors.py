"""The provider's error envelope and the messages it uses, in one place so tests can match them."""

from __future__ import annotations

from .protocol import Response

MODERATION_MESSAGE = "Your request was blocked by our moderation system."
INPUT_MODERATION_MESSAGE = "Hmmm something didn't look right with your request."
REFERENCE_SIZE_MESSAGE = "Inpaint image must match the requested width and height"
RATE_LIMIT_MESSAGE = "Rate limit reached for requests"
QUOTA_MESSAGE = (
    "You exceeded your current quota, please check your plan and billing details. For more information on "
    "this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors."
)
SERVER_ERROR_MESSAGE = (
    "The server had an error processing your request. Sorry about that! You can retry your request, or "
    "contact us through our help center at help.openai.com if you keep seeing this error."
)
MISSING_KEY_MESSAGE = (
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer "
    "auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're "
    "accessing the API from your browser and are prompted for a username. You can obtain an API key from "
    "https://platform.openai.com/account/api-keys."
)
GENERATION_FAILED = {
    "code": "video_generation_failed",
    "message": "Video generation failed. Please try again.",
}


class ApiError(Exception):
    """An error answered with the provider's envelope: status, message, type, param, code."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.headers = headers or {}

    def to_response(self) -> Response:
        """The JSON envelope with all four keys, as every 4xx/5xx from the provider has."""
        body = {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}
        return Response(self.status, body, dict(self.headers))


def join_values(values: list[str]) -> str:
    """Quote and join like the provider: 'a' and 'b' / 'a', 'b', and 'c'."""
    quoted = [f"'{v}'" for v in values]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + ", and " + quoted[-1]


def invalid_value(param: str, value: object, supported: list[str]) -> ApiError:
    """The provider's enum message, e.g. Invalid value: '10'. Supported values are: '4', '8', and '12'."""
    return ApiError(
        400,
        f"Invalid value: '{value}'. Supported values are: {join_values(supported)}.",
        param=param,
        code="invalid_value",
    )


def missing_parameter(param: str) -> ApiError:
    """A required field was not sent."""
    return ApiError(400, f"Missing required parameter: '{param}'.", param=param, code="missing_required_parameter")


def not_found(video_id: str) -> ApiError:
    """An unknown or deleted video id."""
    return ApiError(404, f"Video with id '{video_id}' not found.", param="video_id", code="not_found")


def invalid_url(method: str, path: str) -> ApiError:
    """A path the provider does not serve."""
    return ApiError(404, f"Invalid URL ({method} {path})")


def unauthorized(key: str | None) -> ApiError:
    """401 for a missing or (when the emulator has a fixed key) a wrong key."""
    if not key:
        return ApiError(401, MISSING_KEY_MESSAGE)
    shown = key[:3] + "*" * 4 + key[-4:] if len(key) > 8 else "****"
    return ApiError(
        401,
        f"Incorrect API key provided: {shown}. You can find your API key at "
        "https://platform.openai.com/account/api-keys.",
        code="invalid_api_key",
    )


def rate_limited(retry_after_ms: int) -> ApiError:
    """429 the SDK retries after retry-after-ms."""
    return ApiError(
        429,
        RATE_LIMIT_MESSAGE,
        type="requests",
        code="rate_limit_exceeded",
        headers={"retry-after-ms": str(retry_after_ms), "retry-after": str(max(1, round(retry_after_ms / 1000)))},
    )


def quota_exceeded() -> ApiError:
    """429 that must not be retried: the account is out of money."""
    return ApiError(
        429, QUOTA_MESSAGE, type="insufficient_quota", code="insufficient_quota", headers={"x-should-retry": "false"}
    )


def server_error() -> ApiError:
    """A generic 500, as the provider answers when it falls over."""
    return ApiError(500, SERVER_ERROR_MESSAGE, type="server_error")
