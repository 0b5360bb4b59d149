"""The official runwayml SDK, unchanged, against the emulator's Runway routes (same port as the OpenAI ones).

The SDK parses answers leniently (a body that fits no state is built as Pending with None fields), so every
state's raw JSON is also checked with that state's own pydantic model from ``runwayml.types``.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
import runwayml
from openai import OpenAI
from runwayml import RunwayML
from runwayml.types import task_retrieve_response as states
from runwayml.types.image_to_video_create_response import ImageToVideoCreateResponse
from runwayml.types.video_to_video_create_response import VideoToVideoCreateResponse

from sora_products.emulator.runway import credits_for

from .conftest import png_bytes
from .media import describe

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
VERSION = "2024-11-06"
STATE_MODELS = {
    "PENDING": states.Pending,
    "THROTTLED": states.Throttled,
    "RUNNING": states.Running,
    "SUCCEEDED": states.Succeeded,
    "FAILED": states.Failed,
    "CANCELLED": states.Cancelled,
}
TERMINAL = ("SUCCEEDED", "FAILED", "CANCELLED")


def data_uri(data: bytes, kind: str = "image/png") -> str:
    return f"data:{kind};base64," + base64.b64encode(data).decode()


PNG = data_uri(png_bytes((800, 600)))


@pytest.fixture
def runway(video_emulator) -> RunwayML:
    """The official SDK, unchanged: base_url is the server root (the SDK adds /v1 itself), no SDK retries."""
    return RunwayML(base_url=video_emulator.url, api_key=video_emulator.api_key, max_retries=0)


def headers(emulator, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {emulator.api_key}", "X-Runway-Version": VERSION, **extra}


def raw_task(emulator, task_id: str) -> dict:
    """GET /v1/tasks/{id} as JSON, checked against the pydantic model of the state it claims."""
    response = httpx.get(f"{emulator.url}/v1/tasks/{task_id}", headers=headers(emulator))
    assert response.status_code == 200, response.text
    body = response.json()
    STATE_MODELS[body["status"]].model_validate(body)
    return body


def wait(emulator, task_id: str, timeout: float = 20.0) -> list[dict]:
    """Every state seen while polling quickly until the task ends (the last item is the end state)."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen.append(raw_task(emulator, task_id))
        if seen[-1]["status"] in TERMINAL:
            return seen
        time.sleep(0.03)
    raise AssertionError(f"task {task_id} did not finish: {seen[-1]}")


def create(runway: RunwayML, **overrides) -> str:
    """A gen4.5 task from the PNG; answers its id after checking the create response's own model."""
    params = {"model": "gen4.5", "prompt_image": PNG, "prompt_text": "a mug", "ratio": "720:1280", "duration": 2}
    raw = runway.image_to_video.with_raw_response.create(**{**params, **overrides})
    ImageToVideoCreateResponse.model_validate(raw.http_response.json())
    return raw.parse().id


@pytest.fixture
def succeeded(runway, video_emulator) -> dict:
    """A finished 2-second gen4.5 task, as the raw SUCCEEDED JSON."""
    task = wait(video_emulator, create(runway))[-1]
    assert task["status"] == "SUCCEEDED", task
    return task


def test_image_to_video_walks_every_state_to_a_playable_clip(runway, video_emulator):
    video_emulator.configure(complete_after=1.5)
    task = runway.image_to_video.create(
        model="gen4.5", prompt_image=PNG, prompt_text="a green mug on a table", ratio="720:1280", duration=4
    )
    assert task.estimated_cost.credits == credits_for("gen4.5", 4, audio=False) == 48

    seen = wait(video_emulator, task.id)
    statuses = [state["status"] for state in seen]
    assert statuses[0] == "PENDING" and "RUNNING" in statuses and statuses[-1] == "SUCCEEDED"
    running = [state for state in seen if state["status"] == "RUNNING"]
    progress = [state["progress"] for state in running]
    assert progress == sorted(progress) and 0 < progress[0] and progress[-1] < 1 and len(set(progress)) > 2
    assert all(state["estimatedCost"] == {"credits": 48} for state in seen[:-1])
    done = seen[-1]
    assert done["cost"] == {"credits": 48} and len(done["output"]) == 1
    assert done["createdAt"].endswith("Z") and done["id"] == task.id

    parsed = runway.tasks.retrieve(task.id)  # the SDK's own view agrees
    assert isinstance(parsed, states.Succeeded) and parsed.cost.credits == 48
    clip = httpx.get(parsed.output[0])  # a presigned-style link: no key needed
    assert clip.status_code == 200 and clip.headers["content-type"] == "video/mp4"
    info = describe(clip.content)
    assert (info["codec"], info["width"], info["height"]) == ("h264", 720, 1280)
    assert abs(info["duration"] - 4) < 0.5


