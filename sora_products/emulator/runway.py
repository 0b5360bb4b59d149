"""The Runway endpoints (image_to_video, video_to_video, tasks, output files) over the shared jobs, renders and faults.

Reached with the official SDK as ``RunwayML(base_url=emulator.url, api_key=...)``: the SDK adds ``/v1/...`` itself.
Tasks walk PENDING -> RUNNING (progress 0-1) -> SUCCEEDED / FAILED; DELETE cancels a live task (it then reads
CANCELLED, the emulator's choice where the real API may answer 404) or deletes a finished one (404 afterwards).
Runway has no webhooks, so Runway jobs announce nothing when they end.

Credits are the emulator's own figures, not Runway's (its per-model rates were not published with the SDK): credits
per second of output, 1 credit = $0.01 — gen4.5 12, gen4_turbo 5, veo3.1 40 with audio / 20 without, veo3.1_fast
15 / 10, kling3.0_pro 17, kling3.0_standard 11, seedance2 30, aleph2 15, any other model 20. ``estimatedCost`` is
the cost of the asked seconds, SUCCEEDED reports the same integer, FAILED and CANCELLED report 0.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from PIL import Image

from .config import EmulatorConfig
from .errors import ApiError
from .faults import FaultInjector
from .lifecycle import Lifecycle
from .protocol import DropConnection, FileResponse, Request, Response
from .ranges import byte_range
from .runway_media import MAX_INLINE_BYTES, MAX_VIDEO_URL_BYTES, first_frame, fit_image, load_image, read_uri
from .runway_models import (
    IMAGE_MODELS,
    MAX_SOURCE_SECONDS,
    VIDEO_MODELS,
    TaskRequest,
    closest_ratio,
    ratio_size,
    validate_image_request,
    validate_video_request,
)
from .runway_tasks import OUTPUT_PATH, OutputLinks, task_json
from .stats import Stats
from .store import Job, JobStore, RenderSpec

PROTOCOL = "runway"
CREDITS_PER_SECOND: dict[str, int | tuple[int, int]] = {  # (with audio, without audio) where sound is priced
    "gen4.5": 12,
    "gen4_turbo": 5,
    "veo3.1": (40, 20),
    "veo3.1_fast": (15, 10),
    "kling3.0_pro": 17,
    "kling3.0_standard": 11,
    "seedance2": 30,
    "aleph2": 15,
}
DEFAULT_CREDITS_PER_SECOND = 20
VIDEO_FILE = "video.mp4"
_OUTPUT = re.compile(re.escape(OUTPUT_PATH).replace(re.escape("{task_id}"), r"(?P<task_id>[^/]+)"))


@dataclass(frozen=True)
class VideoSource:
    """What a video_to_video input gives the new clip: its first picture, shape, look and length."""

    task_id: str | None  # set when the input is one of our own outputs
    picture: Image.Image | None  # None: the source was drawn from its prompt, and so is the new clip
    size: tuple[int, int]
    backdrop: str
    tints: tuple[str, ...]
    seconds: float


def credits_for(model: str, seconds: int, audio: bool) -> int:
    """What a task of this model and length costs, in the emulator's own credits."""
    rate = CREDITS_PER_SECOND.get(model, DEFAULT_CREDITS_PER_SECOND)
    if isinstance(rate, tuple):
        rate = rate[0] if audio else rate[1]
    return rate * seconds


