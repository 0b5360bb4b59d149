"""Faults the emulator cannot produce on demand, injected with httpx.MockTransport.

Exact transport exceptions at exact moments (connect vs. read), 408/409 answers, a 2xx with a
garbage body, and a multi-megabyte stream for the memory bound. Everything else is tested against
the real emulator in test_openai_emulator.py.
"""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Iterator

import httpx
import pytest

from sora_products.providers import (
    AuthError,
    CreateRequest,
    DownloadIncomplete,
    DownloadTooLarge,
    InvalidRequest,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ReferenceUpload,
    TransientError,
)

from .helpers import SECRET_KEY, Recorder, error_response, mock_provider, video

REQUEST = CreateRequest(prompt="a red shoe", model="sora-2", size="720x1280", seconds=8)
MB = 1024 * 1024


class CountingSink:
    """A non-seekable file that keeps only a count, so the test itself holds no video in memory."""

    def __init__(self) -> None:
        self.bytes_written = 0
        self.largest_write = 0

    def write(self, chunk: bytes) -> int:
        self.bytes_written += len(chunk)
        self.largest_write = max(self.largest_write, len(chunk))
        return len(chunk)


def zeros(total: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """A body of ``total`` bytes made from one reused buffer."""
    block = b"\0" * chunk
    sent = 0
    while sent < total:
        piece = block if total - sent >= chunk else block[: total - sent]
        sent += len(piece)
        yield piece


# -- create and remix: at most once ---------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, error_type",
    [
        (httpx.ReadTimeout("read timed out"), OutcomeUnknown),
        (httpx.WriteError("broken pipe"), OutcomeUnknown),
        (httpx.WriteTimeout("write timed out"), OutcomeUnknown),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), OutcomeUnknown),
        (httpx.ReadError("connection reset"), OutcomeUnknown),
        (httpx.ConnectError("connection refused"), TransientError),
        (httpx.ConnectTimeout("connect timed out"), TransientError),
        (httpx.PoolTimeout("no free connection"), TransientError),
        (error_response(500, "The server had an error."), OutcomeUnknown),
        (error_response(503, "Overloaded.", headers={"x-should-retry": "true"}), OutcomeUnknown),
        (error_response(408, "Request timeout."), OutcomeUnknown),
        (error_response(409, "Conflict."), OutcomeUnknown),
        (error_response(429, "Rate limit reached for requests", "rate_limit_exceeded"), RateLimited),
        (error_response(429, "Slow down.", "rate_limit_exceeded", {"retry-after": "600"}), RateLimited),
        (error_response(400, "Invalid value: '10'.", "invalid_value"), InvalidRequest),
        (httpx.Response(200, text="<html>proxy says hi</html>"), OutcomeUnknown),
        (httpx.Response(200, json={"object": "video"}), OutcomeUnknown),
    ],
)
def test_create_is_sent_exactly_once_whatever_happens(answer, error_type):
    recorder = Recorder(answer)
    provider = mock_provider(recorder)
    with pytest.raises(error_type) as caught:
        provider.create(REQUEST)
    assert len(recorder.requests) == 1
    assert provider.sleeps == []
    assert type(caught.value) is error_type
    assert SECRET_KEY not in str(caught.value) and SECRET_KEY not in repr(caught.value)


def test_remix_is_sent_exactly_once():
    recorder = Recorder(httpx.ReadTimeout("read timed out"))
    with pytest.raises(OutcomeUnknown):
        mock_provider(recorder).remix("video_src", "make it blue")
    assert len(recorder.requests) == 1
    assert recorder.requests[0].url.path == "/v1/videos/video_src/remix"
    assert recorder.json_bodies() == [{"prompt": "make it blue"}]


def test_outcome_unknown_from_a_5xx_keeps_the_request_id():
    provider = mock_provider(Recorder(error_response(502, "Bad gateway.")))
    with pytest.raises(OutcomeUnknown) as caught:
        provider.create(REQUEST)
    assert caught.value.request_id == "req_mock" and caught.value.status_code == 502


def test_ids_are_quoted_into_paths():
    recorder = Recorder(httpx.Response(200, json=video("x")))
    mock_provider(recorder).retrieve("../../admin?x=1")
    assert recorder.requests[0].url.raw_path == b"/v1/videos/..%2F..%2Fadmin%3Fx%3D1"