def test_each_state_is_valid_for_its_own_model(runway, video_emulator):
    video_emulator.configure(complete_after=30)
    live = create(runway)
    assert raw_task(video_emulator, live)["status"] in ("PENDING", "RUNNING")
    runway.tasks.delete(live)
    cancelled = raw_task(video_emulator, live)
    assert cancelled["status"] == "CANCELLED" and cancelled["cost"] == {"credits": 0}
    assert "estimatedCost" not in cancelled and "output" not in cancelled

    video_emulator.configure(complete_after=0.2)
    failed = wait(video_emulator, create(runway, prompt_text="a shoe [moderate]"))[-1]
    assert failed["status"] == "FAILED" and failed["cost"] == {"credits": 0}
    parsed = runway.tasks.retrieve(failed["id"])
    assert isinstance(parsed, states.Failed) and parsed.failure_code == "SAFETY.INPUT.TEXT"


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"ratio": "1920:1080"}, "'ratio' for gen4.5: '1920:1080'"),
        ({"duration": 11}, "'duration' for gen4.5: 11"),
        ({"model": "gen9"}, "'model'"),
        ({"model": "veo3.1", "ratio": "1104:832", "duration": 4}, "'ratio' for veo3.1"),
        ({"model": "veo3.1", "ratio": "1280:720", "duration": 5}, "'duration' for veo3.1: 5"),
        ({"model": "gen4_turbo", "duration": 7}, "'duration' for gen4_turbo: 7"),
        ({"model": "kling3.0_standard", "ratio": "1920:1080"}, "'ratio' for kling3.0_standard"),
        ({"model": "kling3.0_pro", "ratio": "1080:1920", "duration": 16}, "'duration' for kling3.0_pro: 16"),
        ({"model": "kling3.0_pro", "ratio": "720:1280", "duration": 5}, "'ratio' for kling3.0_pro"),
        ({"model": "seedance2", "duration": 3}, "'duration' for seedance2: 3"),
        ({"prompt_image": "data:image/png;base64,bm90IGFuIGltYWdl"}, "'promptImage': the data is not an image"),
        ({"prompt_image": "runway://uploads/abc"}, "'promptImage': runway:// upload URIs are not emulated"),
        ({"prompt_image": "ftp://example.com/a.png"}, "'promptImage'"),
        ({"extra_body": {"audio": True}}, "'audio': gen4.5 does not take an audio setting"),
        ({"model": "veo3.1_fast", "duration": 4, "extra_body": {"audio": "yes"}}, "'audio': expected true or false"),
    ],
)
def test_requests_that_break_a_models_rules_are_refused_naming_the_field(runway, video_emulator, overrides, named):
    with pytest.raises(runwayml.BadRequestError) as excinfo:
        create(runway, **overrides)
    assert excinfo.value.status_code == 400
    assert set(excinfo.value.body) == {"error"} and named in excinfo.value.body["error"]
    assert video_emulator.stats()["creates"] == 0


def test_required_fields_and_the_image_size_limit(video_emulator):
    url = f"{video_emulator.url}/v1/image_to_video"
    base = {"model": "gen4.5", "promptImage": PNG, "promptText": "a mug", "ratio": "720:1280", "duration": 4}
    for field in ("promptImage", "promptText", "duration", "ratio", "model"):
        body = {key: value for key, value in base.items() if key != field}
        response = httpx.post(url, json=body, headers=headers(video_emulator))
        assert response.status_code == 400 and f"'{field}'" in response.json()["error"], (field, response.text)

    oversized = data_uri(b"\x89PNG" + bytes(5 * 1024 * 1024 + 10))
    response = httpx.post(url, json={**base, "promptImage": oversized}, headers=headers(video_emulator))
    assert response.status_code == 400
    assert "'promptImage'" in response.json()["error"] and "5 MB" in response.json()["error"]
    json_headers = headers(video_emulator, **{"content-type": "application/json"})
    response = httpx.post(url, content=b"[1, 2]", headers=json_headers)
    assert response.status_code == 400 and "JSON object" in response.json()["error"]


