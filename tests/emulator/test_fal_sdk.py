"""fal.ai's queue on the emulator's TLS port, driven by the official fal-client 1.0.3, unchanged.

fal-client reads FAL_QUEUE_RUN_HOST / FAL_RUN_HOST at import and trusts only SSL_CERT_FILE once its HTTP client is
built, so it runs in one subprocess that plays every scenario and prints what it saw as JSON. Raw answers (headers,
error bodies) are checked from here with urllib and the emulator's CA; webhooks are verified as B.3 says, with
``cryptography`` against the JWKS the emulator serves.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sora_products.emulator.fal_models import frame_size, nearest_ratio
from sora_products.emulator.testing import parse_ready_line, run_emulator_process, start_emulator
from tests.emulator.conftest import png_bytes
from tests.emulator.media import describe

FAL_KEY = "fal-key-id:fal-key-secret"
SEEDANCE = "bytedance/seedance-2.0/image-to-video"
VEO = "fal-ai/veo3.1/fast/image-to-video"
KLING = "fal-ai/kling-video/v3/pro/image-to-video"
WAN = "fal-ai/wan/v2.7/image-to-video"

SCENARIOS = r"""
import json, sys, time
import fal_client
from fal_client import Completed, FalClientHTTPError, InProgress

args = json.loads(sys.argv[1])
out = {}


def refused(call):
    try:
        call()
    except FalClientHTTPError as error:
        return {
            "status": error.status_code,
            "message": error.message,
            "error_type": error.error_type,
            "request_id": error.response_headers.get("x-fal-request-id"),
        }
    return None


seedance_input = {
    "prompt": "a green mug on a table", "image_url": args["landscape_url"], "duration": "4", "resolution": "720p",
    "seed": 42,
}
out["server_error"] = refused(lambda: fal_client.submit(args["seedance"], arguments=seedance_input))

handle = fal_client.submit(args["seedance"], arguments=seedance_input)
first = fal_client.status(args["seedance"], handle.request_id, with_logs=True)
out["first_status"] = {"type": type(first).__name__, "position": getattr(first, "position", None)}

veo_input = {"prompt": "a wool coat", "image_url": args["portrait_uri"], "duration": "4s"}
veo = fal_client.submit(args["veo"], arguments=veo_input)
deadline = time.monotonic() + 10
while not isinstance(state := veo.status(with_logs=True), InProgress) and time.monotonic() < deadline:
    time.sleep(0.02)
out["running"] = {"type": type(state).__name__, "logs": state.logs}
veo.cancel()
ended = veo.status()
out["cancelled"] = {"type": type(ended).__name__, "error": ended.error, "error_type": ended.error_type}
out["cancelled_result"] = refused(veo.get)
out["cancel_again"] = refused(veo.cancel)

out["bad_input"] = refused(
    lambda: fal_client.submit(args["kling"], arguments={"start_image_url": args["portrait_uri"], "duration": 5})
)
out["wrong_key"] = refused(
    lambda: fal_client.SyncClient(key="wrong-id:wrong-secret").submit(args["seedance"], arguments=seedance_input)
)

out["result"] = fal_client.result(args["seedance"], handle.request_id)
final = fal_client.status(args["seedance"], handle.request_id, with_logs=True)
out["final"] = {"type": type(final).__name__, "metrics": final.metrics, "logs": final.logs, "error": final.error}

still = out["result"]["video"]["url"].replace("video.mp4", "thumbnail.webp")
wan = fal_client.submit(
    args["wan"],
    arguments={"prompt": "the mug again", "image_url": still, "duration": 2, "resolution": "720p"},
    webhook_url=args["webhook_url"],
)
out["wan"] = {"request_id": wan.request_id, "result": wan.get()}
print(json.dumps(out))
"""


class Receiver:
    """A loopback HTTP peer: serves a product photo and takes webhooks, answering the scripted statuses in turn."""

    def __init__(self, statuses: list[int], photo: bytes) -> None:
        self.statuses = list(statuses)
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                self.send_response(200)
                self.send_header("content-type", "image/png")
                self.send_header("content-length", str(len(photo)))
                self.end_headers()
                self.wfile.write(photo)

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.received) >= count, self.received


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver([500], png_bytes((640, 360)))
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def fetch(emulator: Any, method: str, path: str, body: Any = None, key: str | None = FAL_KEY, **headers: str):
    """One raw HTTPS call to the TLS port, trusting only the emulator's CA: (status, headers, parsed body or bytes)."""
    url = path if path.startswith("https://") else emulator.tls_url + path
    if key is not None:
        headers.setdefault("authorization", f"Key {key}")
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={"content-type": "application/json", **headers}
    )
    context = ssl.create_default_context(cafile=emulator.ca_path)
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as response:  # noqa: S310 - loopback
            status, answer_headers, raw = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, answer_headers, raw = error.code, error.headers, error.read()
    lowered = {k.lower(): v for k, v in answer_headers.items()}
    is_json = lowered.get("content-type") == "application/json"
    return status, lowered, json.loads(raw) if is_json and raw else raw


