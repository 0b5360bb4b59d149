"""fal.ai's queue API (``queue.fal.run``) over the app's own httpx client.

One key reaches hundreds of endpoints (Veo 3.1, Kling v3, Seedance 2.0, Wan 2.7). Not ``fal-client``:
it retries a refused connection ten times over ~50 s and trusts only ``SSL_CERT_FILE`` for the whole
process once set; this client has the app's timeouts and a ``VERIFY`` setting for a private CA.
fal has no list of requests, so a submit whose answer was lost is reported as OutcomeUnknown and the
engine parks the video for a person. With WEBHOOKS, fal posts an Ed25519-signed callback to the shop
(``fal_signing`` verifies it); polling stays as the safety net. Outputs live on fal's CDN for about a
week, so the engine copies them into the shop's storage on completion.
"""

from __future__ import annotations

import base64
import functools
import ssl
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
    ModerationRefused,
    NotFound,
    OutcomeUnknown,
    ProviderCapabilities,
    ProviderError,
    RateLimited,
    RemoteJob,
    TransientError,
    VideoProvider,
)
from sora_products.providers.fal_wire import (
    DEFAULT_QUEUE_URL,
    MODERATION_TYPES,
    error_text,
    merge_fal_models,
    parse_status,
    remote_id,
    video_url,
)
from sora_products.providers.http import Retrying, RetryPolicy, error_for_status, retry_after_seconds, transport_error
from sora_products.providers.transfer import Timeouts, fetch_file, redact, retry_options, with_restarts

DEFAULT_MODEL = "fal-ai/veo3.1/fast/image-to-video"
PROBE_REQUEST_ID = "00000000-0000-0000-0000-000000000000"
REMEMBERED_OUTPUTS = 256
# fal's words for an account that cannot pay (a 403 "User is locked … Exhausted balance", or a 402).
QUOTA_WORDS = ("balance", "locked", "credit", "quota", "billing")


def ssl_verify(value: Any) -> ssl.SSLContext | bool:
    """The VERIFY option: True (the system's CAs), False, or the path of a CA bundle to trust instead."""
    if isinstance(value, str) and value:
        return ssl.create_default_context(cafile=value)
    return bool(value) if value is not None else True