@pytest.fixture
def image_server() -> Iterator[str]:
    """A loopback web server with one PNG at /photo.png (anything else is a 404)."""
    photo = png_bytes((1000, 500))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            found = self.path == "/photo.png"
            self.send_response(200 if found else 404)
            self.send_header("content-type", "image/png")
            self.send_header("content-length", str(len(photo) if found else 0))
            self.end_headers()
            if found:
                self.wfile.write(photo)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_prompt_image_urls_are_fetched_and_cropped_to_the_ratio(runway, video_emulator, image_server):
    task = wait(video_emulator, create(runway, prompt_image=f"{image_server}/photo.png", ratio="960:960"))[-1]
    assert task["status"] == "SUCCEEDED"
    assert describe(httpx.get(task["output"][0]).content)["width"] == 960
    with pytest.raises(runwayml.BadRequestError) as excinfo:
        create(runway, prompt_image=f"{image_server}/missing.png")
    assert "'promptImage'" in excinfo.value.body["error"] and "HTTP 404" in excinfo.value.body["error"]


def test_models_pick_a_ratio_from_the_first_frame_and_price_their_seconds(runway, video_emulator):
    video_emulator.configure(failure_rate=1.0)  # planned failures never render: cheap to make many
    square = data_uri(png_bytes((900, 880)))
    kling = runway.image_to_video.create(model="kling3.0_standard", prompt_image=square, duration=10)
    veo = runway.image_to_video.create(model="veo3.1", prompt_image=PNG, ratio="1280:720", audio=False)
    veo_sound = runway.image_to_video.create(model="veo3.1", prompt_image=PNG, ratio="1280:720", duration=4)
    last_frame = [{"uri": PNG, "position": "first"}, {"uri": square, "position": "last"}]
    seedance = runway.image_to_video.create(model="seedance2", prompt_image=last_frame, duration="auto")
    jobs = {job.id: job for job in video_emulator.jobs()}
    assert (jobs[kling.id].size, jobs[kling.id].seconds) == ("960:960", "10")
    assert jobs[veo.id].seconds == "8"  # veo's default duration
    assert kling.estimated_cost.credits == 11 * 10
    assert veo.estimated_cost.credits == 20 * 8 and veo_sound.estimated_cost.credits == 40 * 4
    assert seedance.estimated_cost.credits == 30 * 5 and jobs[seedance.id].size == "1112:834"  # 800x600 is 4:3


def test_wrong_or_missing_key_is_refused(video_emulator):
    video_emulator.configure(api_key="sk-runway-right")
    wrong = RunwayML(base_url=video_emulator.url, api_key="sk-runway-wrong", max_retries=0)
    with pytest.raises(runwayml.AuthenticationError) as excinfo:
        wrong.tasks.retrieve("00000000-0000-4000-8000-000000000000")
    assert "API key" in excinfo.value.body["error"]
    right = RunwayML(base_url=video_emulator.url, api_key="sk-runway-right", max_retries=0)
    with pytest.raises(runwayml.NotFoundError):
        right.tasks.retrieve("00000000-0000-4000-8000-000000000000")

    missing = httpx.get(f"{video_emulator.url}/v1/tasks/x", headers={"X-Runway-Version": VERSION})
    assert missing.status_code == 401 and isinstance(missing.json()["error"], str)


def test_the_version_header_is_required(video_emulator):
    url = f"{video_emulator.url}/v1/tasks/00000000-0000-4000-8000-000000000000"
    auth = {"Authorization": f"Bearer {video_emulator.api_key}"}
    response = httpx.get(url, headers=auth)
    assert response.status_code == 400 and "X-Runway-Version" in response.json()["error"]
    response = httpx.get(url, headers={**auth, "X-Runway-Version": "2023-01-01"})
    assert response.status_code == 400 and "2024-11-06" in response.json()["error"]
    assert httpx.get(url, headers={**auth, "X-Runway-Version": VERSION}).status_code == 404
    unknown = httpx.get(f"{video_emulator.url}/v1/no_such_thing", headers=headers(video_emulator))
    assert unknown.status_code == 404 and isinstance(unknown.json()["error"], str)


def test_deleting_a_finished_task_makes_it_404(runway, video_emulator, succeeded):
    assert runway.tasks.delete(succeeded["id"]) is None
    with pytest.raises(runwayml.NotFoundError) as excinfo:
        runway.tasks.retrieve(succeeded["id"])
    assert set(excinfo.value.body) == {"error"}
    assert httpx.get(succeeded["output"][0]).status_code == 404  # its files went with it
    with pytest.raises(runwayml.NotFoundError):
        runway.tasks.delete(succeeded["id"])