def data_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()


def verify(headers: dict[str, str], body: bytes, jwks: dict[str, Any]) -> bool:
    """The reference's B.3 steps, written independently of the emulator."""
    message = "\n".join(
        [
            headers["x-fal-webhook-request-id"],
            headers["x-fal-webhook-user-id"],
            headers["x-fal-webhook-timestamp"],
            hashlib.sha256(body).hexdigest(),
        ]
    ).encode()
    signature = bytes.fromhex(headers["x-fal-webhook-signature"])
    for jwk in jwks["keys"]:
        raw = base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4))
        try:
            Ed25519PublicKey.from_public_bytes(raw).verify(signature, message)
            return True
        except InvalidSignature:
            continue
    return False


def test_fal_client_submits_follows_cancels_and_is_refused(video_emulator, receiver):
    video_emulator.configure(api_key=FAL_KEY, complete_after=1.5, server_error_creates=1)
    host = video_emulator.tls_url.removeprefix("https://")
    env = {k: v for k, v in os.environ.items() if k not in ("FAL_KEY_ID", "FAL_KEY_SECRET")}
    env.update(FAL_QUEUE_RUN_HOST=host, FAL_RUN_HOST=host, SSL_CERT_FILE=video_emulator.ca_path, FAL_KEY=FAL_KEY)
    args = {
        "seedance": SEEDANCE,
        "veo": VEO,
        "kling": KLING,
        "wan": WAN,
        "landscape_url": receiver.url + "/product.png",
        "portrait_uri": data_uri(png_bytes((720, 1280))),
        "webhook_url": receiver.url + "/hooks/fal",
    }
    run = subprocess.run(
        [sys.executable, "-c", SCENARIOS, json.dumps(args)], capture_output=True, text=True, env=env, timeout=90
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)

    # A 500 on submit is not retried by fal-client: one create request, no job, and the answer has a request id.
    assert out["server_error"]["status"] == 500 and out["server_error"]["request_id"]
    assert out["first_status"] == {"type": "Queued", "position": 0}

    assert out["running"]["type"] == "InProgress" and isinstance(out["running"]["logs"], list)
    assert out["cancelled"] == {
        "type": "Completed",
        "error": "Invalid status code: 499",
        "error_type": "client_cancelled",
    }
    assert out["cancelled_result"]["status"] == 499 and out["cancelled_result"]["error_type"] == "client_cancelled"
    assert out["cancel_again"]["status"] == 400

    bad = out["bad_input"]
    assert bad["status"] == 422 and bad["request_id"]
    assert [(item["loc"], item["type"]) for item in bad["message"]] == [(["body", "duration"], "literal_error")]
    assert out["wrong_key"]["status"] == 401 and out["wrong_key"]["request_id"]

    result = out["result"]
    assert result["seed"] == 42
    assert result["video"]["content_type"] == "video/mp4" and result["video"]["file_name"] == "video.mp4"
    assert out["final"]["type"] == "Completed" and out["final"]["error"] is None
    assert out["final"]["metrics"]["inference_time"] > 0 and out["final"]["logs"]

    # The video link downloads over HTTPS with the CA: a playable 16:9 720p clip of 4 s, and byte ranges work.
    status, headers, data = fetch(video_emulator, "GET", result["video"]["url"], key=None)
    assert status == 200 and headers["x-fal-request-id"] and len(data) == result["video"]["file_size"]
    facts = describe(data)
    assert (facts["codec"], facts["width"], facts["height"]) == ("h264", 1280, 720)
    assert facts["duration"] == pytest.approx(4, abs=0.3) and facts["audio"] == "aac"
    status, headers, part = fetch(video_emulator, "GET", result["video"]["url"], key=None, range="bytes=0-99")
    assert status == 206 and part == data[:100] and headers["content-range"] == f"bytes 0-99/{len(data)}"
    video_emulator.configure(truncate_downloads=1)
    with pytest.raises(http.client.IncompleteRead):
        fetch(video_emulator, "GET", result["video"]["url"], key=None)

    # Wan took its picture from the seedance clip's still (a link to the emulator's own file) and echoes frame facts.
    wan = out["wan"]["result"]
    assert wan["video"]["width"] == 1280 and wan["video"]["height"] == 720 and wan["video"]["duration"] == 2.0
    assert isinstance(wan["seed"], int)

    # Its webhook: refused once (500), then delivered again with a fresh signature; both verify against the JWKS.
    receiver.wait_for(2)
    _, _, jwks = fetch(video_emulator, "GET", "/.well-known/jwks.json", key=None)
    assert jwks["keys"][0]["kty"] == "OKP" and jwks["keys"][0]["crv"] == "Ed25519"
    for headers, body in receiver.received[:2]:
        assert verify(headers, body, jwks)
        assert headers["x-fal-webhook-request-id"] == out["wan"]["request_id"]
        assert int(headers["x-fal-webhook-timestamp"]) == pytest.approx(time.time(), abs=60)
        assert not verify(headers, body.replace(b'"OK"', b'"ERROR"'), jwks)
    event = json.loads(receiver.received[-1][1])
    assert event["status"] == "OK" and event["request_id"] == out["wan"]["request_id"]
    assert event["payload"] == wan and event["gateway_request_id"]

    stats = video_emulator.stats()
    assert stats["requests"]["fal POST /{model_id}"] == 6  # the 500, seedance, veo, the 422, the 401, wan
    assert stats["creates_by_protocol"] == {"fal": 3} and stats["creates"] == 3
    assert stats["webhooks"]["delivered"] == 1 and stats["webhooks"]["attempts"] == 2


