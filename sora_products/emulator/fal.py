"""fal.ai's queue: submit, status, result, cancel, and the CDN-style file links the results point at.

Submit takes the full endpoint id (``fal-ai/kling-video/v3/pro/image-to-video``); status, result and cancel are
addressed by ``owner/app`` only (namespaced ids such as ``workflows/x/y`` keep their prefix). Jobs live in the
shared JobStore with ``protocol="fal"`` and are rendered by the shared Lifecycle.
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from .config import EmulatorConfig
from .errors import ApiError
from .fal_errors import (
    CANCELLED_MESSAGE,
    GENERATION_FAILED_MESSAGE,
    IN_PROGRESS_MESSAGE,
    FalError,
    content_policy,
    field_error,
    invalid_input,
)
from .fal_media import check_min_side, fit, read_image
from .fal_models import MODELS, find_model, frame_size, nearest_ratio, validate
from .fal_webhooks import FalWebhookSigner, send, webhook_body
from .faults import MODERATION_ERROR, FaultInjector
from .lifecycle import Lifecycle
from .protocol import DropConnection, FileResponse, Request, Response
from .ranges import byte_range
from .stats import Stats
from .store import QUEUED_FOR, Job, JobStore, RenderSpec
from .webhooks import WebhookSender

PROTOCOL = "fal"
NAMESPACES = ("workflows", "comfy")
FILES = {"video.mp4": "video/mp4", "thumbnail.webp": "image/webp"}
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9a-fA-F:]+\](:\d+)?")


def app_of(model_id: str) -> str:
    """owner/app of an endpoint id (with its namespace, if any): what status, result and cancel are addressed by."""
    parts = model_id.strip("/").split("/")
    return "/".join(parts[: 3 if parts[0] in NAMESPACES else 2])


class FalApi:
    """Route handlers; each returns a response or raises FalError (ApiError from shared parts is converted)."""

    def __init__(
        self,
        config: EmulatorConfig,
        store: JobStore,
        lifecycle: Lifecycle,
        faults: FaultInjector,
        stats: Stats,
        data_dir: str,
        webhooks: WebhookSender,
        signer: FalWebhookSigner,
        port: Callable[[], int],
    ) -> None:
        self.config, self.store, self.lifecycle = config, store, lifecycle
        self.faults, self.stats, self.data_dir = faults, stats, data_dir
        self.webhooks, self.signer, self._port = webhooks, signer, port

    # -- submitting --------------------------------------------------------------------------------

    def submit(self, request: Request, model_id: str) -> Response | DropConnection:
        """POST /{endpoint}[?fal_webhook=url]: validate, fetch the image, queue the job; 200 with all seven keys."""
        model = find_model(model_id)
        webhook_url = _webhook_url(request.query("fal_webhook"))
        spec = validate(model, _json_body(request))
        try:
            self.faults.check_prompt(spec.prompt)
        except ApiError:
            raise invalid_input([content_policy("prompt", spec.prompt)]) from None
        image = read_image(spec.image_url, model.image_field, model.max_image_bytes, self.own_file, self._port())
        check_min_side(image, model.image_field, model.min_image_side)
        ratio = spec.aspect_ratio if spec.aspect_ratio != "auto" else nearest_ratio(*image.size, model.auto_ratios)
        width, height = frame_size(ratio, spec.resolution)

        request_id = str(uuid.uuid4())
        directory = os.path.join(self.data_dir, request_id)
        os.makedirs(directory, exist_ok=True)
        reference_path = os.path.join(directory, "reference.png")
        fit(image, (width, height)).save(reference_path, "PNG")
        motion = f"seed:{spec.seed}" if spec.seed is not None else request_id
        render = RenderSpec(width, height, spec.seconds, spec.prompt, reference_path, (), motion)
        job = Job(
            id=request_id,
            kind="create",
            model=model.endpoint,
            size=f"{width}x{height}",
            seconds=str(spec.seconds),
            prompt=spec.prompt,
            created_at=int(time.time()),
            started=time.monotonic(),
            complete_after=self.config.complete_after,
            spec=self.faults.drifted(render),
            directory=directory,
            protocol=PROTOCOL,
            planned_error=self.faults.planned_failure(spec.prompt),
        )
        origin = self._origin(request)
        job.extra.update(
            app=app_of(model.endpoint),
            gateway_request_id=str(uuid.uuid4()),
            webhook_url=webhook_url,
            origin=origin,
            seed=spec.seed if spec.seed is not None else int(uuid.UUID(request_id)) % 2**31,
            aspect_ratio=ratio,
        )
        self.store.add(job)
        self.stats.generation("create", request_id, spec.prompt, protocol=PROTOCOL)
        self.lifecycle.begin(job)
        if self.faults.drop_create_response():
            return DropConnection()
        body = {
            "status": "IN_QUEUE",
            **self._links(job, origin),
            "gateway_request_id": job.extra["gateway_request_id"],
            "queue_position": self._position(job, time.monotonic()),
        }
        return Response(200, body, {"x-fal-request-id": request_id})

    # -- following a request -----------------------------------------------------------------------

    def status(self, request: Request, app: str, request_id: str) -> Response:
        """GET …/requests/{id}/status?logs=0|1: 202 while queued or running, 200 once COMPLETED."""
        job = self._job(app, request_id)
        with_logs = _logs_flag(request.query("logs"))
        now = time.monotonic()
        state, progress = job.live_status(now)
        body: dict[str, Any] = self._links(job, self._origin(request))
        if state == "queued":
            body.update(status="IN_QUEUE", queue_position=self._position(job, now))
            return Response(202, body)
        if state == "in_progress":
            body.update(status="IN_PROGRESS", logs=_logs(job, progress) if with_logs else None)
            return Response(202, body)
        body.update(
            status="COMPLETED",
            logs=_logs(job, 100) if with_logs else None,
            metrics={"inference_time": _inference_time(job)},
        )
        if job.status != "completed":
            code, _, error_type = self.outcome(job, "")
            body.update(error=f"Invalid status code: {code}", error_type=error_type)
        return Response(200, body)

    def result(self, request: Request, app: str, request_id: str) -> Response:
        """GET …/requests/{id}: the model output, 400 before completion, the failure's own status after one."""
        job = self._job(app, request_id)
        if not job.terminal:
            raise FalError(400, IN_PROGRESS_MESSAGE)
        code, body, error_type = self.outcome(job, self._origin(request))
        return Response(code, body, {"x-fal-error-type": error_type} if error_type else {})

    def cancel(self, request: Request, app: str, request_id: str) -> Response:
        """PUT …/requests/{id}/cancel: 202 for a live request (it then ends COMPLETED with an error), else 400."""
        job = self._job(app, request_id)
        cancelled = self.store.cancel(job.id)
        if cancelled is None:
            detail = f"Request '{request_id}' has already completed; there is nothing left to cancel."
            return Response(400, {"status": "ALREADY_COMPLETED", "detail": detail})
        self.announce(cancelled)
        return Response(202, {"status": "CANCELLATION_REQUESTED"})

    def file(self, request: Request, request_id: str, name: str) -> FileResponse:
        """GET /files/{id}/video.mp4 (or thumbnail.webp): the public link in the result, with byte ranges."""
        path = self.own_file(request_id, name)
        if path is None or not os.path.exists(path):
            raise FalError(404, "File not found; it may have expired or never existed.")
        size = os.path.getsize(path)
        span = byte_range(request.headers.get("range"), size)
        headers = {"accept-ranges": "bytes", "x-fal-request-id": request_id}
        truncate = self.faults.truncate_download()
        if span is None:
            return FileResponse(path, FILES[name], headers, truncate=truncate)
        first, last = span
        headers["content-range"] = f"bytes {first}-{last}/{size}"
        return FileResponse(
            path, FILES[name], headers, truncate=truncate, status=206, offset=first, length=last - first + 1
        )

    def own_file(self, request_id: str, name: str) -> str | None:
        """The path behind one of this port's file links, if the request completed and the link has not expired."""
        job = self.store.get(request_id, protocol=PROTOCOL)
        if job is None or name not in FILES or job.status != "completed":
            return None
        if job.expires_at is not None and time.time() >= job.expires_at:
            return None
        return os.path.join(job.directory, name)

    # -- endings ----------------------------------------------------------------------------------

    def outcome(self, job: Job, origin: str) -> tuple[int, Any, str | None]:
        """How a finished request answers its result: (HTTP status, body, error_type)."""
        if job.status == "completed":
            return 200, self._output(job, origin or job.extra["origin"]), None
        if job.status == "cancelled":
            return 499, {"detail": CANCELLED_MESSAGE, "error_type": "client_cancelled"}, "client_cancelled"
        if job.error is not None and job.error.get("code") == MODERATION_ERROR["code"]:
            return 422, {"detail": [content_policy("prompt", job.prompt)]}, None
        return 500, {"detail": GENERATION_FAILED_MESSAGE, "error_type": "runner_server_error"}, "runner_server_error"

    def announce(self, job: Job) -> None:
        """Deliver the signed webhook of a finished request submitted with ?fal_webhook=."""
        url = job.extra.get("webhook_url")
        if not url:
            return
        code, payload, _ = self.outcome(job, job.extra["origin"])
        body = webhook_body(job.id, job.extra["gateway_request_id"], code, payload)
        send(self.webhooks, self.signer, url, job.id, body)

    # -- helpers ----------------------------------------------------------------------------------

    def _job(self, app: str, request_id: str) -> Job:
        job = self.store.get(request_id, protocol=PROTOCOL)
        if job is None or job.extra.get("app") != app:
            raise FalError(404, f"Request '{request_id}' was not found for app '{app}'.", extra={"status": "NOT_FOUND"})
        return job

    def _links(self, job: Job, origin: str) -> dict[str, str]:
        base = f"{origin}/{job.extra['app']}/requests/{job.id}"
        return {
            "request_id": job.id,
            "response_url": base,
            "status_url": base + "/status",
            "cancel_url": base + "/cancel",
        }

    def _position(self, job: Job, now: float) -> int:
        """How many fal requests submitted earlier are still waiting (0-indexed, as fal counts)."""
        return sum(
            1
            for other in self.store.all()
            if other.protocol == PROTOCOL and other.sequence < job.sequence and other.live_status(now)[0] == "queued"
        )

    def _output(self, job: Job, origin: str) -> dict[str, Any]:
        model = MODELS[job.model]
        path = os.path.join(job.directory, "video.mp4")
        video: dict[str, Any] = {
            "url": f"{origin}/files/{job.id}/video.mp4",
            "content_type": "video/mp4",
            "file_name": "video.mp4",
            "file_size": os.path.getsize(path) if os.path.exists(path) else None,
        }
        if model.frame_facts_in_output:
            video.update(
                width=job.spec.width,
                height=job.spec.height,
                fps=self.config.frame_rate,
                duration=float(job.spec.seconds),
            )
        output: dict[str, Any] = {"video": video}
        if model.seed_in_output:
            output["seed"] = job.extra["seed"]
        return output

    def _origin(self, request: Request) -> str:
        """https://host:port as the client addressed us (127.0.0.1 or localhost, both on the certificate)."""
        host = request.headers.get("host", "")
        if not _HOST.fullmatch(host):
            host = f"127.0.0.1:{self._port()}"
        return f"https://{host}"


