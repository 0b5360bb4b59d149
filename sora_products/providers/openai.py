"""The OpenAI Videos protocol (``/v1/videos``) over httpx, for the emulator and OpenAI-shaped gateways.

OpenAI itself shut the API down on 2026-09-24; gateways still serve the protocol with other models.
Paid calls (create, remix) are sent exactly once: the protocol has no idempotency key, so a lost
answer is reported as OutcomeUnknown and reconciled with ``find_created``, never resent. Reads are
retried with jittered backoff (see ``providers.http``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing
from typing import Any, BinaryIO
from urllib.parse import quote

import httpx

from sora_products import __version__
from sora_products.providers.base import (
    BadResponse,
    CreateRequest,
    DownloadIncomplete,
    DownloadResult,
    DownloadTooLarge,
    NotFound,
    OutcomeUnknown,
    ProviderCapabilities,
    ProviderError,
    RemoteJob,
    VideoProvider,
)
from sora_products.providers.http import (
    Retrying,
    RetryPolicy,
    error_for_status,
    retry_after_seconds,
    transport_error,
)
from sora_products.providers.openai_wire import (
    OPENAI_MODELS,
    merge_models,
    parse_error_body,
    parse_video,
)
from sora_products.providers.transfer import (
    Timeouts,
    copy_body,
    expected_length,
    redact,
    retry_options,
    with_restarts,
)


class OpenAIVideosProvider(VideoProvider):
    """A client for ``POST/GET /videos``, ``/videos/{id}``, ``/remix`` and ``/content``."""

    name = "openai"

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str = "",
        model: str = "sora-2",
        models: Mapping[str, Any] | None = None,
        timeouts: Timeouts | Mapping[str, Any] | None = None,
        read_retries: int = 3,
        backoff: float = 0.5,
        backoff_cap: float = 8.0,
        max_retry_wait: float = 60.0,
        webhooks: bool = False,
        organization: str | None = None,
        project: str | None = None,
        headers: Mapping[str, str] | None = None,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not base_url:
            raise ValueError("BASE_URL is required, e.g. 'http://127.0.0.1:8765/v1'.")
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key or ""
        self.model = model
        self.timeouts = timeouts if isinstance(timeouts, Timeouts) else Timeouts.from_option(timeouts)
        self.retry_policy = RetryPolicy(
            attempts=max(int(read_retries), 1),
            backoff=backoff,
            backoff_cap=backoff_cap,
            max_wait=max_retry_wait,
        )
        self._retrying = Retrying(self.retry_policy, sleep=sleep)
        self._capabilities = ProviderCapabilities(
            models=merge_models(OPENAI_MODELS, models), webhooks=bool(webhooks), list_jobs=True, cancel=False
        )
        self._base_headers = self._make_headers(organization, project, headers)
        self._owns_client = client is None
        self._client = client if client is not None else httpx.Client(timeout=self._timeout(self.timeouts.read))

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> OpenAIVideosProvider:
        """Build from a SORA_PRODUCTS provider dict; keys other backends or the app use are ignored.

        Keys: BASE_URL, API_KEY, MODEL, MODELS, TIMEOUTS, READ_RETRIES (attempts in all), BACKOFF,
        BACKOFF_CAP, MAX_RETRY_WAIT (longest server-requested wait honoured, seconds), WEBHOOKS,
        ORGANIZATION, PROJECT, HEADERS, and CLIENT (an httpx.Client to use instead of our own).
        """
        opts = {str(k).upper(): v for k, v in options.items()}
        kwargs: dict[str, Any] = {
            "base_url": opts.get("BASE_URL") or "",
            "api_key": opts.get("API_KEY") or "",
            "model": opts.get("MODEL") or "sora-2",
            "models": opts.get("MODELS"),
            "timeouts": opts.get("TIMEOUTS"),
            "webhooks": bool(opts.get("WEBHOOKS", False)),
            "organization": opts.get("ORGANIZATION"),
            "project": opts.get("PROJECT"),
            "headers": opts.get("HEADERS"),
            "client": opts.get("CLIENT"),
        }
        return cls(**kwargs, **retry_options(opts))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, model={self.model!r})"

    def capabilities(self) -> ProviderCapabilities:
        return self._capabilities

    def close(self) -> None:
        """Close the connection pool if this provider created it."""
        if self._owns_client:
            self._client.close()

    # -- paid calls: at most once -------------------------------------------------------------

    def create(self, request: CreateRequest) -> RemoteJob:
        """POST /videos once: multipart with the reference image, JSON without one."""
        fields = {
            "prompt": request.prompt,
            "model": request.model or self.model,
            "seconds": str(request.seconds),
            "size": request.size,
        }
        if request.reference is None:
            return self._send_paid("videos", json=fields)
        ref = request.reference
        files = {"input_reference": (ref.filename, ref.content, ref.content_type)}
        return self._send_paid("videos", data=fields, files=files)

    def remix(self, remote_id: str, prompt: str, *, source_url: str | None = None) -> RemoteJob:
        """POST /videos/{id}/remix once; the new job copies model, size and seconds (the source is ours)."""
        return self._send_paid(f"videos/{quote(remote_id, safe='')}/remix", json={"prompt": prompt})

    def _send_paid(self, path: str, **body: Any) -> RemoteJob:
        """Send a billed POST exactly once and map every ambiguous ending to OutcomeUnknown."""
        try:
            response = self._client.post(
                self._url(path),
                headers=self._base_headers,
                timeout=self._timeout(self.timeouts.create),
                **body,
            )
        except httpx.TransportError as exc:
            raise self._scrub(transport_error(exc, paid=True)) from exc
        if not response.is_success:
            raise self._error(response, paid=True)
        try:
            return parse_video(self._json(response), response.headers)
        except BadResponse as exc:
            # A 2xx means the provider took the job; we just cannot read which one.
            raise OutcomeUnknown(
                f"the provider accepted the request but its answer could not be read ({exc.message})",
                status_code=response.status_code,
                request_id=response.headers.get("x-request-id"),
            ) from exc

    # -- reads: retried -----------------------------------------------------------------------

    def retrieve(self, remote_id: str) -> RemoteJob:
        """GET /videos/{id}; ``poll_after_ms`` carries the server's polling hint."""
        response = self._read("GET", f"videos/{quote(remote_id, safe='')}")
        return parse_video(self._json(response), response.headers)

    def delete(self, remote_id: str) -> None:
        """DELETE /videos/{id}; a 404 on a retry means an earlier attempt already deleted it."""
        attempts = 0

        def count() -> None:
            nonlocal attempts
            attempts += 1

        try:
            self._read("DELETE", f"videos/{quote(remote_id, safe='')}", before_send=count)
        except NotFound:
            if attempts <= 1:
                raise

    def probe(self) -> None:
        """GET /videos?limit=1 once, without retries: while the provider is down, one request per cool-down."""
        url = self._url("videos")
        try:
            response = self._client.request(
                "GET", url, params={"limit": 1}, headers=self._base_headers, timeout=self._timeout(self.timeouts.read)
            )
        except httpx.TransportError as exc:
            raise self._scrub(transport_error(exc, paid=False)) from exc
        if not response.is_success:
            raise self._error(response)
        self._json(response)

    def list_recent(self, *, limit: int = 100, max_pages: int = 5) -> Iterator[RemoteJob]:
        """GET /videos newest first, following ``last_id`` while ``has_more``, at most ``max_pages`` pages."""
        after: str | None = None
        for _ in range(max(max_pages, 0)):
            params: dict[str, Any] = {"order": "desc", "limit": min(max(limit, 1), 100)}
            if after:
                params["after"] = after
            response = self._read("GET", "videos", params=params)
            page = self._json(response)
            data = page.get("data") if isinstance(page, Mapping) else None
            if not isinstance(data, list):
                raise BadResponse(
                    "the list answer has no 'data' array", request_id=response.headers.get("x-request-id")
                )
            for item in data:
                yield parse_video(item, response.headers)
            after = page.get("last_id") or (data[-1].get("id") if data and isinstance(data[-1], Mapping) else None)
            if not page.get("has_more") or not data or not after:
                return

    def download(
        self, remote_id: str, dest: BinaryIO, *, variant: str = "video", max_bytes: int | None = None
    ) -> DownloadResult:
        """Stream GET /videos/{id}/content into ``dest``, counting bytes against ``max_bytes``.

        Failures before the body starts are retried like any read. A body cut short is restarted
        (up to READ_RETRIES times) only when ``dest`` is seekable: it is rewound and truncated first.
        Otherwise DownloadIncomplete is raised and the caller discards ``dest``; on any error ``dest``
        may hold a partial body.
        """
        return with_restarts(
            dest,
            self.retry_policy.attempts,
            self._retrying.pause,
            lambda: self._download_once(remote_id, dest, variant, max_bytes),
        )

    def _download_once(self, remote_id: str, dest: BinaryIO, variant: str, max_bytes: int | None) -> DownloadResult:
        """One streamed transfer; memory stays at about one chunk whatever the file size."""
        headers = {**self._base_headers, "accept": "application/binary", "accept-encoding": "identity"}
        request = self._client.build_request(
            "GET",
            self._url(f"videos/{quote(remote_id, safe='')}/content"),
            params={"variant": variant},
            headers=headers,
            timeout=self._timeout(self.timeouts.download),
        )
        response = self._retrying.call(
            lambda: self._client.send(request, stream=True, follow_redirects=True), self._error
        )
        with closing(response):
            request_id = response.headers.get("x-request-id")
            expected = expected_length(response)
            if max_bytes is not None and expected is not None and expected > max_bytes:
                raise DownloadTooLarge(
                    f"the file is {expected} bytes, over the {max_bytes}-byte cap", request_id=request_id
                )
            written = copy_body(response, dest, max_bytes, request_id)
        if expected is not None and written < expected:
            raise DownloadIncomplete(f"received {written} of {expected} bytes", request_id=request_id)
        return DownloadResult(bytes_written=written, content_type=response.headers.get("content-type"))

    def _read(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        before_send: Callable[[], None] | None = None,
    ) -> httpx.Response:
        """An idempotent call, retried on connection failures, timeouts, 408/409/429 and 5xx."""
        url = self._url(path)
        timeout = self._timeout(self.timeouts.read)

        def send() -> httpx.Response:
            if before_send is not None:
                before_send()
            return self._client.request(method, url, params=params, headers=self._base_headers, timeout=timeout)

        return self._retrying.call(send, self._error)

    # -- helpers ------------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self.base_url}/{path}"

    def _timeout(self, seconds: float) -> httpx.Timeout:
        return httpx.Timeout(seconds, connect=self.timeouts.connect)

    def _make_headers(
        self, organization: str | None, project: str | None, extra: Mapping[str, str] | None
    ) -> dict[str, str]:
        """Headers sent on every call; the key lives only here, never in messages or reprs."""
        headers = {"accept": "application/json", "user-agent": f"sora-products/{__version__} httpx"}
        if self._api_key:
            headers["authorization"] = f"Bearer {self._api_key}"
        if organization:
            headers["openai-organization"] = organization
        if project:
            headers["openai-project"] = project
        headers.update({str(k).lower(): str(v) for k, v in (extra or {}).items()})
        return headers

    def _json(self, response: httpx.Response) -> Any:
        """The body as JSON, or BadResponse (an HTML page from a proxy, a wrong BASE_URL)."""
        try:
            return response.json()
        except ValueError as exc:
            raise BadResponse(
                "the answer is not JSON; check BASE_URL", request_id=response.headers.get("x-request-id")
            ) from exc

    def _error(self, response: httpx.Response, *, paid: bool = False) -> ProviderError:
        """The typed error for an HTTP error answer, with the provider's message and ids."""
        message, code = parse_error_body(response)
        return error_for_status(
            response.status_code,
            message=self._redact(message),
            code=code,
            request_id=response.headers.get("x-request-id"),
            retry_after=retry_after_seconds(response.headers),
            paid=paid,
        )

    def _redact(self, text: str) -> str:
        """Remove the API key from text a provider or library produced (some echo it back)."""
        return redact(text, self._api_key)

    def _scrub(self, error: ProviderError) -> ProviderError:
        """Redact an error built from library text before it leaves the provider."""
        error.message = self._redact(error.message)
        error.args = (error.message,)
        return error
