"""Every refusal the emulator makes, seen through the SDK's exception classes and the raw envelope."""

from __future__ import annotations

import httpx
import openai
import pytest
from openai import OpenAI

from .conftest import png_bytes

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def error_of(excinfo) -> dict:
    """The envelope's inner error object as the SDK kept it."""
    return excinfo.value.body


def test_bad_size_for_the_model(client):
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.videos.create(prompt="a shoe", size="1920x1080")
    assert excinfo.value.message.endswith(
        "Invalid value: '1920x1080'. Supported values are: '720x1280' and '1280x720'."
    )
    assert error_of(excinfo)["param"] == "size" and excinfo.value.code == "invalid_value"
    assert excinfo.value.request_id.startswith("req_")


def test_pro_sizes_depend_on_the_2026_switch(client, video_emulator):
    video_emulator.configure(allow_2026=False)
    with pytest.raises(
        openai.BadRequestError,
        match=(
            "Invalid value: '1920x1080'. Supported values are: '720x1280', '1280x720', '1024x1792', and '1792x1024'."
        ),
    ):
        client.videos.create(prompt="a shoe", model="sora-2-pro", size="1920x1080")


@pytest.mark.parametrize(
    ("allow_2026", "expected"),
    [
        (True, "Invalid value: '10'. Supported values are: '4', '8', '12', '16', and '20'."),
        (False, "Invalid value: '10'. Supported values are: '4', '8', and '12'."),
    ],
)
def test_bad_seconds(client, video_emulator, allow_2026, expected):
    video_emulator.configure(allow_2026=allow_2026)
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.videos.create(prompt="a shoe", seconds="10")
    assert excinfo.value.message.endswith(expected) and error_of(excinfo)["param"] == "seconds"


def test_unknown_model(client):
    with pytest.raises(openai.BadRequestError, match="Invalid value: 'sora-3'. Supported values are: 'sora-2', "):
        client.videos.create(prompt="a shoe", model="sora-3")


def test_prompt_length_limits(client, video_emulator):
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.videos.create(prompt="x" * 32001)
    assert "string too long. Expected a string with maximum length 32000, but got a string with length 32001" in (
        excinfo.value.message
    )
    assert excinfo.value.code == "string_above_max_length"
    with pytest.raises(openai.BadRequestError, match="string too short"):
        client.videos.create(prompt="")
    response = httpx.post(
        f"{video_emulator.base_url}/videos",
        json={"size": "720x1280"},
        headers={"Authorization": f"Bearer {video_emulator.api_key}"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Missing required parameter: 'prompt'."


def test_reference_image_must_match_the_size(client):
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.videos.create(
            prompt="a shoe", size="720x1280", input_reference=("ref.png", png_bytes((1280, 720)), "image/png")
        )
    assert excinfo.value.message.endswith("Inpaint image must match the requested width and height")
    assert error_of(excinfo)["param"] == "input_reference"


def test_reference_must_be_an_image(client):
    with pytest.raises(openai.BadRequestError, match="Invalid file format for 'input_reference'"):
        client.videos.create(prompt="a shoe", input_reference=("ref.png", b"not an image", "image/png"))


def test_unknown_ids_are_404(client):
    for call in (
        lambda: client.videos.retrieve("video_nope"),
        lambda: client.videos.delete("video_nope"),
        lambda: client.videos.remix("video_nope", prompt="red"),
        lambda: client.videos.download_content("video_nope"),
    ):
        with pytest.raises(openai.NotFoundError, match="Video with id 'video_nope' not found."):
            call()


def test_running_videos_refuse_content_remix_and_delete(client, video_emulator):
    video_emulator.configure(complete_after=30)
    video = client.videos.create(prompt="a slow shoe")
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.videos.download_content(video.id)
    assert "Video is not ready yet" in excinfo.value.message and excinfo.value.code == "video_not_ready"
    with pytest.raises(openai.BadRequestError, match="only completed videos can be remixed"):
        client.videos.remix(video.id, prompt="red")
    with pytest.raises(openai.BadRequestError, match="only completed or failed videos can be deleted"):
        client.videos.delete(video.id)


def test_unknown_variant(client, completed_video):
    with pytest.raises(openai.BadRequestError, match="Invalid value: 'gif'. Supported values are: 'video', "):
        client.videos.download_content(completed_video.id, variant="gif")


def test_missing_and_wrong_keys_are_401(video_emulator):
    response = httpx.get(f"{video_emulator.base_url}/videos")
    assert response.status_code == 401
    assert response.headers["x-request-id"].startswith("req_")
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["message"].startswith("You didn't provide an API key.")
    wrong = OpenAI(base_url=video_emulator.base_url, api_key="sk-wrong-key-123", max_retries=0)
    with pytest.raises(openai.AuthenticationError, match="Incorrect API key provided"):
        wrong.videos.list()


def test_every_error_has_the_envelope_and_a_request_id(video_emulator):
    headers = {"Authorization": f"Bearer {video_emulator.api_key}"}
    base = video_emulator.base_url
    cases = [
        httpx.get(f"{base}/videos/video_x", headers=headers),
        httpx.get(f"{base}/videos", params={"limit": "101"}, headers=headers),
        httpx.get(f"{base}/videos", params={"order": "sideways"}, headers=headers),
        httpx.post(f"{base}/videos", content=b"{not json", headers={**headers, "content-type": "application/json"}),
        httpx.put(f"{base}/videos", headers=headers),
    ]
    assert [r.status_code for r in cases] == [404, 400, 400, 400, 404]
    for response in cases:
        assert response.headers["content-type"] == "application/json"
        assert response.headers["x-request-id"].startswith("req_")
        assert set(response.json()["error"]) == {"message", "type", "param", "code"}
    assert cases[4].json()["error"]["message"] == "Invalid URL (PUT /v1/videos)"