def _json_body(request: Request) -> Any:
    try:
        return json.loads(request.body or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise invalid_input(
            [field_error(None, "JSON decode error", "json_invalid", ctx={"error": str(error)})]
        ) from None


def _webhook_url(value: str | None) -> str | None:
    if value is None:
        return None
    if not value.startswith(("http://", "https://")):
        raise invalid_input(
            [field_error("fal_webhook", "Input should be a valid URL", "url_parsing", value=value, location="query")]
        )
    return value


def _logs_flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true")


def _logs(job: Job, progress: int) -> list[dict[str, Any]]:
    """A few runner log lines, as fal shows an app's output with ?logs=1."""
    stamp = datetime.fromtimestamp(job.created_at, UTC).isoformat()
    lines = [f"Generating a {job.size} clip of {job.spec.seconds} s with {job.model}", f"Progress: {progress}%"]
    return [{"message": line, "level": "INFO", "source": "user", "timestamp": stamp} for line in lines]


def _inference_time(job: Job) -> float:
    """Seconds a runner worked on it: the generation time after the queue wait (part of it, if cancelled)."""
    working = max(0.0, job.complete_after - min(1.0, job.complete_after * QUEUED_FOR))
    if job.status == "cancelled":
        working *= job.progress_at_end / 100
    return round(working, 3)
