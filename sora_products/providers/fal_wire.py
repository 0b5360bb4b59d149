"""Wire format of fal.ai's queue: per-model input shapes, the status answer, and the remote id we keep.

Each endpoint names its fields its own way (``image_url`` or ``start_image_url``, ``"8s"`` or ``"8"``
or 8, ``generate_audio``), so a model table says how to build the input; a shop adds endpoints under
the provider's MODELS setting. Read from ``shared/reference/video-provider-apis.md`` section B.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from sora_products.providers.base import BadResponse, JobStatus, ModelCapabilities, RemoteJob

DEFAULT_QUEUE_URL = "https://queue.fal.run"
DEFAULT_JWKS_URL = "https://rest.alpha.fal.ai/.well-known/jwks.json"
# Namespaced ids keep their first two parts as the app; the rest is the sub-path of the submit only.
NAMESPACES = ("workflows", "comfy")
MODERATION_TYPES = frozenset({"content_policy_violation", "content_moderation", "moderation"})
MAX_MESSAGE_CHARS = 500

PORTRAIT_LANDSCAPE_720 = frozenset({"720x1280", "1280x720"})
PORTRAIT_LANDSCAPE_1080 = frozenset({"1080x1920", "1920x1080"})


@dataclass(frozen=True)
class FalModel:
    """How one endpoint takes its input, and what it can make."""

    image_field: str = "image_url"
    duration: str = "string"  # "suffix_s" ("8s"), "string" ("8") or "int" (8)
    seconds: frozenset[int] = frozenset(range(4, 16))
    sizes: frozenset[str] = PORTRAIT_LANDSCAPE_720
    aspect_ratio: bool = True  # sends aspect_ratio ("9:16"); False: the ratio follows the image
    resolution: bool = True  # sends resolution ("720p")
    audio_field: str | None = "generate_audio"

    def capabilities(self) -> ModelCapabilities:
        return ModelCapabilities(sizes=self.sizes, seconds=self.seconds, remix=False, audio=bool(self.audio_field))

    def input(self, prompt: str, image_uri: str, size: str, seconds: int, audio: bool) -> dict[str, Any]:
        """The JSON body of a submit for this endpoint."""
        body: dict[str, Any] = {"prompt": prompt, self.image_field: image_uri}
        body["duration"] = {"suffix_s": f"{seconds}s", "string": str(seconds)}.get(self.duration, int(seconds))
        width, height = (int(part) for part in size.lower().split("x"))
        if self.aspect_ratio:
            body["aspect_ratio"] = "9:16" if height > width else "16:9" if width > height else "1:1"
        if self.resolution:
            body["resolution"] = f"{min(width, height)}p"
        if self.audio_field:
            body[self.audio_field] = bool(audio)
        return body


VEO = FalModel(
    duration="suffix_s", seconds=frozenset({4, 6, 8}), sizes=PORTRAIT_LANDSCAPE_720 | PORTRAIT_LANDSCAPE_1080
)
FAL_MODELS: dict[str, FalModel] = {
    "fal-ai/veo3.1/image-to-video": VEO,
    "fal-ai/veo3.1/fast/image-to-video": VEO,
    # Kling v3 Pro makes 1080p whatever is asked, in the photo's ratio.
    "fal-ai/kling-video/v3/pro/image-to-video": FalModel(
        image_field="start_image_url",
        seconds=frozenset(range(3, 16)),
        sizes=frozenset({"1080x1920", "1920x1080", "1080x1080"}),
        aspect_ratio=False,
        resolution=False,
    ),
    "bytedance/seedance-2.0/image-to-video": FalModel(
        sizes=PORTRAIT_LANDSCAPE_720 | PORTRAIT_LANDSCAPE_1080 | {"720x720", "1080x1080"}, audio_field="generate_audio"
    ),
    "fal-ai/wan/v2.7/image-to-video": FalModel(
        duration="int",
        seconds=frozenset(range(2, 16)),
        sizes=PORTRAIT_LANDSCAPE_720 | PORTRAIT_LANDSCAPE_1080,
        aspect_ratio=False,
        audio_field=None,
    ),
}


def merge_fal_models(overrides: Mapping[str, Any] | None) -> dict[str, FalModel]:
    """FAL_MODELS with a shop's MODELS over it: {"owner/app/path": {"image_field": …, "seconds": […], …}} or None."""
    models = dict(FAL_MODELS)
    for name, spec in (overrides or {}).items():
        if spec is None:
            models.pop(name, None)
            continue
        if not isinstance(spec, Mapping):
            raise ValueError(f"MODELS[{name!r}] must be a dict, not {type(spec).__name__}.")
        given = {str(key).lower(): value for key, value in spec.items()}
        unknown = sorted(set(given) - set(FalModel.__dataclass_fields__))
        if unknown:
            raise ValueError(f"MODELS[{name!r}] has unknown keys {unknown}.")
        if "seconds" in given:
            given["seconds"] = frozenset(int(s) for s in given["seconds"])
        if "sizes" in given:
            given["sizes"] = frozenset(str(s) for s in given["sizes"])
        base = models.get(name, FalModel())
        models[name] = FalModel(**{**base.__dict__, **given})
    return models


