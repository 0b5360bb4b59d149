"""Signed webhooks: verified by the official SDK and by the Standard Webhooks library, retried on failure."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import standardwebhooks

from sora_products.emulator.webhooks import new_secret, sign

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class Receiver:
    """A tiny webhook endpoint that answers the scripted statuses in turn (then 200)."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = list(statuses)
        self.received: list[tuple[dict[str, str], bytes, int]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["content-length"]))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body, status))
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/video"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.received) >= count, self.received


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver([500])
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def test_completed_event_is_signed_and_retried(client, video_emulator, receiver):
    secret = new_secret()
    video_emulator.configure(webhook_url=receiver.url, webhook_secret=secret)
    video = client.videos.create_and_poll(prompt="a wool coat")
    receiver.wait_for(2)

    (first_headers, first_body, first_status), (headers, body, status) = receiver.received[:2]
    assert (first_status, status) == (500, 200)
    assert first_headers["webhook-id"] == headers["webhook-id"] and first_body == body
    assert headers["webhook-id"].startswith("wh_") and len(headers["webhook-id"]) == 35
    assert int(headers["webhook-timestamp"]) == pytest.approx(time.time(), abs=30)
    assert headers["webhook-signature"].startswith("v1,")
    assert headers["content-type"] == "application/json"

    event = client.webhooks.unwrap(body, headers, secret=secret)
    assert event.type == "video.completed" and event.data.id == video.id
    assert event.id.startswith("evt_") and len(event.id) == 36
    assert json.loads(body) == {
        "id": event.id,
        "object": "event",
        "created_at": event.created_at,
        "type": "video.completed",
        "data": {"id": video.id},
    }
    assert standardwebhooks.Webhook(secret).verify(body, headers)["data"]["id"] == video.id
    stats = video_emulator.stats()["webhooks"]
    assert (stats["events"], stats["attempts"], stats["delivered"]) == (1, 2, 1)


def test_failed_event_for_a_moderated_prompt(client, video_emulator, receiver):
    secret = new_secret()
    receiver.statuses = []
    video_emulator.configure(webhook_url=receiver.url, webhook_secret=secret)
    video = client.videos.poll(client.videos.create(prompt="a real person [moderate]").id)
    receiver.wait_for(1)
    headers, body, _ = receiver.received[0]
    event = client.webhooks.unwrap(body, headers, secret=secret)
    assert event.type == "video.failed" and event.data.id == video.id


def test_a_tampered_body_fails_verification(client, video_emulator, receiver):
    import openai

    secret = new_secret()
    receiver.statuses = []
    video_emulator.configure(webhook_url=receiver.url, webhook_secret=secret, failure_rate=1.0)
    client.videos.create(prompt="a shoe")
    receiver.wait_for(1)
    headers, body, _ = receiver.received[0]
    with pytest.raises(openai.InvalidWebhookSignatureError):
        client.webhooks.unwrap(body.replace(b"video.failed", b"video.completed"), headers, secret=secret)


def test_delivery_gives_up_after_the_configured_attempts(client, video_emulator, receiver):
    receiver.statuses = [503, 302, 500, 500]
    video_emulator.configure(
        webhook_url=receiver.url, webhook_secret=new_secret(), webhook_attempts=3, failure_rate=1.0
    )
    client.videos.create(prompt="a shoe")
    receiver.wait_for(3)
    time.sleep(0.3)
    assert [status for _, _, status in receiver.received] == [503, 302, 500]  # 3xx is a failure, not followed
    stats = video_emulator.stats()["webhooks"]
    assert (stats["attempts"], stats["delivered"], stats["gave_up"]) == (3, 0, 1)


def test_unreachable_receiver_is_retried_then_given_up(client, video_emulator):
    video_emulator.configure(
        webhook_url="http://127.0.0.1:9/nothing", webhook_secret=new_secret(), webhook_attempts=2, failure_rate=1.0
    )
    client.videos.create(prompt="a shoe")
    deadline = time.monotonic() + 5
    while video_emulator.stats()["webhooks"]["gave_up"] == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    stats = video_emulator.stats()["webhooks"]
    assert (stats["attempts"], stats["gave_up"]) == (2, 1)


def test_signature_matches_the_standard_webhooks_library():
    secret = new_secret()
    body = b'{"id":"evt_1","object":"event"}'
    when = datetime.fromtimestamp(1_700_000_000, tz=UTC)
    expected = standardwebhooks.Webhook(secret).sign("wh_1", when, body.decode())
    assert sign(secret, "wh_1", 1_700_000_000, body) == expected
