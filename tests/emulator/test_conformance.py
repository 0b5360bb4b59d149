"""The official openai SDK, unchanged, against the emulator: the happy paths of every endpoint."""

from __future__ import annotations

import base64
import io
import time

import httpx
import pytest
from PIL import Image

from .conftest import png_bytes
from .media import describe, mean_colour, top_level_boxes

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
VIDEO_KEYS = {
    "id",
    "object",
    "model",
    "status",
    "progress",
    "created_at",
    "completed_at",
    "expires_at",
    "prompt",
    "size",
    "seconds",
    "remixed_from_video_id",
    "error",
}


def auth(emulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {emulator.api_key}"}


def test_create_answers_a_queued_video_with_all_thirteen_keys(client, video_emulator):
    video = client.videos.create(prompt="a ceramic mug", input_reference=("ref.png", png_bytes(), "image/png"))

    assert video.status == "queued" and video.progress == 0
    assert video.id.startswith("video_") and len(video.id) == len("video_") + 48
    assert (video.model, video.size, video.seconds) == ("sora-2", "720x1280", "4")
    raw = httpx.get(f"{video_emulator.base_url}/videos/{video.id}", headers=auth(video_emulator)).json()
    assert set(raw) == VIDEO_KEYS
    assert raw["completed_at"] is None and raw["error"] is None and raw["remixed_from_video_id"] is None


def test_create_and_poll_completes_with_timestamps(client):
    started = time.time()
    video = client.videos.create_and_poll(prompt="a leather bag", input_reference=("r.png", png_bytes(), "image/png"))

    assert video.status == "completed" and video.progress == 100 and video.error is None
    assert video.completed_at >= video.created_at >= int(started) - 1
    assert video.expires_at == video.completed_at + 86400
    assert client.videos.retrieve(video.id).status == "completed"


def test_progress_rises_and_poll_hint_is_an_integer(video_emulator):
    video_emulator.configure(complete_after=1.5)
    headers = auth(video_emulator)
    created = httpx.post(f"{video_emulator.base_url}/videos", json={"prompt": "a hat"}, headers=headers).json()
    seen = []
    while True:
        response = httpx.get(f"{video_emulator.base_url}/videos/{created['id']}", headers=headers)
        assert response.headers["openai-poll-after-ms"] == "50"
        body = response.json()
        seen.append((body["status"], body["progress"]))
        if body["status"] == "completed":
            break
        time.sleep(0.1)
    statuses = [status for status, _ in seen]
    assert statuses[0] == "queued" and "in_progress" in statuses and statuses[-1] == "completed"
    progress = [value for status, value in seen if status == "in_progress"]
    assert progress == sorted(progress) and progress[0] >= 1 and progress[-1] <= 99 and len(set(progress)) > 2


def test_list_pages_through_every_video_with_cursors(client, video_emulator):
    video_emulator.configure(failure_rate=1.0)  # failing jobs never render: cheap to make many
    ids = [client.videos.create(prompt=f"sock {n}").id for n in range(5)]

    page = client.videos.list(limit=2)
    assert [v.id for v in page.data] == ids[::-1][:2]
    assert page.has_more is True and page.last_id == ids[3] and page.first_id == ids[4]
    assert [v.id for v in client.videos.list(limit=2)] == ids[::-1]  # auto-pagination follows last_id
    assert [v.id for v in client.videos.list(limit=3, order="asc")] == ids
    last = client.videos.list(limit=2, after=ids[1])
    assert [v.id for v in last.data] == [ids[0]] and last.has_more is False
    empty = httpx.get(f"{video_emulator.base_url}/videos", params={"after": ids[0]}, headers=auth(video_emulator))
    assert empty.json() == {"object": "list", "data": [], "first_id": None, "last_id": None, "has_more": False}


def test_download_all_three_variants(client, completed_video, video_emulator):
    data = client.videos.download_content(completed_video.id).read()
    facts = describe(data)
    assert facts["codec"] == "h264" and facts["pix_fmt"] == "yuv420p"
    assert (facts["width"], facts["height"]) == (720, 1280)
    assert abs(facts["duration"] - 4.0) < 0.15
    assert facts["audio"] == "aac"
    boxes = top_level_boxes(data)
    assert boxes.index("moov") < boxes.index("mdat"), boxes

    thumbnail = client.videos.download_content(completed_video.id, variant="thumbnail").read()
    with Image.open(io.BytesIO(thumbnail)) as image:
        assert image.format == "WEBP" and image.size == (720, 1280)
    sheet = client.videos.download_content(completed_video.id, variant="spritesheet").read()
    with Image.open(io.BytesIO(sheet)) as image:
        assert image.format == "JPEG" and image.width > image.height / 2

    raw = httpx.get(f"{video_emulator.base_url}/videos/{completed_video.id}/content", headers=auth(video_emulator))
    assert raw.headers["content-type"] == "video/mp4"
    assert int(raw.headers["content-length"]) == len(raw.content) == len(data)


def test_streaming_download_to_file(client, completed_video, tmp_path):
    target = tmp_path / "clip.mp4"
    with client.videos.with_streaming_response.download_content(completed_video.id) as response:
        response.stream_to_file(target)
    boxes = top_level_boxes(target.read_bytes())
    # moov before mdat: the clip plays while it streams; the C2PA manifest's uuid box sits in between
    assert boxes[0] == "ftyp" and boxes.index("moov") < boxes.index("mdat")
    assert boxes[:3] == ["ftyp", "uuid", "moov"]


def test_remix_copies_the_shape_and_visibly_changes_the_picture(client, completed_video):
    remix = client.videos.remix(completed_video.id, prompt="make the whole scene deep red")
    assert remix.id != completed_video.id and remix.remixed_from_video_id == completed_video.id
    assert (remix.model, remix.size, remix.seconds) == (completed_video.model, "720x1280", "4")
    remix = client.videos.poll(remix.id)
    assert remix.status == "completed"

    before = mean_colour(client.videos.download_content(completed_video.id).read())
    after = mean_colour(client.videos.download_content(remix.id).read())
    assert abs(before - after).sum() > 60, (before, after)
    assert after[0] - after[1] > before[0] - before[1] + 40  # redder than the green source
    assert client.videos.retrieve(completed_video.id).remixed_from_video_id is None


def test_delete_then_not_found(client, completed_video):
    import openai

    deleted = client.videos.delete(completed_video.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (completed_video.id, "video.deleted", True)
    with pytest.raises(openai.NotFoundError):
        client.videos.retrieve(completed_video.id)
    with pytest.raises(openai.NotFoundError):
        client.videos.download_content(completed_video.id)


def test_json_body_with_a_data_url_reference_and_int_seconds(video_emulator):
    data_url = "data:image/png;base64," + base64.b64encode(png_bytes((1280, 720))).decode()
    body = {"prompt": "a lamp", "size": "1280x720", "seconds": 8, "input_reference": {"image_url": data_url}}
    response = httpx.post(f"{video_emulator.base_url}/videos", json=body, headers=auth(video_emulator))
    assert response.status_code == 200, response.text
    assert (response.json()["size"], response.json()["seconds"]) == ("1280x720", "8")


def test_bracketed_multipart_keys_from_extra_body(client):
    data_url = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    video = client.videos.create(
        prompt="a scarf", extra_body={"input_reference": {"image_url": data_url}, "characters": [{"id": "char_1"}]}
    )
    assert video.status == "queued"


def test_2026_sizes_and_durations(client, video_emulator):
    video = client.videos.create(prompt="a watch", model="sora-2-pro", size="1920x1080", seconds="16")
    assert (video.size, video.seconds, video.model) == ("1920x1080", "16", "sora-2-pro")
    assert client.videos.create(prompt="a ring", seconds="20").seconds == "20"
    video_emulator.reset()  # cancels the renders: nobody waits for them


def test_edit_and_extension_make_new_videos(client, completed_video, video_emulator):
    # videos.edit(video={"id": ...}) raises RuntimeError inside the SDK (A.12), so post the JSON form.
    edit = client.post(
        "/videos/edits",
        cast_to=type(completed_video),
        body={"prompt": "make it blue", "video": {"id": completed_video.id}},
    )
    assert edit.id != completed_video.id and edit.seconds == "4"
    extension = client.post(
        "/videos/extensions",
        cast_to=type(completed_video),
        body={"prompt": "keep going", "seconds": "8", "video": {"id": completed_video.id}},
    )
    assert extension.seconds == "12"
    assert video_emulator.stats()["edits"] == 1 and video_emulator.stats()["extensions"] == 1
    video_emulator.reset()