def app_of(model_id: str) -> str:
    """``owner/app`` of an endpoint id: status, result and cancel live under it, not under the full path."""
    parts = model_id.strip("/").split("/")
    keep = 3 if parts[0] in NAMESPACES else 2
    return "/".join(parts[:keep])


def remote_id(model_id: str, request_id: str) -> str:
    """What the row keeps: the request's own path, so every later call needs nothing else."""
    return f"{app_of(model_id)}/requests/{request_id}"


def request_id_of(remote: str) -> str:
    return remote.rsplit("/requests/", 1)[-1]


def parse_status(remote: str, body: Any, headers: httpx.Headers | None = None) -> RemoteJob:
    """A status answer as a RemoteJob: IN_QUEUE, IN_PROGRESS, or COMPLETED (with or without an error)."""
    request_id = (headers or {}).get("x-fal-request-id")
    status = body.get("status") if isinstance(body, Mapping) else None
    error_code = error_message = None
    if status == "IN_QUEUE":
        job_status, progress = JobStatus.QUEUED, 0
    elif status == "IN_PROGRESS":
        job_status, progress = JobStatus.IN_PROGRESS, 50
    elif status == "COMPLETED":
        job_status, progress = JobStatus.COMPLETED, 100
        if body.get("error"):
            error_type = str(body.get("error_type") or "")
            job_status, progress = JobStatus.FAILED, 100
            error_code = "content_moderation" if error_type in MODERATION_TYPES else (error_type[:100] or "failed")
            error_message = str(body["error"])[:MAX_MESSAGE_CHARS]
    else:
        raise BadResponse(f"the status answer has an unknown status {status!r}", request_id=request_id)
    return RemoteJob(
        id=remote,
        status=job_status,
        progress=progress,
        model="",
        size="",
        seconds=0,
        prompt=None,
        created_at=None,
        completed_at=None,
        expires_at=None,
        remixed_from=None,
        error_code=error_code,
        error_message=error_message,
        request_id=request_id,
    )


def video_url(body: Any) -> str | None:
    """The output file's URL of a result (``{"video": {"url": …}}``)."""
    video = body.get("video") if isinstance(body, Mapping) else None
    url = video.get("url") if isinstance(video, Mapping) else None
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else None


def error_text(response: httpx.Response) -> tuple[str, str | None]:
    """(message, error type) of an error answer: ``{"detail": str | [{"loc", "msg"}]}``."""
    error_type = response.headers.get("x-fal-error-type")
    try:
        body = response.json()
    except ValueError:
        return (response.text or "")[:MAX_MESSAGE_CHARS], error_type
    if not isinstance(body, Mapping):
        return str(body)[:MAX_MESSAGE_CHARS], error_type
    error_type = str(body.get("error_type") or error_type or "") or None
    detail = body.get("detail")
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, Mapping):
                where = ".".join(str(p) for p in item.get("loc") or [] if p != "body")
                parts.append(f"{where}: {item.get('msg')}" if where else str(item.get("msg")))
                error_type = error_type or (str(item.get("type")) if item.get("type") else None)
        return "; ".join(parts)[:MAX_MESSAGE_CHARS], error_type
    return str(detail or body.get("status") or body)[:MAX_MESSAGE_CHARS], error_type