def test_deleting_a_running_task_cancels_it_for_good(runway, video_emulator):
    video_emulator.configure(complete_after=0.6)
    task_id = create(runway)
    raw = runway.tasks.with_raw_response.delete(task_id)
    assert raw.http_response.status_code == 204 and raw.http_response.content == b""
    time.sleep(0.8)  # past the deadline: the cancelled render must not finish the task
    task = raw_task(video_emulator, task_id)
    assert task["status"] == "CANCELLED" and task["cost"] == {"credits": 0}
    assert isinstance(runway.tasks.retrieve(task_id), states.Cancelled)
    assert video_emulator.stats()["jobs"]["cancelled"] == 1
    runway.tasks.delete(task_id)  # a cancelled task is finished: this deletes it
    with pytest.raises(runwayml.NotFoundError):
        runway.tasks.retrieve(task_id)


def test_moderation_and_planned_failures_end_in_failed_with_a_code(runway, video_emulator):
    moderated = wait(video_emulator, create(runway, prompt_text="a hat with a famous logo [moderate]"))[-1]
    assert moderated["status"] == "FAILED" and moderated["failureCode"] == "SAFETY.INPUT.TEXT"
    assert moderated["failure"].endswith(".") and moderated["cost"] == {"credits": 0}

    video_emulator.configure(failure_rate=1.0)
    failed = wait(video_emulator, create(runway))[-1]
    assert failed["failureCode"] == "INTERNAL.BAD_OUTPUT.CODE01" and failed["cost"] == {"credits": 0}

    video_emulator.configure(reject_words=["weapon"])
    with pytest.raises(runwayml.BadRequestError):
        create(runway, prompt_text="a toy weapon")


def test_rate_limits_quota_and_server_errors(runway, video_emulator):
    video_emulator.configure(rate_limit_creates=1, failure_rate=1.0, retry_after_ms=30)
    with pytest.raises(runwayml.RateLimitError) as excinfo:
        create(runway)
    assert excinfo.value.response.headers["retry-after-ms"] == "30"
    assert set(excinfo.value.body) == {"error"} and "openai" not in excinfo.value.body["error"].lower()
    create(runway)  # only the next N creates are limited

    video_emulator.configure(server_error_creates=1)
    with pytest.raises(runwayml.InternalServerError) as excinfo:
        create(runway)
    assert set(excinfo.value.body) == {"error"}

    video_emulator.configure(rate_limit_next=1)
    with pytest.raises(runwayml.RateLimitError):
        runway.tasks.retrieve(video_emulator.jobs()[0].id)

    video_emulator.configure(quota_exceeded=True)
    retrying = RunwayML(base_url=video_emulator.url, api_key=video_emulator.api_key, max_retries=2)
    with pytest.raises(runwayml.RateLimitError) as excinfo:
        create(retrying)
    assert "credits" in excinfo.value.body["error"]
    stats = video_emulator.stats()
    assert stats["requests"]["POST /v1/image_to_video"] == 4  # x-should-retry: false kept the SDK from retrying
    assert stats["creates"] == 1


def test_a_dropped_create_still_makes_the_task(runway, video_emulator):
    video_emulator.configure(drop_create_responses=1, failure_rate=1.0)
    with pytest.raises(runwayml.APIConnectionError):
        create(runway)
    stats = video_emulator.stats()
    assert stats["creates"] == 1 and stats["responses"]["0"] == 1
    (job,) = video_emulator.jobs()
    assert job.protocol == "runway" and raw_task(video_emulator, job.id)["status"] in ("PENDING", "RUNNING", "FAILED")


def test_protocols_share_one_store_but_not_their_jobs(runway, video_emulator):
    video_emulator.configure(failure_rate=1.0)
    openai = OpenAI(base_url=video_emulator.base_url, api_key=video_emulator.api_key, max_retries=0)
    video = openai.videos.create(prompt="an openai shoe")
    task_id = create(runway, prompt_text="a runway shoe")
    create(runway, prompt_text="a runway shoe")

    stats = video_emulator.stats()
    assert stats["creates"] == 3 and stats["creates_by_protocol"] == {"openai": 1, "runway": 2}
    assert [v.id for v in openai.videos.list().data] == [video.id]  # Runway tasks are not OpenAI videos
    with pytest.raises(runwayml.NotFoundError):
        runway.tasks.retrieve(video.id)
    with pytest.raises(runwayml.NotFoundError):
        runway.tasks.delete(video.id)
    assert httpx.get(f"{video_emulator.base_url}/videos/{task_id}", headers=headers(video_emulator)).status_code == 404
    assert len(task_id) == 36 and task_id.count("-") == 4  # a UUID


