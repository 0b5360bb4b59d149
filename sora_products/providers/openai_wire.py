"""Wire format of the OpenAI Videos protocol: the Video object, error envelopes and model table.

Parsing is lenient the way the official SDK is (gateways add keys, omit optional ones, or send
numbers as strings), but a body without a video id is refused: nothing could be tracked from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from sora_products.providers.base import (
    MODERATION_CODES,
    QUOTA_CODES,
    BadResponse,
    JobStatus,
    ModelCapabilities,
    RemoteJob,
)

ALL_SECONDS = frozenset({4, 8, 12, 16, 20})
PORTRAIT_LANDSCAPE = frozenset({"720x1280", "1280x720"})

# The OpenAI protocol's own models (March 2026 guide: 16 and 20 s for both, 1080p for pro).
OPENAI_MODELS: dict[str, ModelCapabilities] = {
    "sora-2": ModelCapabilities(sizes=PORTRAIT_LANDSCAPE, seconds=ALL_SECONDS, remix=True, audio=True),
    "sora-2-pro": ModelCapabilities(
        sizes=PORTRAIT_LANDSCAPE | {"1024x1792", "1792x1024", "1920x1080", "1080x1920"},
        seconds=ALL_SECONDS,
        remix=True,
        audio=True,
    ),
}

# Status words some gateways use instead of the four OpenAI ones.
STATUS_ALIASES = {
    "pending": JobStatus.QUEUED,
    "submitted": JobStatus.QUEUED,
    "processing": JobStatus.IN_PROGRESS,
    "running": JobStatus.IN_PROGRESS,
    "succeeded": JobStatus.COMPLETED,
    "success": JobStatus.COMPLETED,
    "error": JobStatus.FAILED,
    "cancelled": JobStatus.FAILED,
    "canceled": JobStatus.FAILED,
}

MAX_MESSAGE_CHARS = 500
SPECIAL_CODES = MODERATION_CODES | QUOTA_CODES


def merge_models(
    base: Mapping[str, ModelCapabilities], overrides: Mapping[str, Any] | None
) -> dict[str, ModelCapabilities]:
    """Apply a MODELS option over the built-in table; a None entry removes a model the gateway lacks."""
    models = dict(base)
    for name, spec in (overrides or {}).items():
        if spec is None:
            models.pop(name, None)
            continue
        if not isinstance(spec, Mapping):
            raise ValueError(f"MODELS[{name!r}] must be a dict with sizes and seconds, not {type(spec).__name__}.")
        models[name] = model_capabilities(name, {str(k).lower(): v for k, v in spec.items()}, models.get(name))
    return models


def model_capabilities(name: str, spec: Mapping[str, Any], current: ModelCapabilities | None) -> ModelCapabilities:
    """One model's capabilities from an override, inheriting what it does not say from ``current``."""
    if current is None and ("sizes" not in spec or "seconds" not in spec):
        raise ValueError(f"MODELS[{name!r}] is a new model, so it needs both 'sizes' and 'seconds'.")
    try:
        sizes = frozenset(str(s) for s in spec["sizes"]) if "sizes" in spec else current.sizes
        seconds = frozenset(int(s) for s in spec["seconds"]) if "seconds" in spec else current.seconds
    except (TypeError, ValueError) as exc:
        raise ValueError(f"MODELS[{name!r}] sizes must be 'WxH' strings and seconds whole numbers.") from exc
    return ModelCapabilities(
        sizes=sizes,
        seconds=seconds,
        remix=bool(spec.get("remix", current.remix if current else False)),
        audio=bool(spec.get("audio", current.audio if current else False)),
    )


def as_int(value: Any) -> int | None:
    """An integer from an int, float or numeric string; None when absent or unreadable."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def parse_status(value: Any) -> JobStatus:
    """Known statuses as they are; unknown ones count as still running, so polling goes on."""
    text = str(value or "").strip().lower()
    try:
        return JobStatus(text)
    except ValueError:
        return STATUS_ALIASES.get(text, JobStatus.IN_PROGRESS)


def parse_video(data: Any, headers: httpx.Headers | None = None) -> RemoteJob:
    """A RemoteJob from a Video object (and the response headers that came with it)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("id"), str) or not data["id"]:
        raise BadResponse("the answer is not a video object with an id")
    status = parse_status(data.get("status"))
    error = data.get("error") if isinstance(data.get("error"), Mapping) else {}
    progress = as_int(data.get("progress"))
    if progress is None:
        progress = 100 if status is JobStatus.COMPLETED else 0
    headers = headers or httpx.Headers()
    return RemoteJob(
        id=data["id"],
        status=status,
        progress=min(max(progress, 0), 100),
        model=str(data.get("model") or ""),
        size=str(data.get("size") or ""),
        seconds=as_int(data.get("seconds")) or 0,
        prompt=data.get("prompt") if isinstance(data.get("prompt"), str) else None,
        created_at=as_int(data.get("created_at")),
        completed_at=as_int(data.get("completed_at")),
        expires_at=as_int(data.get("expires_at")),
        remixed_from=data.get("remixed_from_video_id") or None,
        error_code=str(error["code"]) if error.get("code") else None,
        error_message=str(error["message"]) if error.get("message") else None,
        poll_after_ms=as_int(headers.get("openai-poll-after-ms")),
        request_id=headers.get("x-request-id"),
    )


def parse_error_body(response: httpx.Response) -> tuple[str, str | None]:
    """The provider's message and code from an error answer: OpenAI envelope, ``detail``, or text."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, Mapping):
        error = body.get("error")
        if isinstance(error, Mapping):
            code = error.get("code")
            if not code and error.get("type") in SPECIAL_CODES:
                code = error["type"]  # some gateways put insufficient_quota only in "type"
            return clip(str(error.get("message") or "")), str(code) if code else None
        if isinstance(error, str):
            return clip(error), None
        if "detail" in body:
            return clip(str(body["detail"])), None
    text = response.text.strip() if response.content else ""
    return clip(text), None


def clip(text: str) -> str:
    """Keep error pages from flooding logs and admin screens."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"
