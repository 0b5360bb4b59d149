"""Provider test helpers: a photo, waiting for a job, and MockTransport faults the emulator cannot produce."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from typing import Any

import httpx

from sora_products.providers.openai import OpenAIVideosProvider

BASE_URL = "http://gateway.test/v1"
SECRET_KEY = "sk-test-SECRETKEY-0123456789abcdef"


def video(video_id: str = "video_" + "a" * 48, **overrides: Any) -> dict[str, Any]:
    """A complete 13-key Video object, as the protocol sends it."""
    body = {
        "id": video_id,
        "object": "video",
        "model": "sora-2",
        "status": "queued",
        "progress": 0,
        "created_at": 1_760_000_000,
        "completed_at": None,
        "expires_at": None,
        "prompt": "a red shoe",
        "size": "720x1280",
        "seconds": "8",
        "remixed_from_video_id": None,
        "error": None,
    }
    body.update(overrides)
    return body


def error_response(
    status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    """An error answer in the OpenAI envelope with a request id."""
    envelope = {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": code}}
    return httpx.Response(status, json=envelope, headers={"x-request-id": "req_mock", **(headers or {})})


class Recorder:
    """A MockTransport handler that replays scripted answers (Response or exception) and records requests."""

    def __init__(self, *answers: httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise type(answer)(str(answer), request=request)
        if isinstance(answer, httpx.Response):  # a fresh copy: a Response object is single-use
            return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)
        return answer(request)

    def json_bodies(self) -> list[Any]:
        return [json.loads(r.content) for r in self.requests]


def mock_provider(handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> OpenAIVideosProvider:
    """A provider whose HTTP goes to ``handler``; sleeps are recorded on ``provider.sleeps``."""
    sleeps: list[float] = []
    kwargs.setdefault("api_key", SECRET_KEY)
    provider = OpenAIVideosProvider(
        base_url=BASE_URL,
        client=httpx.Client(transport=httpx.MockTransport(handler)),
        sleep=sleeps.append,
        **kwargs,
    )
    provider.sleeps = sleeps  # type: ignore[attr-defined]
    return provider


def jpeg(width: int = 720, height: int = 1280) -> bytes:
    """A real JPEG of the given size: a product-ish block on white."""
    from PIL import Image

    image = Image.new("RGB", (width, height), "white")
    image.paste((30, 90, 200), (width // 4, height // 3, 3 * width // 4, 2 * height // 3))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def wait_until_done(provider: Any, job: Any, timeout: float = 30) -> Any:
    """Poll ``provider`` until ``job`` is terminal."""
    deadline = time.monotonic() + timeout
    while not job.is_terminal:
        assert time.monotonic() < deadline, f"job {job.id} still {job.status}"
        time.sleep(0.1)
        job = provider.retrieve(job.id)
    return job