def test_raw_answers_have_request_ids_and_fal_error_shapes(video_emulator):
    video_emulator.configure(api_key=FAL_KEY, complete_after=2.0)
    portrait = data_uri(png_bytes((720, 1280)))

    for key, headers in ((None, {}), ("wrong:key", {}), (None, {"authorization": f"Bearer {FAL_KEY}"})):
        status, answer_headers, body = fetch(video_emulator, "POST", f"/{SEEDANCE}", {}, key=key, **headers)
        assert status == 401 and isinstance(body["detail"], str) and answer_headers["x-fal-request-id"]

    status, headers, body = fetch(video_emulator, "POST", "/fal-ai/not-a-model", {})
    assert status == 404 and "not found" in body["detail"] and headers["x-fal-request-id"]
    status, _, body = fetch(video_emulator, "POST", f"/{VEO}", {"prompt": "a hat", "aspect_ratio": "4:3"})
    assert status == 422
    assert [(item["loc"], item["type"]) for item in body["detail"]] == [
        (["body", "image_url"], "missing"),
        (["body", "aspect_ratio"], "literal_error"),
    ]
    status, _, body = fetch(
        video_emulator, "POST", f"/{VEO}", {"prompt": "a hat", "image_url": data_uri(png_bytes((300, 300)))}
    )
    assert status == 422 and body["detail"][0]["type"] == "image_too_small"

    status, headers, queued = fetch(
        video_emulator, "POST", f"/{KLING}?fal_webhook=http://127.0.0.1:9/hook", {"start_image_url": portrait}
    )
    assert status == 200 and headers["x-fal-request-id"] == queued["request_id"]
    assert set(queued) == {
        "status", "request_id", "gateway_request_id", "response_url", "status_url", "cancel_url", "queue_position"
    }  # fmt: skip
    assert queued["status_url"] == f"{video_emulator.tls_url}/fal-ai/kling-video/requests/{queued['request_id']}/status"
    status, _, body = fetch(video_emulator, "GET", queued["status_url"] + "?logs=0")
    assert status == 202 and body["status"] in ("IN_QUEUE", "IN_PROGRESS")
    status, headers, body = fetch(video_emulator, "GET", queued["response_url"])
    assert (status, body) == (400, {"detail": "Request is still in progress"}) and headers["x-fal-request-id"]
    wrong_app = queued["status_url"].replace("/fal-ai/kling-video/", "/fal-ai/veo3.1/")
    status, headers, _ = fetch(video_emulator, "GET", wrong_app)
    assert status == 404 and headers["x-fal-request-id"]
    status, _, _ = fetch(video_emulator, "GET", "/fal-ai/kling-video/requests/no-such-id/status")
    assert status == 404
    status, _, body = fetch(video_emulator, "PUT", queued["cancel_url"])
    assert (status, body) == (202, {"status": "CANCELLATION_REQUESTED"})

    # A moderation word: accepted, then COMPLETED with an error; the result is fal's 422 content_policy_violation.
    video_emulator.configure(complete_after=0.2)
    _, _, flagged = fetch(
        video_emulator, "POST", f"/{KLING}", {"prompt": "a [moderate] scarf", "start_image_url": portrait}
    )
    deadline = time.monotonic() + 5
    while (state := fetch(video_emulator, "GET", flagged["status_url"] + "?logs=true"))[0] == 202:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert state[2]["status"] == "COMPLETED" and state[2]["error"] == "Invalid status code: 422"
    assert isinstance(state[2]["logs"], list) and "inference_time" in state[2]["metrics"]
    status, _, body = fetch(video_emulator, "GET", flagged["response_url"])
    assert status == 422 and body["detail"][0]["type"] == "content_policy_violation"
    assert body["detail"][0]["loc"] == ["body", "prompt"]
    status, _, body = fetch(video_emulator, "PUT", flagged["cancel_url"])
    assert status == 400 and body["status"] == "ALREADY_COMPLETED"

    video_emulator.configure(quota_exceeded=True)
    status, headers, body = fetch(video_emulator, "POST", f"/{KLING}", {"start_image_url": portrait})
    assert status == 403 and "balance" in body["detail"] and headers["x-fal-request-id"]
    video_emulator.configure(quota_exceeded=False, rate_limit_next=1)
    status, headers, body = fetch(video_emulator, "GET", flagged["status_url"])
    assert status == 429 and isinstance(body["detail"], str) and headers["x-fal-request-id"]
    status, headers, _ = fetch(video_emulator, "GET", "/nowhere", key=None)
    assert status == 404 and headers["x-fal-request-id"]