def test_create_sends_headers_and_a_multipart_reference():
    recorder = Recorder(httpx.Response(200, json=video()))
    provider = mock_provider(recorder, organization="org_1", project="proj_1", headers={"X-Gateway": "g"})
    ref = ReferenceUpload(content=b"\x89PNG fake", content_type="image/png", filename="ref.png")
    provider.create(CreateRequest(prompt="p", model="sora-2", size="720x1280", seconds=8, reference=ref))
    sent = recorder.requests[0]
    assert sent.headers["authorization"] == f"Bearer {SECRET_KEY}"
    assert (sent.headers["openai-organization"], sent.headers["openai-project"]) == ("org_1", "proj_1")
    assert sent.headers["x-gateway"] == "g"
    assert sent.headers["content-type"].startswith("multipart/form-data")
    body = sent.content
    assert b'name="seconds"\r\n\r\n8\r\n' in body
    assert b'name="input_reference"; filename="ref.png"\r\nContent-Type: image/png' in body


# -- reads: retried ------------------------------------------------------------------------------


def test_retrieve_retries_timeouts_and_connection_errors_then_succeeds():
    recorder = Recorder(httpx.ReadTimeout("slow"), httpx.ConnectError("refused"), httpx.Response(200, json=video()))
    provider = mock_provider(recorder)
    assert provider.retrieve("video_x").status.value == "queued"
    assert len(recorder.requests) == 3
    assert len(provider.sleeps) == 2 and 0.375 <= provider.sleeps[0] <= 0.5 and 0.75 <= provider.sleeps[1] <= 1.0


def test_retrieve_gives_up_with_a_transient_error_after_the_configured_attempts():
    recorder = Recorder(httpx.ReadTimeout("slow"))
    provider = mock_provider(recorder, read_retries=4)
    with pytest.raises(TransientError):
        provider.retrieve("video_x")
    assert len(recorder.requests) == 4


@pytest.mark.parametrize("status", [408, 409, 500, 502, 503])
def test_retryable_statuses_are_retried(status):
    recorder = Recorder(error_response(status, "try again"), httpx.Response(200, json=video()))
    provider = mock_provider(recorder)
    provider.retrieve("video_x")
    assert len(recorder.requests) == 2


def test_retry_honours_retry_after_ms():
    recorder = Recorder(error_response(429, "Rate limit reached", "rate_limit_exceeded", {"retry-after-ms": "50"}))
    provider = mock_provider(recorder)
    with pytest.raises(RateLimited) as caught:
        provider.retrieve("video_x")
    assert len(recorder.requests) == 3 and provider.sleeps == [0.05, 0.05]
    assert caught.value.retry_after == 0.05


@pytest.mark.parametrize(
    "answer",
    [
        error_response(429, "Slow down", "rate_limit_exceeded", {"retry-after": "600"}),
        error_response(503, "Down", headers={"x-should-retry": "false"}),
        error_response(429, "You exceeded your current quota", "insufficient_quota"),
        error_response(400, "Bad", "invalid_value", headers={"x-should-retry": "false"}),
    ],
)
def test_reads_are_not_retried_when_waiting_cannot_help(answer):
    recorder = Recorder(answer)
    provider = mock_provider(recorder)
    with pytest.raises((RateLimited, TransientError, InvalidRequest)):
        provider.retrieve("video_x")
    assert len(recorder.requests) == 1 and provider.sleeps == []


def test_delete_treats_404_after_a_lost_answer_as_done():
    recorder = Recorder(httpx.ReadTimeout("slow"), error_response(404, "No video found."))
    assert mock_provider(recorder).delete("video_x") is None
    assert [r.method for r in recorder.requests] == ["DELETE", "DELETE"]


def test_delete_of_an_unknown_id_is_not_found():
    with pytest.raises(NotFound):
        mock_provider(Recorder(error_response(404, "No video found."))).delete("video_x")


# -- the API key never leaks -----------------------------------------------------------------------


