"""fal's error shapes: ``{"detail": "..."}`` (+ ``error_type``) for the queue, a list of typed objects for bad input.

Model errors follow https://docs.fal.ai/errors (``loc``, ``msg``, ``type``, ``url``, ``ctx``); validation errors keep
pydantic's wording, as fal's FastAPI apps answer them. Every answer carries ``x-fal-request-id`` (the router adds it).
"""

from __future__ import annotations

from typing import Any

from .errors import ApiError
from .protocol import Response

DOCS = "https://docs.fal.ai/errors#"
CONTENT_POLICY_MESSAGE = "The content was flagged by a content checker."
QUOTA_MESSAGE = "User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing."
RATE_LIMIT_MESSAGE = "Too many concurrent requests for this user; wait for some to finish, then try again."
SERVER_ERROR_MESSAGE = "Internal server error"
IN_PROGRESS_MESSAGE = "Request is still in progress"
GENERATION_FAILED_MESSAGE = "Video generation failed on the runner; submitting the request again may succeed."
CANCELLED_MESSAGE = "The request was cancelled by the client."


class FalError(Exception):
    """An answer other than success: status, the ``detail`` (a sentence or a list of typed errors), extra keys."""

    def __init__(
        self,
        status: int,
        detail: Any,
        *,
        error_type: str | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail if isinstance(detail, str) else f"{status} {detail!r}")
        self.status = status
        self.detail = detail
        self.error_type = error_type
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})

    def body(self) -> dict[str, Any]:
        """The JSON body: detail, error_type when there is one, and any extra keys (cancel's status)."""
        body: dict[str, Any] = {**self.extra, "detail": self.detail}
        if self.error_type:
            body["error_type"] = self.error_type
        return body

    def to_response(self) -> Response:
        """The HTTP answer; error_type is mirrored in the X-Fal-Error-Type header, as fal does."""
        headers = dict(self.headers)
        if self.error_type:
            headers["x-fal-error-type"] = self.error_type
        return Response(self.status, self.body(), headers)


def field_error(
    field: str | None,
    msg: str,
    kind: str,
    *,
    value: Any = None,
    ctx: dict[str, Any] | None = None,
    location: str = "body",
) -> dict[str, Any]:
    """One typed error object; fal's own types (content checks, files, images) link their documentation."""
    error: dict[str, Any] = {"loc": [location] + ([field] if field else []), "msg": msg, "type": kind}
    if kind in FAL_TYPES:
        error["url"] = DOCS + kind
    if _echoable(value):
        error["input"] = value
    if ctx:
        error["ctx"] = ctx
    return error


FAL_TYPES = frozenset(
    {"content_policy_violation", "file_download_error", "image_load_error", "image_too_small", "file_too_large"}
)


def invalid_input(errors: list[dict[str, Any]]) -> FalError:
    """422 with the typed list; retrying the same input cannot help."""
    return FalError(422, errors, headers={"x-fal-retryable": "false"})


def content_policy(field: str, value: Any) -> dict[str, Any]:
    """The content checker refused this field (the emulator's moderation words)."""
    return field_error(field, CONTENT_POLICY_MESSAGE, "content_policy_violation", value=value)


def from_api_error(error: ApiError) -> FalError:
    """A shared fault (rate limit, quota, 500) or an HTTP-layer error, worded the way fal answers it."""
    if error.type == "insufficient_quota":
        return FalError(403, QUOTA_MESSAGE)
    if error.status == 429:
        return FalError(429, RATE_LIMIT_MESSAGE, headers=error.headers)
    if error.status >= 500:
        return FalError(error.status, SERVER_ERROR_MESSAGE, error_type="internal_error")
    return FalError(error.status, error.message, headers=error.headers)


def _echoable(value: Any) -> bool:
    """Short scalars are echoed back as input; data URIs and objects are not (they can be megabytes)."""
    if isinstance(value, str):
        return len(value) <= 200
    return isinstance(value, (int, float, bool))
