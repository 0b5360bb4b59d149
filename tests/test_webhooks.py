"""The webhook endpoint: signed deliveries are queued once; anything else gets a 4xx, never a 5xx."""

from __future__ import annotations

import base64
import json
import time

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from standardwebhooks.webhooks import Webhook

from sora_products.models import ProductVideo, VideoStatus, WebhookEvent
from sora_products.queues import CapturingQueue
from tests.factories import make_product
from tests.stack import run_concurrently

SECRET = "whsec_" + base64.b64encode(b"k" * 32).decode()
OLD_SECRET = "whsec_" + base64.b64encode(b"o" * 32).decode()
URL = "/videos/webhooks/provider/"


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "WEBHOOK_SECRETS": [SECRET, OLD_SECRET]}


@pytest.fixture
def running_video(db):
    video = ProductVideo.objects.for_product(make_product()).get()
    ProductVideo.objects.filter(pk=video.pk).update(status=VideoStatus.IN_PROGRESS, remote_id="video_" + "a" * 48)
    CapturingQueue.captured.clear()
    return video


def signed(body: bytes, *, secret: str = SECRET, msg_id: str = "wh_1", at: int | None = None) -> dict[str, str]:
    at = int(time.time()) if at is None else at
    from datetime import UTC, datetime

    signature = Webhook(secret).sign(msg_id, datetime.fromtimestamp(at, tz=UTC), body.decode())
    return {"HTTP_WEBHOOK_ID": msg_id, "HTTP_WEBHOOK_TIMESTAMP": str(at), "HTTP_WEBHOOK_SIGNATURE": signature}


def event(remote_id: str = "video_" + "a" * 48, kind: str = "video.completed") -> bytes:
    return json.dumps(
        {"id": "evt_1", "object": "event", "created_at": int(time.time()), "type": kind, "data": {"id": remote_id}}
    ).encode()


def post(client, body: bytes, headers: dict[str, str]):
    return client.post(URL, data=body, content_type="application/json", **headers)


@pytest.mark.django_db
def test_a_valid_delivery_queues_the_video_once(client, running_video, django_capture_on_commit_callbacks):
    body = event()
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, body, signed(body))
        replay = post(client, body, signed(body))
    assert (first.status_code, first.json()["status"]) == (200, "queued")
    assert (replay.status_code, replay.json()["status"]) == (200, "duplicate")
    assert CapturingQueue.captured == [running_video.pk]
    # The hint changes no state by itself: the worker re-reads the job from the provider.
    assert ProductVideo.objects.get(pk=running_video.pk).status == VideoStatus.IN_PROGRESS


@pytest.mark.django_db
def test_a_rotated_secret_still_verifies(client, running_video):
    body = event()
    assert post(client, body, signed(body, secret=OLD_SECRET)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda b, h: (b, {**h, "HTTP_WEBHOOK_SIGNATURE": "v1,AAAA"}), id="forged"),
        pytest.param(lambda b, h: (b.replace(b"completed", b"failed"), h), id="tampered-body"),
        pytest.param(lambda b, h: (b, signed(b, at=int(time.time()) - 301)), id="stale"),
        pytest.param(lambda b, h: (b, signed(b, at=int(time.time()) + 301)), id="future"),
        pytest.param(lambda b, h: (b, {k: v for k, v in h.items() if k != "HTTP_WEBHOOK_ID"}), id="no-id"),
        pytest.param(lambda b, h: (b, {**h, "HTTP_WEBHOOK_TIMESTAMP": "12.5"}), id="float-timestamp"),
        # "²" and "١" are digits to str.isdigit() but not to int()
        pytest.param(lambda b, h: (b, {**h, "HTTP_WEBHOOK_TIMESTAMP": "1²"}), id="superscript-timestamp"),
        pytest.param(lambda b, h: (b, {**h, "HTTP_WEBHOOK_SIGNATURE": "garbage"}), id="garbage-signature"),
        pytest.param(lambda b, h: (b, {**h, "HTTP_WEBHOOK_SIGNATURE": "v1,!!!notb64"}), id="bad-base64"),
        pytest.param(
            lambda b, h: (b, signed(b, secret="whsec_" + base64.b64encode(b"x" * 32).decode())), id="wrong-key"
        ),
        pytest.param(lambda b, h: (b"[1, 2]", signed(b"[1, 2]")), id="json-array"),
        pytest.param(lambda b, h: (b"{not json", signed(b"{not json")), id="not-json"),
        pytest.param(
            lambda b, h: (b'{"type": "video.completed"}', signed(b'{"type": "video.completed"}')), id="no-data"
        ),
        pytest.param(lambda b, h: (b"x" * 70_000, signed(b"x" * 70_000)), id="too-large"),
    ],
)
def test_bad_deliveries_get_a_4xx_and_change_nothing(client, running_video, mutate):
    body, headers = mutate(event(), signed(event()))
    response = post(client, body, headers)
    assert 400 <= response.status_code < 500
    assert not WebhookEvent.objects.exists()
    assert CapturingQueue.captured == []


@pytest.mark.django_db
def test_unknown_jobs_and_other_events_are_acknowledged_and_ignored(client, running_video):
    body = event(remote_id="video_" + "f" * 48)
    assert post(client, body, signed(body)).json()["status"] == "unknown_job"
    other = event(kind="batch.completed")
    assert post(client, other, signed(other, msg_id="wh_2")).json()["status"] == "ignored"
    assert CapturingQueue.captured == []


@pytest.mark.django_db
def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


header_values = st.one_of(st.text(max_size=80), st.just(""), st.from_regex(r"v1,[A-Za-z0-9+/=]{0,60}", fullmatch=True))


@pytest.mark.django_db
@hsettings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.one_of(st.binary(max_size=300), st.builds(lambda: event())),
    drop=st.sets(st.sampled_from(["HTTP_WEBHOOK_ID", "HTTP_WEBHOOK_TIMESTAMP", "HTTP_WEBHOOK_SIGNATURE"])),
    replace=st.dictionaries(
        st.sampled_from(["HTTP_WEBHOOK_ID", "HTTP_WEBHOOK_TIMESTAMP", "HTTP_WEBHOOK_SIGNATURE"]), header_values
    ),
)
def test_no_mutated_delivery_ever_gets_a_5xx(client, running_video, body, drop, replace):
    headers = {k: v for k, v in signed(event()).items() if k not in drop}
    headers.update({k: v.replace("\n", " ").replace("\r", " ") for k, v in replace.items()})
    response = post(client, body, headers)
    assert response.status_code < 500
    if response.status_code == 200:
        assert response.json()["status"] in {"queued", "duplicate", "ignored", "unknown_job"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_delivery_sent_50_times_at_once_changes_state_once(client, running_video):
    body = event()
    headers = signed(body, msg_id="wh_concurrent")
    codes = []

    def deliver() -> None:
        from django.test import Client

        codes.append(post(Client(), body, headers).json()["status"])

    assert run_concurrently(50, deliver) == []
    assert sorted(set(codes)) == ["duplicate", "queued"] and codes.count("queued") == 1
    assert WebhookEvent.objects.count() == 1
    assert CapturingQueue.captured == [running_video.pk]
