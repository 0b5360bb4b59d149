"""Parsing the Video object and error bodies leniently, the way gateways actually answer."""

from __future__ import annotations

import httpx
import pytest

from sora_products.providers import BadResponse, JobStatus
from sora_products.providers.openai_wire import parse_error_body, parse_video

from .helpers import video


def test_full_video_object():
    data = video(
        status="failed",
        progress=37,
        completed_at=1_760_000_100,
        expires_at=1_760_086_500,
        remixed_from_video_id="video_src",
        error={"code": "moderation_blocked", "message": "Your request was blocked by our moderation system."},
    )
    headers = httpx.Headers({"openai-poll-after-ms": "100", "x-request-id": "req_1"})
    job = parse_video(data, headers)
    assert job.status is JobStatus.FAILED and job.is_refused
    assert (job.progress, job.seconds, job.size, job.model) == (37, 8, "720x1280", "sora-2")
    assert (job.created_at, job.completed_at, job.expires_at) == (1_760_000_000, 1_760_000_100, 1_760_086_500)
    assert job.remixed_from == "video_src"
    assert job.error_message.startswith("Your request was blocked")
    assert (job.poll_after_ms, job.request_id) == (100, "req_1")


def test_missing_optional_keys_and_gateway_variants_are_tolerated():
    job = parse_video({"id": "vid_1", "status": "succeeded", "seconds": 5, "poll": "x"})
    assert job.status is JobStatus.COMPLETED and job.progress == 100 and job.seconds == 5
    assert job.prompt is None and job.created_at is None and job.error_code is None
    assert parse_video({"id": "v", "status": "warming_up"}).status is JobStatus.IN_PROGRESS
    assert parse_video({"id": "v", "status": "queued", "progress": "250"}).progress == 100
    assert parse_video({"id": "v"}, httpx.Headers({"openai-poll-after-ms": "1000.5"})).poll_after_ms == 1000


@pytest.mark.parametrize("data", [None, [], {"object": "video"}, {"id": ""}, {"id": 7}])
def test_a_body_without_an_id_is_refused(data):
    with pytest.raises(BadResponse):
        parse_video(data)


@pytest.mark.parametrize(
    "response, expected",
    [
        (
            httpx.Response(400, json={"error": {"message": "Bad size.", "type": "x", "param": "size", "code": "c"}}),
            ("Bad size.", "c"),
        ),
        (
            httpx.Response(429, json={"error": {"message": "Quota.", "type": "insufficient_quota", "code": None}}),
            ("Quota.", "insufficient_quota"),
        ),
        (httpx.Response(422, json={"detail": "prompt too long"}), ("prompt too long", None)),
        (
            httpx.Response(502, text="<html>\n  <h1>Bad   Gateway</h1></html>"),
            ("<html> <h1>Bad Gateway</h1></html>", None),
        ),
        (httpx.Response(500, content=b""), ("", None)),
    ],
)
def test_error_bodies(response, expected):
    assert parse_error_body(response) == expected


def test_long_error_pages_are_clipped():
    message, _ = parse_error_body(httpx.Response(500, text="x" * 10_000))
    assert len(message) == 500
