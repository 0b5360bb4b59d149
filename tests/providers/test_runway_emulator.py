"""RunwayProvider against the emulator's Runway protocol over loopback: a task end to end, its charge,
cancel and delete, and the faults a live provider produces (429, quota, 500s, dropped answers, cut-off files).
"""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator
from decimal import Decimal

import av
import httpx
import pytest

from sora_products.providers import (
    AuthError,
    CreateRequest,
    DownloadIncomplete,
    InvalidRequest,
    JobStatus,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ReferenceUpload,
    TransientError,
)
from sora_products.providers.runway import RunwayProvider
from tests.providers.helpers import jpeg, wait_until_done

CREATE_ROUTE = "POST /v1/image_to_video"



@pytest.fixture(scope="module")
def reference() -> ReferenceUpload:
    return ReferenceUpload(content=jpeg(), content_type="image/jpeg", filename="ref.jpg")


@pytest.fixture
def seen_headers() -> list[httpx.Request]:
    return []


@pytest.fixture
def provider(video_emulator, seen_headers) -> Iterator[RunwayProvider]:
    client = httpx.Client(event_hooks={"request": [seen_headers.append]})
    with RunwayProvider.from_options(
        {"BASE_URL": video_emulator.url, "API_KEY": video_emulator.api_key, "BACKOFF": 0.01, "CLIENT": client}
    ) as runway:
        yield runway
    client.close()


def request(prompt: str = "a blue tote bag turning on a white table", **fields) -> CreateRequest:
    values = {"prompt": prompt, "model": "gen4.5", "size": "720x1280", "seconds": 4, **fields}
    return CreateRequest(**values)



def test_a_task_from_a_photo_ends_in_a_playable_clip_and_its_charge(provider, reference, tmp_path, video_emulator):
    created = provider.create(request(reference=reference))
    assert (created.status, created.size, created.seconds) == (JobStatus.QUEUED, "720x1280", 4)

    running = provider.retrieve(created.id)
    assert running.estimated_cost is not None and running.estimated_cost > 0
    done = wait_until_done(provider, running)

    assert done.status == JobStatus.COMPLETED and done.progress == 100
    assert done.cost == running.estimated_cost  # the emulator charges what it estimated
    path = tmp_path / "clip.mp4"
    with path.open("wb") as handle:
        result = provider.download(done.id, handle)
    assert result.bytes_written == path.stat().st_size > 0
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (720, 1280)
        assert abs(float(container.duration / av.time_base) - 4) < 0.5
    assert video_emulator.stats()["creates_by_protocol"] == {"runway": 1}


def test_the_key_goes_to_runway_but_never_to_the_output_link(provider, reference, seen_headers, video_emulator):
    done = wait_until_done(provider, provider.create(request(reference=reference)))
    provider.download(done.id, io.BytesIO())
    api = [r for r in seen_headers if r.url.path.startswith("/v1/")]
    files = [r for r in seen_headers if not r.url.path.startswith("/v1/")]
    assert api and all(r.headers["authorization"] == f"Bearer {video_emulator.api_key}" for r in api)
    assert all(r.headers["x-runway-version"] == "2024-11-06" for r in api)
    assert files and not any("authorization" in r.headers for r in files)


def test_a_ratio_the_model_lacks_is_an_invalid_request_naming_it(provider, reference):
    with pytest.raises(InvalidRequest) as caught:
        provider.create(request(size="1080x1920", reference=reference))
    assert "ratio" in str(caught.value).lower()


def test_no_photo_is_refused_before_anything_is_sent(provider, video_emulator):
    with pytest.raises(InvalidRequest):
        provider.create(request())
    assert video_emulator.stats()["requests"].get(CREATE_ROUTE, 0) == 0


def test_a_wrong_key_is_an_auth_error(video_emulator, reference):
    video_emulator.configure(api_key="the-right-key")
    with RunwayProvider(base_url=video_emulator.url, api_key="a-wrong-key") as runway:
        with pytest.raises(AuthError):
            runway.create(request(reference=reference))