def test_certificates_and_webhook_key_are_reused(tmp_path):
    tls_dir = tmp_path / "tls"
    emulator = start_emulator(tls_port=0, tls_dir=str(tls_dir))
    try:
        assert emulator.ca_path == str(tls_dir / "ca.pem")
        first = {name: (tls_dir / name).read_bytes() for name in ("ca.pem", "server.pem", "fal-webhook-key.pem")}
        jwks = fetch(emulator, "GET", "/.well-known/jwks.json", key=None)[2]
    finally:
        emulator.stop()

    emulator = start_emulator(tls_port=0, tls_dir=str(tls_dir))
    try:
        assert {name: (tls_dir / name).read_bytes() for name in first} == first
        assert fetch(emulator, "GET", "/.well-known/jwks.json", key=None)[2] == jwks
    finally:
        emulator.stop()

    # A damaged server certificate is made again under the same CA, so clients keep trusting the emulator.
    (tls_dir / "server.pem").write_text("not a certificate")
    emulator = start_emulator(tls_port=0, tls_dir=str(tls_dir))
    try:
        assert (tls_dir / "ca.pem").read_bytes() == first["ca.pem"]
        assert (tls_dir / "server.pem").read_bytes() != first["server.pem"]
        assert fetch(emulator, "GET", "/.well-known/jwks.json", key=None)[0] == 200
    finally:
        emulator.stop()


def test_cli_announces_the_tls_port(tmp_path):
    with run_emulator_process(tls_port=0, tls_dir=str(tmp_path)) as emulator:
        assert emulator.tls_url.startswith("https://127.0.0.1:") and emulator.ca_path == str(tmp_path / "ca.pem")
        status, headers, body = fetch(emulator, "GET", "/.well-known/jwks.json", key=None)
        assert status == 200 and body["keys"] and headers["x-fal-request-id"]
        assert emulator.stats()["requests"]["fal GET /.well-known/jwks.json"] == 1
    line = "Sora emulator ready at http://127.0.0.1:1/v1 (renders: fast, 6 fps, complete after 1s, data in /tmp/x)"
    assert parse_ready_line(line) == ("http://127.0.0.1:1/v1", None, None)


@pytest.mark.parametrize(
    ("ratio", "resolution", "size"),
    [("9:16", "720p", (720, 1280)), ("9:16", "1080p", (1080, 1920)), ("16:9", "720p", (1280, 720)),
     ("16:9", "480p", (854, 480)), ("1:1", "1080p", (1080, 1080))],
)  # fmt: skip
def test_frame_sizes(ratio, resolution, size):
    assert frame_size(ratio, resolution) == size


def test_ratio_follows_the_image():
    candidates = ("9:16", "16:9", "1:1")
    assert nearest_ratio(720, 1280, candidates) == "9:16"
    assert nearest_ratio(1000, 900, candidates) == "1:1"
    assert nearest_ratio(3000, 1000, candidates) == "16:9"
