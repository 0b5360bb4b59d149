"""Runway's API (``/v1/image_to_video``, ``/v1/video_to_video``, ``/v1/tasks``) over httpx.

One key reaches Runway's own models and the ones it resells (Veo 3.1, Kling, Seedance). Runway has
no webhooks, no task list and no idempotency key: a create whose answer was lost cannot be found
again, so it is reported as OutcomeUnknown and the engine parks the video for a person (the SDK's
own POST retries would pay twice and are not copied). Reads are retried with jittered backoff.
Output links expire within a day or two; each download reads the task again for a fresh one and
fetches it without the API key (the link is pre-signed, and the key must not travel to a CDN).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, BinaryIO
from urllib.parse import quote

import httpx

from sora_products import __version__
from sora_products.providers.base import (
    BadResponse,
    CreateRequest,
    DownloadResult,
    InvalidRequest,
    JobStatus,
    NotFound,
    OutcomeUnknown,
    ProviderCapabilities,
    ProviderError,
    RateLimited,
    ReferenceUpload,
    RemoteJob,
    VideoProvider,
)
from sora_products.providers.http import Retrying, RetryPolicy, error_for_status, retry_after_seconds, transport_error
from sora_products.providers.openai_wire import merge_models
from sora_products.providers.runway_wire import (
    API_VERSION,
    DEFAULT_BASE_URL,
    MAX_DATA_URI_BYTES,
    RUNWAY_MODELS,
    first_output,
    parse_error_body,
    parse_task,
    ratio,
)
from sora_products.providers.transfer import Timeouts, fetch_file, redact, retry_options, with_restarts

MAX_PROMPT_CHARS = 1000
# A task id no job has: reading it proves Runway answers without touching anything (a 404 is the answer).
PROBE_TASK_ID = "00000000-0000-0000-0000-000000000000"
# Runway's words for an account out of credits (a 429 or 402 that waiting will not fix).
QUOTA_WORDS = ("credit", "quota", "billing")
# Output links live a day or two; one seen on the last poll is used for the download a moment later.
OUTPUT_LINK_SECONDS = 600
REMEMBERED_OUTPUTS = 256


class RunwayProvider(VideoProvider):
    """A client for Runway's image-to-video, video-to-video and task endpoints."""

    name = "runway"

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        model: str = "gen4.5",
        remix_model: str = "aleph2",
        audio: bool = False,
        models: Mapping[str, Any] | None = None,
        timeouts: Timeouts | Mapping[str, Any] | None = None,
        read_retries: int = 3,
        backoff: float = 0.5,
        backoff_cap: float = 8.0,
        max_retry_wait: float = 60.0,
        headers: Mapping[str, str] | None = None,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        if self.base_url.endswith("/v1"):
            self.base_url = self.base_url[: -len("/v1")]  # the API root: paths carry /v1 themselves
        self._api_key = api_key or ""
        self.model, self.remix_model, self.audio = model, remix_model, bool(audio)
        self.timeouts = timeouts if isinstance(timeouts, Timeouts) else Timeouts.from_option(timeouts)
        self.retry_policy = RetryPolicy(
            attempts=max(int(read_retries), 1), backoff=backoff, backoff_cap=backoff_cap, max_wait=max_retry_wait
        )
        self._retrying = Retrying(self.retry_policy, sleep=sleep)
        self._capabilities = ProviderCapabilities(
            models=merge_models(RUNWAY_MODELS, models), webhooks=False, list_jobs=False, cancel=True
        )
        self._headers = {
            "accept": "application/json",
            "user-agent": f"sora-products/{__version__} httpx",
            "x-runway-version": API_VERSION,
            **{str(k).lower(): str(v) for k, v in (headers or {}).items()},
        }
        if self._api_key:
            self._headers["authorization"] = f"Bearer {self._api_key}"
        self._owns_client = client is None
        self._client = client if client is not None else httpx.Client(timeout=self._timeout(self.timeouts.read))
        self._outputs: dict[str, tuple[str, float]] = {}

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> RunwayProvider:
        """Build from a SORA_PRODUCTS provider dict.

        Keys: API_KEY (from RUNWAYML_API_SECRET in your settings), BASE_URL (the API root), MODEL,
        REMIX_MODEL (a video_to_video model), AUDIO (sent to models that take it), MODELS, TIMEOUTS,
        READ_RETRIES, BACKOFF, BACKOFF_CAP, MAX_RETRY_WAIT, HEADERS, CLIENT.
        """
        opts = {str(k).upper(): v for k, v in options.items()}
        kwargs: dict[str, Any] = {
            "api_key": opts.get("API_KEY") or "",
            "base_url": opts.get("BASE_URL") or DEFAULT_BASE_URL,
            "model": opts.get("MODEL") or "gen4.5",
            "remix_model": opts.get("REMIX_MODEL") or "aleph2",
            "audio": bool(opts.get("AUDIO", False)),
            "models": opts.get("MODELS"),
            "timeouts": opts.get("TIMEOUTS"),
            "headers": opts.get("HEADERS"),
            "client": opts.get("CLIENT"),
        }
        return cls(**kwargs, **retry_options(opts))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, model={self.model!r})"

    def capabilities(self) -> ProviderCapabilities:
        return self._capabilities

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    # -- paid calls: at most once -------------------------------------------------------------

    def create(self, request: CreateRequest) -> RemoteJob:
        """POST /v1/image_to_video once, the reference image as a data URI."""
        model = request.model or self.model
        if request.reference is None:
            raise InvalidRequest("Runway makes these videos from a photo, and this request has none.")
        body: dict[str, Any] = {
            "model": model,
            "promptImage": data_uri(request.reference),
            "promptText": request.prompt[:MAX_PROMPT_CHARS],
            "ratio": ratio(request.size),
            "duration": int(request.seconds),
        }
        capabilities = self._capabilities.models.get(model)
        if capabilities is not None and capabilities.audio:
            body["audio"] = self.audio
        job = self._send_paid("/v1/image_to_video", body)
        return _as_new(job, model=model, size=request.size, seconds=request.seconds, prompt=request.prompt)

    def remix(self, remote_id: str, prompt: str, *, source_url: str | None = None) -> RemoteJob:
        """POST /v1/video_to_video once with REMIX_MODEL; Runway fetches the source video from ``source_url``."""
        if not source_url:
            raise InvalidRequest("Runway edits a video it can download; no URL of the source video was given.")
        field = "videoUri" if self.remix_model.startswith("aleph") else "promptVideo"
        body = {"model": self.remix_model, field: source_url, "promptText": prompt[:MAX_PROMPT_CHARS]}
        job = self._send_paid("/v1/video_to_video", body)
        return _as_new(job, model=self.remix_model, size="", seconds=0, prompt=prompt, remixed_from=remote_id)

    def _send_paid(self, path: str, body: dict[str, Any]) -> RemoteJob:
        try:
            response = self._client.post(
                self._url(path), json=body, headers=self._headers, timeout=self._timeout(self.timeouts.create)
            )
        except httpx.TransportError as exc:
            raise self._scrub(transport_error(exc, paid=True)) from exc
        if not response.is_success:
            raise self._error(response, paid=True)
        try:
            answer = response.json()
        except ValueError:
            answer = None
        task_id = answer.get("id") if isinstance(answer, Mapping) else None
        if not isinstance(task_id, str) or not task_id:
            # A 2xx means Runway took the job; we just cannot tell which task it is.
            raise OutcomeUnknown(
                "Runway accepted the request but its answer named no task",
                status_code=response.status_code,
                request_id=response.headers.get("x-request-id"),
            )
        return parse_task({"id": task_id, "status": "PENDING", **answer}, response.headers)

    # -- reads: retried -----------------------------------------------------------------------

    def retrieve(self, remote_id: str) -> RemoteJob:
        """GET /v1/tasks/{id}: status, progress, and the estimated or final cost in credits."""
        body, headers = self._task(remote_id)
        job = parse_task(body, headers)
        if job.status == JobStatus.COMPLETED:
            self._remember_output(remote_id, first_output(body))
        return job

    def _remember_output(self, remote_id: str, url: str | None) -> None:
        """Keep a finished task's fresh link for the download that follows, instead of reading the task again."""
        if url:
            self._outputs[remote_id] = (url, time.monotonic() + OUTPUT_LINK_SECONDS)
            while len(self._outputs) > REMEMBERED_OUTPUTS:
                self._outputs.pop(next(iter(self._outputs)))

    def _output_url(self, remote_id: str) -> str | None:
        remembered = self._outputs.pop(remote_id, None)
        if remembered is not None and remembered[1] > time.monotonic():
            return remembered[0]
        body, _headers = self._task(remote_id)
        return first_output(body) if isinstance(body, Mapping) else None

    def _task(self, remote_id: str) -> tuple[Any, httpx.Headers]:
        response = self._read("GET", f"/v1/tasks/{quote(remote_id, safe='')}")
        try:
            return response.json(), response.headers
        except ValueError as exc:
            raise BadResponse(
                "the answer is not JSON; check BASE_URL", request_id=response.headers.get("x-request-id")
            ) from exc

    def delete(self, remote_id: str) -> None:
        """DELETE /v1/tasks/{id}: cancels a running task, deletes a finished one; a 404 on a retry is done."""
        attempts = 0

        def count() -> None:
            nonlocal attempts
            attempts += 1

        try:
            self._read("DELETE", f"/v1/tasks/{quote(remote_id, safe='')}", before_send=count)
        except NotFound:
            if attempts <= 1:
                raise

    def probe(self) -> None:
        """One GET of a task that does not exist, without retries: a 404 proves Runway answers."""
        try:
            url, timeout = self._url(f"/v1/tasks/{PROBE_TASK_ID}"), self._timeout(self.timeouts.read)
            response = self._client.get(url, headers=self._headers, timeout=timeout)
        except httpx.TransportError as exc:
            raise self._scrub(transport_error(exc, paid=False)) from exc
        if response.status_code != 404 and not response.is_success:
            raise self._error(response)

    def download(
        self, remote_id: str, dest: BinaryIO, *, variant: str = "video", max_bytes: int | None = None
    ) -> DownloadResult:
        """Stream the task's first output into ``dest``; a cut-off body restarts from a fresh link when it can."""
        if variant != "video":
            raise NotFound(f"Runway keeps no {variant} for a task")
        return with_restarts(
            dest,
            self.retry_policy.attempts,
            self._retrying.pause,
            lambda: self._download_once(remote_id, dest, max_bytes),
        )

    def _download_once(self, remote_id: str, dest: BinaryIO, max_bytes: int | None) -> DownloadResult:
        url = self._output_url(remote_id)
        if url is None:
            raise NotFound("the task has no output to download (not finished, or deleted)")
        return fetch_file(
            self._client,
            url,
            dest,
            max_bytes=max_bytes,
            timeout=self._timeout(self.timeouts.download),
            retrying=self._retrying,
            to_error=self._error,
        )

    def _read(self, method: str, path: str, *, before_send: Callable[[], None] | None = None) -> httpx.Response:
        url, timeout = self._url(path), self._timeout(self.timeouts.read)

        def send() -> httpx.Response:
            if before_send is not None:
                before_send()
            return self._client.request(method, url, headers=self._headers, timeout=timeout)

        return self._retrying.call(send, self._error)

    # -- helpers ------------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return self.base_url + path

    def _timeout(self, seconds: float) -> httpx.Timeout:
        return httpx.Timeout(seconds, connect=self.timeouts.connect)

    def _error(self, response: httpx.Response, *, paid: bool = False) -> ProviderError:
        message = redact(parse_error_body(response), self._api_key)
        error = error_for_status(
            response.status_code,
            message=message,
            code=None,
            request_id=response.headers.get("x-request-id"),
            retry_after=retry_after_seconds(response.headers),
            paid=paid,
        )
        if response.status_code in (402, 429) and any(word in message.lower() for word in QUOTA_WORDS):
            return RateLimited(
                message,
                quota=True,
                code="insufficient_credits",
                status_code=response.status_code,
                request_id=error.request_id,
            )
        return error

    def _scrub(self, error: ProviderError) -> ProviderError:
        error.message = redact(error.message, self._api_key)
        error.args = (error.message,)
        return error


def data_uri(reference: ReferenceUpload) -> str:
    """The reference image inline, as Runway accepts up to 5 MB of it."""
    if len(reference.content) > MAX_DATA_URI_BYTES:
        raise InvalidRequest(
            f"the reference image is {len(reference.content)} bytes; Runway takes at most {MAX_DATA_URI_BYTES} inline"
        )
    encoded = base64.b64encode(reference.content).decode("ascii")
    return f"data:{reference.content_type or 'image/jpeg'};base64,{encoded}"


def _as_new(job: RemoteJob, **known: Any) -> RemoteJob:
    """The create's answer (an id) with what we sent, so the row's fields read right until the first poll."""
    return replace(job, **known)