def test_rate_limits_and_quota_are_told_apart(provider, reference, video_emulator):
    video_emulator.configure(rate_limit_creates=1, retry_after_ms=1500)
    with pytest.raises(RateLimited) as caught:
        provider.create(request(reference=reference))
    assert not caught.value.quota and caught.value.retry_after == pytest.approx(1.5, abs=0.6)
    video_emulator.configure(quota_exceeded=True)
    with pytest.raises(RateLimited) as caught:
        provider.create(request(reference=reference))
    assert caught.value.quota
    assert video_emulator.stats()["creates"] == 0


@pytest.mark.parametrize("fault", ["server_error_creates", "drop_create_responses"])
def test_a_create_without_a_readable_answer_is_an_unknown_outcome_never_resent(
    provider, reference, video_emulator, fault
):
    video_emulator.configure(**{fault: 1})
    with pytest.raises(OutcomeUnknown):
        provider.create(request(reference=reference))
    assert video_emulator.stats()["requests"][CREATE_ROUTE] == 1
    assert not provider.capabilities().list_jobs  # so the engine parks the video for a person


def test_reads_are_retried_through_a_passing_server_error(provider, reference, video_emulator):
    job = provider.create(request(reference=reference))
    video_emulator.configure(server_error_next=1)
    assert provider.retrieve(job.id).id == job.id


def test_deleting_a_running_task_cancels_it_and_a_finished_one_is_gone(provider, reference):
    running = provider.create(request(reference=reference))
    provider.delete(running.id)
    cancelled = provider.retrieve(running.id)
    assert (cancelled.status, cancelled.error_code, cancelled.cost) == (JobStatus.FAILED, "cancelled", Decimal("0"))

    done = wait_until_done(provider, provider.create(request(reference=reference)))
    provider.delete(done.id)
    with pytest.raises(NotFound):
        provider.retrieve(done.id)


def test_a_moderation_failure_is_a_refusal(provider, reference):
    done = wait_until_done(provider, provider.create(request("a shoe [moderate]", reference=reference)))
    assert done.status == JobStatus.FAILED and done.is_refused
    assert "SAFETY" in (done.error_message or "")


def test_a_cut_off_download_restarts_from_a_fresh_link(provider, reference, video_emulator):
    done = wait_until_done(provider, provider.create(request(reference=reference)))
    video_emulator.configure(truncate_downloads=1)
    buffer = io.BytesIO()
    result = provider.download(done.id, buffer)
    assert result.bytes_written == len(buffer.getvalue()) and buffer.getvalue()[4:8] == b"ftyp"
    video_emulator.configure(truncate_downloads=1)

    class OneWay(io.RawIOBase):  # a destination that cannot be rewound: the partial file must be discarded
        def writable(self) -> bool:
            return True

        def write(self, data) -> int:
            return len(data)

    with pytest.raises(DownloadIncomplete):
        provider.download(done.id, OneWay())


def test_the_probe_is_one_read_and_tells_up_from_down(provider, video_emulator):
    before = video_emulator.stats()["requests_total"]
    provider.probe()
    assert video_emulator.stats()["requests_total"] == before + 1
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with RunwayProvider(base_url=f"http://127.0.0.1:{port}", api_key="rk_x") as down, pytest.raises(TransientError):
        down.probe()


def test_a_remix_is_a_video_to_video_task_from_the_stored_file(provider, reference, video_emulator):
    done = wait_until_done(provider, provider.create(request(reference=reference)))
    # The emulator's own output link stands in for the shop's storage URL of the stored video.
    source_url = provider._task(done.id)[0]["output"][0]
    remixed = wait_until_done(provider, provider.remix(done.id, "make the bag red", source_url=source_url))
    assert remixed.status == JobStatus.COMPLETED, remixed.error_message
    assert remixed.id != done.id


def test_the_download_after_the_last_poll_uses_the_link_that_poll_gave(provider, reference, seen_headers):
    done = wait_until_done(provider, provider.create(request(reference=reference)))
    seen_headers.clear()
    provider.download(done.id, io.BytesIO())
    assert [r.url.path.startswith("/v1/") for r in seen_headers] == [False]  # the file only
    seen_headers.clear()
    provider.download(done.id, io.BytesIO())  # later: the task is read again for a fresh link
    assert [r.url.path.startswith("/v1/") for r in seen_headers] == [True, False]