class RunwayApi:
    """Route handlers; each takes the request (and the task id) and returns a response or raises ApiError."""

    def __init__(
        self,
        config: EmulatorConfig,
        store: JobStore,
        lifecycle: Lifecycle,
        faults: FaultInjector,
        stats: Stats,
        data_dir: str,
    ) -> None:
        self.config, self.store, self.lifecycle = config, store, lifecycle
        self.faults, self.stats, self.data_dir = faults, stats, data_dir
        self.links = OutputLinks()

    # -- creating tasks ----------------------------------------------------------------------------

    def image_to_video(self, request: Request) -> Response | DropConnection:
        """POST /v1/image_to_video: a clip from the first-frame image, cropped to the ratio's size."""
        task = validate_image_request(_json_body(request))
        self.faults.check_prompt(task.prompt)
        # a last frame is checked like the first, but the clip is drawn from the first
        first, *_ = [load_image(read_uri(uri, "promptImage", MAX_INLINE_BYTES), "promptImage") for uri in task.inputs]
        ratio = task.ratio or closest_ratio(IMAGE_MODELS[task.model].ratios, *first.size)
        width, height = ratio_size(ratio)
        seconds = int(task.seconds or 0)
        task_id, directory = self._new_task()
        reference_path = os.path.join(directory, "reference.png")
        fit_image(first, (width, height)).save(reference_path, "PNG")
        spec = RenderSpec(width, height, seconds, task.prompt or task.model, reference_path, (), _motion(task, task_id))
        job = self._start("create", task_id, task, ratio, seconds, spec, directory)
        if self.faults.drop_create_response():
            return DropConnection()
        return Response(200, _created(job))

    def video_to_video(self, request: Request) -> Response | DropConnection:
        """POST /v1/video_to_video: a new clip from an input video (ours are read locally), tinted by the prompt."""
        task = validate_video_request(_json_body(request))
        rules = VIDEO_MODELS[task.model]
        self.faults.check_prompt(task.prompt)
        task_id, directory = self._new_task()
        try:
            source = self._video_source(task, rules.video_field, directory)
        except ApiError:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        if task.ratio:
            ratio = task.ratio
        elif rules.ratios:
            ratio = closest_ratio(rules.ratios, *source.size)
        else:
            ratio = "{}:{}".format(*(_even(side) for side in source.size))
        width, height = ratio_size(ratio)
        seconds = task.seconds or max(1, min(MAX_SOURCE_SECONDS, round(source.seconds)))
        reference_path = None
        if source.picture is not None:
            reference_path = os.path.join(directory, "reference.png")
            fit_image(source.picture, (width, height)).save(reference_path, "PNG")
        tints = source.tints + ((task.prompt,) if task.prompt else ())
        spec = RenderSpec(width, height, seconds, source.backdrop, reference_path, tints, _motion(task, task_id))
        job = self._start("edit", task_id, task, ratio, seconds, spec, directory, source.task_id)
        if self.faults.drop_create_response():
            return DropConnection()
        return Response(200, _created(job))

    def _video_source(self, task: TaskRequest, field: str, directory: str) -> VideoSource:
        """What the input video gives the new clip: one of our tasks is read from its spec, any other is decoded."""
        uri = task.inputs[0]
        job = self._local_output(uri, field)
        if job is not None:
            spec, picture = job.spec, None
            if spec.reference_path and os.path.exists(spec.reference_path):
                with Image.open(spec.reference_path) as image:
                    picture = image.copy()
            return VideoSource(job.id, picture, (spec.width, spec.height), spec.backdrop_prompt, spec.tint_prompts,
                               spec.seconds)  # fmt: skip
        path = os.path.join(directory, "input.mp4")
        with open(path, "wb") as handle:
            handle.write(read_uri(uri, field, MAX_VIDEO_URL_BYTES))
        picture, seconds = first_frame(path, field)
        return VideoSource(None, picture, picture.size, task.prompt or task.model, (), seconds)

    def _local_output(self, uri: str, field: str) -> Job | None:
        """The finished task behind one of our own output links (read from disk, no loopback fetch)."""
        parts = urlsplit(uri)
        match = _OUTPUT.fullmatch(parts.path) if parts.scheme in ("http", "https") else None
        if match is None:
            return None
        source = self.store.get(match.group("task_id"), protocol=PROTOCOL)
        if source is None or source.status != "completed":
            raise ApiError(400, f"Invalid '{field}': {uri} does not point at the output of a succeeded task.")
        query = parse_qs(parts.query)
        try:
            self.links.check(source.id, _first(query, "exp"), _first(query, "sig"))
        except ApiError as error:
            raise ApiError(400, f"Invalid '{field}': {error.message}") from None
        return source

    def _new_task(self) -> tuple[str, str]:
        task_id = str(uuid.uuid4())
        directory = os.path.join(self.data_dir, task_id)
        os.makedirs(directory, exist_ok=True)
        return task_id, directory

    def _start(
        self,
        kind: str,
        task_id: str,
        task: TaskRequest,
        ratio: str,
        seconds: int,
        spec: RenderSpec,
        directory: str,
        source_id: str | None = None,
    ) -> Job:
        job = Job(
            id=task_id,
            kind=kind,
            model=task.model,
            size=ratio,
            seconds=str(seconds),
            prompt=task.prompt,
            created_at=int(time.time()),
            started=time.monotonic(),
            complete_after=self.config.complete_after,
            spec=self.faults.drifted(spec),
            directory=directory,
            protocol=PROTOCOL,
            credits=credits_for(task.model, seconds, task.audio),
            planned_error=self.faults.planned_failure(task.prompt),
        )
        self.store.add(job)
        self.stats.generation(kind, task_id, task.prompt, source_id, protocol=PROTOCOL)
        self.lifecycle.begin(job)
        return job

    # -- reading, cancelling, deleting -----------------------------------------------------------------

    def retrieve(self, request: Request, task_id: str) -> Response:
        """GET /v1/tasks/{id}: the task in its current state, with a fresh output link once it succeeded."""
        job = self._task(task_id)
        link = None
        if job.status == "completed":
            link = self.links.link(_origin(request, self.config), job.id, self.config.expires_after)
        return Response(200, task_json(job, link))

    def delete(self, request: Request, task_id: str) -> Response:
        """DELETE /v1/tasks/{id}: cancel a live task (it stays readable as CANCELLED) or delete a finished one."""
        job = self._task(task_id)
        if self.store.cancel(job.id) is None:
            self.store.remove(job.id)
            shutil.rmtree(job.directory, ignore_errors=True)
        return Response(204)

    def output(self, request: Request, task_id: str) -> FileResponse:
        """GET /_runway/outputs/{id}/video.mp4?exp=&sig=: the signed, expiring link a SUCCEEDED task points at."""
        job = self.store.get(task_id, protocol=PROTOCOL)
        if job is None:
            raise ApiError(404, "This output does not exist; its task may have been deleted.")
        self.links.check(job.id, request.query("exp"), request.query("sig"))
        path = os.path.join(job.directory, VIDEO_FILE)
        if job.status != "completed" or not os.path.exists(path):
            raise ApiError(404, "This output does not exist; its task may have been deleted.")
        size = os.path.getsize(path)
        span = byte_range(request.headers.get("range"), size)
        headers = {"accept-ranges": "bytes"}
        truncate = self.faults.truncate_download()
        if span is None:
            return FileResponse(path, "video/mp4", headers, truncate=truncate)
        first, last = span
        headers["content-range"] = f"bytes {first}-{last}/{size}"
        return FileResponse(
            path, "video/mp4", headers, truncate=truncate, status=206, offset=first, length=last - first + 1
        )

    def _task(self, task_id: str) -> Job:
        job = self.store.get(task_id, protocol=PROTOCOL)
        if job is None:
            raise ApiError(404, f"Task '{task_id}' was not found; it may never have existed or has been deleted.")
        return job


def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        body = None
    if not isinstance(body, dict):
        raise ApiError(400, "The request body is not a JSON object; send the task's fields as JSON.")
    return body


def _created(job: Job) -> dict[str, Any]:
    """A create's answer: the task id and the most it may charge (the SDK's create response requires both)."""
    return {"id": job.id, "estimatedCost": {"credits": job.credits}}


def _motion(task: TaskRequest, task_id: str) -> str:
    """The same seed moves the camera the same way; without one every task moves its own way."""
    return f"seed:{task.seed}" if task.seed is not None else task_id


def _origin(request: Request, config: EmulatorConfig) -> str:
    """Where the client reached us, so output links work from the client's side."""
    host = request.headers.get("host") or f"{config.host}:{config.port}"
    return f"http://{host}"


def _even(side: int) -> int:
    return max(64, min(3840, side - side % 2))


def _first(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None
