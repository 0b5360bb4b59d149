"""The /v1/videos endpoints: create, retrieve, list, delete, remix, edit, extend, content."""

from __future__ import annotations

import dataclasses
import os
import shutil
import time
from typing import Any

from .artwork import keeps_colour
from .config import EmulatorConfig
from .errors import ApiError, invalid_value, missing_parameter, not_found
from .faults import FaultInjector
from .forms import parse_body
from .lifecycle import Lifecycle
from .protocol import DropConnection, FileResponse, Request, Response
from .stats import Stats
from .store import Job, JobStore, RenderSpec, new_video_id
from .validation import (
    MAX_TOTAL_SECONDS,
    load_reference,
    size_tuple,
    validate_model,
    validate_prompt,
    validate_seconds,
    validate_size,
)

VARIANTS = {
    "video": ("video.mp4", "video/mp4"),
    "thumbnail": ("thumbnail.webp", "image/webp"),
    "spritesheet": ("spritesheet.jpg", "image/jpeg"),
}
ORDERS = ["asc", "desc"]


class VideoApi:
    """Route handlers; each takes the request (and path id) and returns a response or raises ApiError."""

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

    # -- creating jobs -------------------------------------------------------------------------

    def create(self, request: Request) -> Response | DropConnection:
        """POST /videos: multipart (file or bracketed keys) or JSON; answers the queued Video."""
        body = parse_body(request)
        prompt = validate_prompt(body.get("prompt"))
        model = validate_model(body.get("model"))
        seconds = validate_seconds(body.get("seconds"), self.config.allow_2026)
        size = validate_size(body.get("size"), model, self.config.allow_2026)
        self.faults.check_prompt(prompt)
        reference = load_reference(body.get("input_reference"), size)
        video_id = new_video_id()
        directory = os.path.join(self.data_dir, video_id)
        os.makedirs(directory, exist_ok=True)
        reference_path = None
        if reference is not None:
            reference_path = os.path.join(directory, f"reference.{reference.extension}")
            with open(reference_path, "wb") as handle:
                handle.write(reference.data)
        width, height = size_tuple(size)
        spec = RenderSpec(width, height, int(seconds), prompt, reference_path, (), video_id)
        job = self._start("create", video_id, model, size, seconds, prompt, spec, directory)
        if self.faults.drop_create_response():
            return DropConnection()
        return Response(200, job.to_dict())

    def remix(self, request: Request, video_id: str) -> Response:
        """POST /videos/{id}/remix: a new video from a completed one, tinted by the new prompt."""
        body = parse_body(request)
        source = self._completed_source(video_id)
        prompt = validate_prompt(body.get("prompt"))
        self.faults.check_prompt(prompt)
        job = self._derive("remix", source, prompt, tint=True)
        return Response(200, job.to_dict())

    def edit(self, request: Request) -> Response:
        """POST /videos/edits: like a remix, addressed by video[id] in the body."""
        body = parse_body(request)
        prompt = validate_prompt(body.get("prompt"))
        source = self._completed_source(self._video_ref(body))
        self.faults.check_prompt(prompt)
        return Response(200, self._derive("edit", source, prompt, tint=True).to_dict())

    def extend(self, request: Request) -> Response:
        """POST /videos/extensions: a longer clip whose seconds is the stitched total."""
        body = parse_body(request)
        prompt = validate_prompt(body.get("prompt"))
        seconds = validate_seconds(body.get("seconds"), self.config.allow_2026)
        source = self._completed_source(self._video_ref(body))
        total = int(source.seconds) + int(seconds)
        if total > MAX_TOTAL_SECONDS:
            raise ApiError(
                400,
                f"Extended videos can be at most {MAX_TOTAL_SECONDS} seconds long; this one would be {total}.",
                param="seconds",
                code="invalid_value",
            )
        self.faults.check_prompt(prompt)
        return Response(200, self._derive("extension", source, prompt, tint=False, seconds=total).to_dict())

    def _video_ref(self, body: dict[str, Any]) -> str:
        video = body.get("video")
        if isinstance(video, dict) and video.get("id"):
            return str(video["id"])
        if isinstance(video, bytes):
            raise ApiError(
                400,
                "Editing uploaded videos is not available in the emulator; pass video[id].",
                param="video",
                code="invalid_value",
            )
        raise missing_parameter("video")

    def _completed_source(self, video_id: str) -> Job:
        source = self.store.get(video_id, protocol="openai")
        if source is None:
            raise not_found(video_id)
        if source.status != "completed":
            status = source.live_status(time.monotonic())[0]
            raise ApiError(
                400,
                f"Video '{video_id}' is {status}; only completed videos can be remixed or edited.",
                param="video_id",
                code="invalid_value",
            )
        return source

    def _derive(self, kind: str, source: Job, prompt: str, *, tint: bool, seconds: int | None = None) -> Job:
        video_id = new_video_id()
        directory = os.path.join(self.data_dir, video_id)
        os.makedirs(directory, exist_ok=True)
        reference_path = None
        if source.spec.reference_path and os.path.exists(source.spec.reference_path):
            reference_path = os.path.join(directory, os.path.basename(source.spec.reference_path))
            shutil.copyfile(source.spec.reference_path, reference_path)
        spec = dataclasses.replace(
            source.spec,
            reference_path=reference_path,
            tint_prompts=source.spec.tint_prompts + ((prompt,) if tint else ()),
            seconds=seconds or source.spec.seconds,
            motion_seed=video_id,
            # a remix keeps its source's look, drift included, unless it asks for the photo's colours back
            hue_shift=0.0 if keeps_colour(prompt) else source.spec.hue_shift,
        )
        return self._start(
            kind, video_id, source.model, source.size, str(spec.seconds), prompt, spec, directory, source_id=source.id
        )

    def _start(
        self,
        kind: str,
        video_id: str,
        model: str,
        size: str,
        seconds: str,
        prompt: str,
        spec: RenderSpec,
        directory: str,
        source_id: str | None = None,
    ) -> Job:
        job = Job(
            id=video_id,
            kind=kind,
            model=model,
            size=size,
            seconds=seconds,
            prompt=prompt,
            created_at=int(time.time()),
            started=time.monotonic(),
            complete_after=self.config.complete_after,
            spec=self.faults.drifted(spec),
            directory=directory,
            remixed_from_video_id=source_id if kind == "remix" else None,
            planned_error=self.faults.planned_failure(prompt),
        )
        self.store.add(job)
        self.stats.generation(kind, video_id, prompt, source_id)
        self.lifecycle.begin(job)
        return job

    # -- reading and deleting -------------------------------------------------------------------

    def retrieve(self, request: Request, video_id: str) -> Response:
        """GET /videos/{id}, with the integer poll hint the SDK's poll() reads."""
        job = self.store.get(video_id, protocol="openai")
        if job is None:
            raise not_found(video_id)
        return Response(200, job.to_dict(), {"openai-poll-after-ms": str(int(self.config.poll_after_ms))})

    def list(self, request: Request) -> Response:
        """GET /videos?after=&limit=&order= (defaults 20, desc); only jobs made through this protocol."""
        order = request.query("order") or "desc"
        if order not in ORDERS:
            raise invalid_value("order", order, ORDERS)
        raw_limit = request.query("limit") or "20"
        try:
            limit = int(raw_limit)
        except ValueError:
            raise ApiError(
                400,
                f"Invalid 'limit': expected an integer, but got '{raw_limit}' instead.",
                param="limit",
                code="invalid_type",
            ) from None
        if not 0 <= limit <= 100:
            bound = (
                "above maximum value. Expected a value <= 100"
                if limit > 100
                else "below minimum value. Expected a value >= 0"
            )
            raise ApiError(
                400,
                f"Invalid 'limit': integer {bound}, but got {limit} instead.",
                param="limit",
                code="integer_above_max_value" if limit > 100 else "integer_below_min_value",
            )
        after = request.query("after") or None
        return Response(200, self.store.page(after=after, limit=limit, order=order, protocol="openai"))

    def delete(self, request: Request, video_id: str) -> Response:
        """DELETE /videos/{id}: completed or failed videos only; assets go with it."""
        job = self.store.get(video_id, protocol="openai")
        if job is None:
            raise not_found(video_id)
        if not job.terminal:
            status = job.live_status(time.monotonic())[0]
            raise ApiError(
                400,
                f"Video '{video_id}' is {status}; only completed or failed videos can be deleted.",
                param="video_id",
                code="invalid_value",
            )
        self.store.remove(video_id)
        shutil.rmtree(job.directory, ignore_errors=True)
        return Response(200, {"id": video_id, "object": "video.deleted", "deleted": True})

    def content(self, request: Request, video_id: str) -> FileResponse:
        """GET /videos/{id}/content?variant=video|thumbnail|spritesheet, streamed from disk."""
        job = self.store.get(video_id, protocol="openai")
        if job is None:
            raise not_found(video_id)
        variant = request.query("variant") or "video"
        if variant not in VARIANTS:
            raise invalid_value("variant", variant, list(VARIANTS))
        if job.status == "failed":
            raise ApiError(
                400, f"Video '{video_id}' failed; it has no content to download.", param="video_id", code="video_failed"
            )
        if job.status != "completed":
            raise ApiError(
                400,
                "Video is not ready yet, use GET /v1/videos/{video_id} to check status.",
                param="video_id",
                code="video_not_ready",
            )
        if job.expires_at is not None and time.time() >= job.expires_at:
            raise ApiError(
                404, f"The content of video '{video_id}' has expired.", param="video_id", code="video_expired"
            )
        name, content_type = VARIANTS[variant]
        return FileResponse(os.path.join(job.directory, name), content_type, truncate=self.faults.truncate_download())