def test_runway_tasks_send_no_webhooks(runway, video_emulator):
    video_emulator.configure(webhook_url="http://127.0.0.1:9/hook", webhook_secret="whsec_" + "A" * 32)
    wait(video_emulator, create(runway))
    assert video_emulator.stats()["webhooks"]["events"] == 0


def test_video_to_video_from_a_finished_output(runway, video_emulator, succeeded):
    raw = runway.video_to_video.with_raw_response.create(
        model="aleph2", video_uri=succeeded["output"][0], prompt_text="make it red"
    )
    VideoToVideoCreateResponse.model_validate(raw.http_response.json())
    edited = wait(video_emulator, raw.parse().id)[-1]
    assert edited["status"] == "SUCCEEDED" and edited["cost"] == {"credits": credits_for("aleph2", 2, False)}
    info = describe(httpx.get(edited["output"][0]).content)
    assert (info["width"], info["height"]) == (720, 1280) and abs(info["duration"] - 2) < 0.5
    (generation,) = [item for item in video_emulator.stats()["generations"] if item["kind"] == "edit"]
    assert generation["source_id"] == succeeded["id"] and generation["protocol"] == "runway"


def test_video_to_video_from_a_data_uri_and_its_rules(runway, video_emulator, succeeded):
    clip = httpx.get(succeeded["output"][0]).content
    task = runway.video_to_video.create(
        model="klingO3_pro", prompt_video=data_uri(clip, "video/mp4"), prompt_text="on a beach"
    )
    done = wait(video_emulator, task.id)[-1]
    assert done["status"] == "SUCCEEDED"
    info = describe(httpx.get(done["output"][0]).content)
    assert (info["width"], info["height"]) == (720, 1280)

    with pytest.raises(runwayml.BadRequestError) as excinfo:  # Kling O3 edits need a prompt
        runway.video_to_video.create(model="klingO3_pro", prompt_video=succeeded["output"][0])
    assert "'promptText'" in excinfo.value.body["error"]
    with pytest.raises(runwayml.BadRequestError) as excinfo:
        runway.video_to_video.create(model="aleph2", video_uri=data_uri(png_bytes(), "video/mp4"))
    assert "'videoUri'" in excinfo.value.body["error"] and "not a video" in excinfo.value.body["error"]
    tampered = succeeded["output"][0].replace("sig=", "sig=0")
    with pytest.raises(runwayml.BadRequestError) as excinfo:
        runway.video_to_video.create(model="aleph2", video_uri=tampered)
    assert "'videoUri'" in excinfo.value.body["error"]


def test_outputs_serve_ranges_and_truncate_on_demand(video_emulator, succeeded):
    url = succeeded["output"][0]
    full = httpx.get(url)
    assert full.headers["accept-ranges"] == "bytes"
    part = httpx.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == full.content[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(full.content)}"
    tail = httpx.get(url, headers={"Range": "bytes=-50"})
    assert tail.status_code == 206 and tail.content == full.content[-50:]
    beyond = httpx.get(url, headers={"Range": f"bytes={len(full.content)}-"})
    assert beyond.status_code == 416 and beyond.headers["content-range"] == f"bytes */{len(full.content)}"

    video_emulator.configure(truncate_downloads=1)
    received = bytearray()
    with pytest.raises(httpx.RemoteProtocolError):
        with httpx.stream("GET", url) as response:
            assert int(response.headers["content-length"]) == len(full.content)
            for chunk in response.iter_bytes():
                received += chunk
    assert 0 < len(received) < len(full.content)
    assert httpx.get(url).content == full.content


def test_output_links_expire_and_a_retrieve_gives_a_fresh_one(video_emulator, succeeded):
    assert httpx.get(succeeded["output"][0].replace("sig=", "sig=f")).status_code == 403
    video_emulator.configure(expires_after=1)
    short = raw_task(video_emulator, succeeded["id"])["output"][0]
    time.sleep(1.05)
    expired = httpx.get(short)
    assert expired.status_code == 403 and "retrieve the task again" in expired.json()["error"]
    video_emulator.configure(expires_after=3600)
    fresh = raw_task(video_emulator, succeeded["id"])["output"][0]
    assert fresh != short and httpx.get(fresh).status_code == 200