class FalProvider(VideoProvider):
    """A client for fal's queue: submit, status, result, cancel."""

    name = "fal"

    def __init__(
        self,
        *,
        api_key: str,
        queue_url: str = DEFAULT_QUEUE_URL,
        model: str = DEFAULT_MODEL,
        models: Mapping[str, Any] | None = None,
        audio: bool = False,
        webhook_url: str | None = None,
        verify: Any = True,
        timeouts: Timeouts | Mapping[str, Any] | None = None,
        read_retries: int = 3,
        backoff: float = 0.5,
        backoff_cap: float = 8.0,
        max_retry_wait: float = 60.0,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.queue_url = (queue_url or DEFAULT_QUEUE_URL).rstrip("/")
        self._api_key = api_key or ""
        self.model, self.audio, self.webhook_url = model, bool(audio), webhook_url or None
        self.models = merge_fal_models(models)
        self.timeouts = timeouts if isinstance(timeouts, Timeouts) else Timeouts.from_option(timeouts)
        self.retry_policy = RetryPolicy(
            attempts=max(int(read_retries), 1), backoff=backoff, backoff_cap=backoff_cap, max_wait=max_retry_wait
        )
        self._retrying = Retrying(self.retry_policy, sleep=sleep)
        self._capabilities = ProviderCapabilities(
            models={name: spec.capabilities() for name, spec in self.models.items()},
            webhooks=bool(self.webhook_url),
            list_jobs=False,
            cancel=True,
        )
        self._headers = {"accept": "application/json", "user-agent": f"sora-products/{__version__} httpx"}
        if self._api_key:
            self._headers["authorization"] = f"Key {self._api_key}"
        self._owns_client = client is None
        self._verify, self._given_client = verify, client
        self._outputs: dict[str, str] = {}  # result file URLs read by retrieve(), for the download that follows

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> FalProvider:
        """Build from a SORA_PRODUCTS provider dict.

        Keys: API_KEY (from FAL_KEY), QUEUE_URL, MODEL (an endpoint id), MODELS (more endpoints, see
        ``fal_wire``), AUDIO, WEBHOOK_URL (set by the app from PUBLIC_URL when WEBHOOKS is on), VERIFY
        (False, or a CA bundle path), TIMEOUTS, READ_RETRIES, BACKOFF, BACKOFF_CAP, MAX_RETRY_WAIT, CLIENT.
        """
        opts = {str(k).upper(): v for k, v in options.items()}
        kwargs: dict[str, Any] = {
            "api_key": opts.get("API_KEY") or "",
            "queue_url": opts.get("QUEUE_URL") or DEFAULT_QUEUE_URL,
            "model": opts.get("MODEL") or DEFAULT_MODEL,
            "models": opts.get("MODELS"),
            "audio": bool(opts.get("AUDIO", False)),
            "webhook_url": opts.get("WEBHOOK_URL") if opts.get("WEBHOOKS") else None,
            "verify": opts.get("VERIFY", True),
            "timeouts": opts.get("TIMEOUTS"),
            "client": opts.get("CLIENT"),
        }
        return cls(**kwargs, **retry_options(opts))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(queue_url={self.queue_url!r}, model={self.model!r})"

    def capabilities(self) -> ProviderCapabilities:
        return self._capabilities

    @functools.cached_property
    def _client(self) -> httpx.Client:
        """Built on first use: a private CA file (VERIFY) may only appear once the provider is running."""
        if self._given_client is not None:
            return self._given_client
        try:
            verify = ssl_verify(self._verify)
        except OSError as exc:
            raise TransientError(f"the CA bundle {self._verify!r} in VERIFY cannot be read ({exc})") from exc
        return httpx.Client(timeout=self._timeout(self.timeouts.read), verify=verify)

    def close(self) -> None:
        if self._owns_client and "_client" in self.__dict__:
            self._client.close()

    # -- paid calls: at most once -------------------------------------------------------------

    def create(self, request: CreateRequest) -> RemoteJob:
        """POST {queue}/{model} once, with the fal_webhook when webhooks are on."""
        model = request.model or self.model
        spec = self.models.get(model)
        if spec is None:
            raise InvalidRequest(f"the fal endpoint {model!r} is not in this provider's MODELS")
        if request.reference is None:
            raise InvalidRequest("fal makes these videos from a photo, and this request has none.")
        image = "data:{};base64,{}".format(
            request.reference.content_type or "image/jpeg", base64.b64encode(request.reference.content).decode("ascii")
        )
        body = spec.input(request.prompt, image, request.size, request.seconds, self.audio)
        params = {"fal_webhook": self.webhook_url} if self.webhook_url else None
        try:
            response = self._client.post(
                f"{self.queue_url}/{model.strip('/')}",
                json=body,
                params=params,
                headers=self._headers,
                timeout=self._timeout(self.timeouts.create),
            )
        except httpx.TransportError as exc:
            raise self._scrub(transport_error(exc, paid=True)) from exc
        if not response.is_success:
            raise self._error(response, paid=True)
        try:
            answer = response.json()
        except ValueError:
            answer = None
        request_id = answer.get("request_id") if isinstance(answer, Mapping) else None
        if not isinstance(request_id, str) or not request_id:
            raise OutcomeUnknown(
                "fal accepted the request but its answer named no request id",
                status_code=response.status_code,
                request_id=response.headers.get("x-fal-request-id"),
            )
        return RemoteJob(
            id=remote_id(model, request_id),
            status=JobStatus.QUEUED,
            progress=0,
            model=model,
            size=request.size,
            seconds=request.seconds,
            prompt=request.prompt,
            created_at=int(time.time()),
            completed_at=None,
            expires_at=None,
            remixed_from=None,
            error_code=None,
            error_message=None,
            request_id=response.headers.get("x-fal-request-id"),
        )

    def remix(self, remote_id: str, prompt: str, *, source_url: str | None = None) -> RemoteJob:
        raise InvalidRequest("remixing through fal is not supported yet; remix with a provider that offers it")

    # -- reads: retried -----------------------------------------------------------------------

    def retrieve(self, remote_id: str) -> RemoteJob:
        """GET …/requests/{id}/status: queued, running, or completed with or without an error.

        With webhooks, a read usually follows the callback that says the request is done, so the result
        is read first: when it is there, that one call also gives the file the download needs.
        """
        if self.webhook_url:
            finished = self._finished(remote_id)
            if finished is not None:
                return finished
        response = self._read("GET", f"{self._path(remote_id)}/status", params={"logs": "0"})
        job = parse_status(remote_id, self._json(response), response.headers)
        if job.status == JobStatus.FAILED and not job.is_refused:
            job = self._failure_reason(job)
        return job

    def _finished(self, remote_id: str) -> RemoteJob | None:
        """The request as finished, from its result; None while it runs (or when the result cannot say)."""
        try:
            response = self._read("GET", self._path(remote_id))
        except ModerationRefused as refused:
            return _ended(remote_id, JobStatus.FAILED, "content_moderation", refused.message)
        except InvalidRequest as invalid:
            if invalid.status_code == 400:
                return None  # "Request is still in progress"
            return _ended(remote_id, JobStatus.FAILED, invalid.code or "invalid_input", invalid.message)
        except (TransientError, BadResponse):
            return None  # a failed runner's 500, say: the status read says what happened
        url = video_url(self._json(response))
        if url is None:
            return None
        self._outputs[remote_id] = url
        while len(self._outputs) > REMEMBERED_OUTPUTS:
            self._outputs.pop(next(iter(self._outputs)))
        return _ended(remote_id, JobStatus.COMPLETED, None, None)

    def _failure_reason(self, job: RemoteJob) -> RemoteJob:
        """A failed request's status says only "Invalid status code: 422"; its result says why (one read)."""
        try:
            self._read("GET", self._path(job.id))
        except ModerationRefused as refused:
            return replace(job, error_code="content_moderation", error_message=refused.message)
        except ProviderError as error:
            return replace(
                job, error_code=error.code or job.error_code, error_message=error.message or job.error_message
            )
        return job

    def delete(self, remote_id: str) -> None:
        """PUT …/cancel: a queued or running request stops; a finished one has nothing to stop (fal keeps no delete)."""
        try:
            self._read("PUT", f"{self._path(remote_id)}/cancel")
        except InvalidRequest:
            return  # ALREADY_COMPLETED

    def probe(self) -> None:
        """One status read of a request that does not exist, without retries: a 404 proves fal answers."""
        app = remote_id(self.model, PROBE_REQUEST_ID)
        try:
            response = self._client.get(
                f"{self._path(app)}/status", headers=self._headers, timeout=self._timeout(self.timeouts.read)
            )
        except httpx.TransportError as exc:
            raise self._scrub(transport_error(exc, paid=False)) from exc
        if response.status_code != 404 and not response.is_success:
            raise self._error(response)

    def download(
        self, remote_id: str, dest: BinaryIO, *, variant: str = "video", max_bytes: int | None = None
    ) -> DownloadResult:
        """Stream the result's video file into ``dest`` (fal's CDN needs no key, so none is sent)."""
        if variant != "video":
            raise NotFound(f"fal keeps no {variant} for a request")
        url = self._outputs.pop(remote_id, None)
        if url is None:
            response = self._read("GET", self._path(remote_id))
            url = video_url(self._json(response))
        if url is None:
            raise BadResponse("the result names no video file")
        return with_restarts(
            dest,
            self.retry_policy.attempts,
            self._retrying.pause,
            lambda: fetch_file(
                self._client,
                url,
                dest,
                max_bytes=max_bytes,
                timeout=self._timeout(self.timeouts.download),
                retrying=self._retrying,
                to_error=self._error,
            ),
        )

    def _read(self, method: str, url: str, *, params: Mapping[str, Any] | None = None) -> httpx.Response:
        timeout = self._timeout(self.timeouts.read)

        def send() -> httpx.Response:
            return self._client.request(method, url, params=params, headers=self._headers, timeout=timeout)

        return self._retrying.call(send, self._error)

    # -- helpers ------------------------------------------------------------------------------

    def _path(self, remote: str) -> str:
        app, _sep, request_id = remote.rpartition("/requests/")
        if not app or not request_id:
            raise NotFound(f"{remote!r} is not a fal request path")
        return f"{self.queue_url}/{app}/requests/{quote(request_id, safe='')}"

    def _timeout(self, seconds: float) -> httpx.Timeout:
        return httpx.Timeout(seconds, connect=self.timeouts.connect)

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise BadResponse(
                "the answer is not JSON; check QUEUE_URL", request_id=response.headers.get("x-fal-request-id")
            ) from exc

    def _error(self, response: httpx.Response, *, paid: bool = False) -> ProviderError:
        message, error_type = error_text(response)
        message = redact(message, self._api_key)
        fields = {
            "code": error_type,
            "status_code": response.status_code,
            "request_id": response.headers.get("x-fal-request-id"),
        }
        if response.status_code == 422 and error_type in MODERATION_TYPES:
            return ModerationRefused(message, **fields)
        if response.status_code in (402, 403) and any(word in message.lower() for word in QUOTA_WORDS):
            return RateLimited(message, quota=True, **fields)
        return error_for_status(
            response.status_code,
            message=message,
            code=error_type,
            request_id=fields["request_id"],
            retry_after=retry_after_seconds(response.headers),
            paid=paid,
        )

    def _scrub(self, error: ProviderError) -> ProviderError:
        error.message = redact(error.message, self._api_key)
        error.args = (error.message,)
        return error


def _ended(remote: str, status: JobStatus, code: str | None, message: str | None) -> RemoteJob:
    return RemoteJob(
        id=remote,
        status=status,
        progress=100,
        model="",
        size="",
        seconds=0,
        prompt=None,
        created_at=None,
        completed_at=None,
        expires_at=None,
        remixed_from=None,
        error_code=code,
        error_message=message,
    )