def test_key_echoed_by_a_gateway_is_redacted_everywhere():
    echo = Recorder(
        lambda request: error_response(401, f"Incorrect API key provided: {request.headers['authorization'][7:]}.")
    )
    provider = mock_provider(echo)
    for call in (lambda: provider.create(REQUEST), lambda: provider.retrieve("video_x")):
        with pytest.raises(AuthError) as caught:
            call()
        error = caught.value
        for text in (str(error), repr(error), error.message, *map(str, error.args)):
            assert SECRET_KEY not in text
        assert "[redacted]" in error.message
    assert SECRET_KEY not in repr(provider) and SECRET_KEY not in str(vars(provider.capabilities()))


# -- downloads ------------------------------------------------------------------------------------


def test_download_over_the_cap_stops_mid_stream_without_holding_the_file():
    cap = 5 * MB
    recorder = Recorder(
        lambda request: httpx.Response(200, headers={"content-type": "video/mp4"}, content=zeros(40 * MB))
    )
    provider = mock_provider(recorder)
    sink = CountingSink()
    tracemalloc.start()
    try:
        with pytest.raises(DownloadTooLarge):
            provider.download("video_x", sink, max_bytes=cap)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.bytes_written <= cap
    assert sink.largest_write <= 64 * 1024
    assert peak < 2 * MB, f"peak traced memory {peak} bytes while streaming 40 MB"


def test_download_refuses_early_when_content_length_is_over_the_cap():
    pulled = []

    def body() -> Iterator[bytes]:
        for chunk in zeros(10 * MB):
            pulled.append(len(chunk))
            yield chunk

    recorder = Recorder(lambda request: httpx.Response(200, headers={"content-length": str(10 * MB)}, content=body()))
    sink = CountingSink()
    with pytest.raises(DownloadTooLarge, match="10485760 bytes"):
        mock_provider(recorder).download("video_x", sink, max_bytes=MB)
    assert sink.bytes_written == 0 and sum(pulled) <= 64 * 1024


def truncated(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"content-length": "1000"}, content=b"x" * 400)


def test_a_short_body_is_incomplete_and_not_retried_into_a_non_seekable_sink():
    recorder = Recorder(truncated)
    sink = CountingSink()
    with pytest.raises(DownloadIncomplete, match="400 of 1000"):
        mock_provider(recorder).download("video_x", sink)
    assert len(recorder.requests) == 1


def test_a_short_body_is_restarted_into_a_seekable_file():
    full = httpx.Response(200, headers={"content-type": "video/mp4"}, content=b"y" * 1000)
    recorder = Recorder(truncated, full)
    dest = io.BytesIO(b"HEAD")
    dest.seek(4)
    result = mock_provider(recorder).download("video_x", dest)
    assert (result.bytes_written, result.content_type) == (1000, "video/mp4")
    assert dest.getvalue() == b"HEAD" + b"y" * 1000
    assert len(recorder.requests) == 2


def test_download_asks_for_the_variant_and_follows_redirects():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "gateway.test":
            return httpx.Response(302, headers={"location": "https://cdn.test/file.webp"})
        assert "authorization" not in request.headers  # never sent to another host
        return httpx.Response(200, headers={"content-type": "image/webp"}, content=b"RIFF....WEBP")

    recorder = Recorder(handler)
    dest = io.BytesIO()
    result = mock_provider(recorder).download("video_x", dest, variant="thumbnail")
    assert result.content_type == "image/webp" and dest.getvalue() == b"RIFF....WEBP"
    assert recorder.requests[0].url.params["variant"] == "thumbnail"
    assert recorder.requests[0].headers["accept-encoding"] == "identity"


def test_download_errors_are_typed():
    with pytest.raises(InvalidRequest, match="not ready"):
        mock_provider(Recorder(error_response(400, "Video is not ready."))).download("v", io.BytesIO())
    with pytest.raises(NotFound):
        mock_provider(Recorder(error_response(404, "Expired."))).download("v", io.BytesIO())


def test_a_streamed_error_body_cut_off_midway_is_retried_like_a_connection_error():
    def broken_body() -> Iterator[bytes]:
        yield b'{"error": {"mess'
        raise httpx.ReadError("connection reset")

    recorder = Recorder(
        lambda request: httpx.Response(500, content=broken_body()),
        httpx.Response(200, content=b"mp4"),
    )
    provider = mock_provider(recorder)
    dest = io.BytesIO()
    assert provider.download("video_x", dest).bytes_written == 3
    assert len(recorder.requests) == 2 and len(provider.sleeps) == 1
