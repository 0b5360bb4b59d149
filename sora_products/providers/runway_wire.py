"""Wire format of Runway's API: the task object, error bodies, ratios and the model table.

Read from the official ``runwayml`` SDK 5.24 (see ``shared/reference/runway-api.md``). The SDK parses
tasks leniently, so this module checks the fields itself: a task without an id or with an unknown
status is refused rather than guessed at.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from sora_products.providers.base import BadResponse, JobStatus, ModelCapabilities, RemoteJob

API_VERSION = "2024-11-06"
DEFAULT_BASE_URL = "https://api.dev.runwayml.com"
CREDIT = Decimal("0.01")  # USD per credit
MAX_DATA_URI_BYTES = 5 * 1024 * 1024

GEN4_SIZES = frozenset({"1280x720", "720x1280", "1104x832", "960x960", "832x1104", "1584x672"})
VEO_SIZES = frozenset({"1280x720", "720x1280", "1080x1920", "1920x1080"})
SQUARE_SIZES = frozenset({"1280x720", "720x1280", "960x960"})
KLING_PRO_SIZES = frozenset({"1920x1080", "1080x1920", "1440x1440"})

# image_to_video models: what each accepts. ``audio`` True means the model takes an ``audio`` flag.
RUNWAY_MODELS: dict[str, ModelCapabilities] = {
    "gen4.5": ModelCapabilities(sizes=GEN4_SIZES, seconds=frozenset(range(2, 11)), remix=True, audio=False),
    "gen4_turbo": ModelCapabilities(sizes=GEN4_SIZES, seconds=frozenset({5, 10}), remix=True, audio=False),
    "veo3.1": ModelCapabilities(sizes=VEO_SIZES, seconds=frozenset({4, 6, 8}), remix=True, audio=True),
    "veo3.1_fast": ModelCapabilities(sizes=VEO_SIZES, seconds=frozenset({4, 6, 8}), remix=True, audio=True),
    "kling3.0_pro": ModelCapabilities(sizes=KLING_PRO_SIZES, seconds=frozenset(range(3, 16)), remix=True, audio=True),
    "kling3.0_standard": ModelCapabilities(sizes=SQUARE_SIZES, seconds=frozenset(range(3, 16)), remix=True, audio=True),
    "seedance2": ModelCapabilities(sizes=SQUARE_SIZES, seconds=frozenset(range(4, 16)), remix=True, audio=True),
}

STATUSES = {
    "PENDING": JobStatus.QUEUED,
    "THROTTLED": JobStatus.QUEUED,
    "RUNNING": JobStatus.IN_PROGRESS,
    "SUCCEEDED": JobStatus.COMPLETED,
    "FAILED": JobStatus.FAILED,
    "CANCELLED": JobStatus.FAILED,
}
# Runway's failure codes for its content checks start with SAFETY (SAFETY.INPUT.TEXT, SAFETY.OUTPUT.VIDEO, …).
MODERATION_PREFIX = "SAFETY"
MODERATION_CODE = "content_moderation"
MAX_MESSAGE_CHARS = 500


def ratio(size: str) -> str:
    """Runway's ``720:1280`` for our ``720x1280``."""
    return size.lower().replace("x", ":", 1)


def credits_to_usd(value: Any) -> Decimal | None:
    """Credits (1 = $0.01) as dollars, or None when the field is absent or not a number."""
    if isinstance(value, Mapping):
        value = value.get("credits")
    if value is None or isinstance(value, bool):
        return None
    try:
        return (Decimal(str(value)) * CREDIT).quantize(CREDIT)
    except (InvalidOperation, ValueError):
        return None


def _unix(value: Any) -> int | None:
    if not isinstance(value, str):
        return None
    try:
        return int(datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


def parse_task(body: Any, headers: httpx.Headers | None = None) -> RemoteJob:
    """A task answer as a RemoteJob; BadResponse when it has no id or an unknown status."""
    request_id = (headers or {}).get("x-request-id")
    if not isinstance(body, Mapping) or not isinstance(body.get("id"), str) or not body["id"]:
        raise BadResponse("the task answer has no id", request_id=request_id)
    raw_status = str(body.get("status") or "").upper()
    status = STATUSES.get(raw_status)
    if status is None:
        raise BadResponse(f"the task has an unknown status {raw_status!r}", request_id=request_id)
    progress = 0
    if status == JobStatus.COMPLETED:
        progress = 100
    elif raw_status == "RUNNING":
        try:
            progress = max(0, min(99, int(float(body.get("progress") or 0) * 100)))
        except (TypeError, ValueError):
            progress = 0
    error_code = error_message = None
    if raw_status == "FAILED":
        failure_code = str(body.get("failureCode") or "")
        error_message = str(body.get("failure") or "Runway could not make this video.")[:MAX_MESSAGE_CHARS]
        if failure_code:
            error_message = f"{error_message.rstrip('.')}. ({failure_code})"
        error_code = (
            MODERATION_CODE
            if failure_code.upper().startswith(MODERATION_PREFIX)
            else (failure_code[:100] or "generation_failed")
        )
    elif raw_status == "CANCELLED":
        error_code, error_message = "cancelled", "The task was cancelled at Runway."
    if status == JobStatus.COMPLETED and not first_output(body):
        raise BadResponse("the finished task lists no output", request_id=request_id)
    created = _unix(body.get("createdAt"))
    return RemoteJob(
        id=body["id"],
        status=status,
        progress=progress,
        model="",
        size="",
        seconds=0,
        prompt=None,
        created_at=created,
        completed_at=None,
        expires_at=None,  # output links expire, the task does not: a fresh read gives fresh links
        remixed_from=None,
        error_code=error_code,
        error_message=error_message,
        request_id=request_id,
        estimated_cost=credits_to_usd(body.get("estimatedCost")),
        cost=credits_to_usd(body.get("cost")),
    )


def first_output(body: Mapping[str, Any]) -> str | None:
    """The first output URL of a finished task."""
    output = body.get("output")
    if isinstance(output, list) and output and isinstance(output[0], str) and output[0]:
        return output[0]
    return None


def parse_error_body(response: httpx.Response) -> str:
    """The sentence of an error answer (``{"error": …}``, or any JSON or text), for the typed error."""
    try:
        body = response.json()
    except ValueError:
        return (response.text or "")[:MAX_MESSAGE_CHARS]
    if isinstance(body, Mapping):
        for key in ("error", "message", "detail"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value[:MAX_MESSAGE_CHARS]
            if isinstance(value, Mapping) and isinstance(value.get("message"), str):
                return value["message"][:MAX_MESSAGE_CHARS]
    return str(body)[:MAX_MESSAGE_CHARS]
