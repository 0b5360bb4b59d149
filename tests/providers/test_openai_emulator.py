"""OpenAIVideosProvider against the real emulator over loopback: the protocol end to end, and every
fault the emulator can be told to produce (429 bursts, quota, 500s, dropped answers, cut-off files).
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import pytest
from PIL import Image

from sora_products.providers import (
    AuthError,
    CreateRequest,
    DownloadIncomplete,
    DownloadTooLarge,
    InvalidRequest,
    JobStatus,
    ModerationRefused,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ReferenceUpload,
    RemoteJob,
    TransientError,
)
from sora_products.providers.openai import OpenAIVideosProvider
from sora_products.providers.transfer import CHUNK_SIZE

CREATE_ROUTE = "POST /v1/videos"
MP4_BRANDS = {b"isom", b"iso2", b"iso5", b"mp41", b"mp42", b"avc1"}


def png(width: int, height: int) -> bytes:
    """A small real PNG of the given size (a product-ish block on white)."""
    image = Image.new("RGB", (width, height), "white")
    image.paste((200, 30, 40), (width // 4, height // 3, 3 * width // 4, 2 * height // 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def reference() -> ReferenceUpload:
    return ReferenceUpload(content=png(720, 1280), content_type="image/png", filename="ref.png")


@pytest.fixture
def provider(video_emulator) -> Iterator[OpenAIVideosProvider]:
    with OpenAIVideosProvider.from_options(
        {"BASE_URL": video_emulator.base_url, "API_KEY": video_emulator.api_key, "BACKOFF": 0.01}
    ) as client:
        yield client


def request(prompt: str = "a red leather shoe turning on a white table", **fields) -> CreateRequest:
    values = {"prompt": prompt, "model": "sora-2", "size": "720x1280", "seconds": 4, **fields}
    return CreateRequest(**values)


def wait_until_done(provider: OpenAIVideosProvider, job: RemoteJob, timeout: float = 30.0) -> RemoteJob:
    """Poll the way jobs does, honouring the server's hint."""
    deadline = time.monotonic() + timeout
    while not job.is_terminal:
        assert time.monotonic() < deadline, f"job {job.id} still {job.status} after {timeout} s"
        time.sleep((job.poll_after_ms or 100) / 1000)
        job = provider.retrieve(job.id)
    return job


def route_count(emulator, route: str) -> int:
    return emulator.stats()["requests"].get(route, 0)


class CountingSink:
    """A non-seekable destination that counts bytes and keeps none of them."""

    def __init__(self) -> None:
        self.bytes_written = 0

    def write(self, chunk: bytes) -> int:
        self.bytes_written += len(chunk)
        return len(chunk)


# -- the protocol end to end ------------------------------------------------------------------------


def test_create_retrieve_download_list_remix_delete(provider, video_emulator, reference, tmp_path):
    since = int(time.time())
    sent = request(reference=reference)
    job = provider.create(sent)
    assert job.id.startswith("video_") and job.status in (JobStatus.QUEUED, JobStatus.IN_PROGRESS)
    assert (job.prompt, job.model, job.size, job.seconds) == (sent.prompt, "sora-2", "720x1280", 4)
    assert job.request_id and job.request_id.startswith("req_")

    done = wait_until_done(provider, job)
    assert done.status is JobStatus.COMPLETED and done.progress == 100
    assert done.completed_at and done.expires_at and done.expires_at > done.completed_at
    assert done.poll_after_ms == 50  # the emulator's test setting, from openai-poll-after-ms

    target = tmp_path / "video.mp4"
    with target.open("wb") as dest:
        result = provider.download(job.id, dest)
    head = target.read_bytes()[:12]
    assert head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS
    assert result.bytes_written == target.stat().st_size > 1000
    assert result.content_type == "video/mp4"

    thumbnail = io.BytesIO()
    assert provider.download(job.id, thumbnail, variant="thumbnail").content_type == "image/webp"
    assert thumbnail.getvalue()[8:12] == b"WEBP"

    assert [j.id for j in provider.list_recent()] == [job.id]
    assert [j.id for j in provider.find_created(sent, since=since)] == [job.id]
    assert provider.find_created(request("another prompt"), since=since) == []

    remixed = provider.remix(job.id, "the same shoe, in blue")
    assert remixed.id != job.id and remixed.remixed_from == job.id
    assert (remixed.prompt, remixed.size, remixed.seconds) == ("the same shoe, in blue", "720x1280", 4)

    provider.delete(job.id)
    with pytest.raises(NotFound):
        provider.retrieve(job.id)
    stats = video_emulator.stats()
    assert (stats["creates"], stats["remixes"]) == (1, 1)


def test_create_without_a_reference_is_sent_as_json(provider, video_emulator):
    job = provider.create(request("a white sneaker, studio light", seconds=8, size="1280x720"))
    assert (job.seconds, job.size) == (8, "1280x720")
    assert video_emulator.stats()["creates"] == 1


def test_list_recent_follows_pages_newest_first(provider, video_emulator):
    ids = [provider.create(request(f"shoe number {n}")).id for n in range(3)]
    assert [j.id for j in provider.list_recent(limit=2)] == ids[::-1]
    assert route_count(video_emulator, "GET /v1/videos") == 2
    assert [j.id for j in provider.list_recent(limit=2, max_pages=1)] == ids[:0:-1]


# -- the provider's refusals become typed errors with its own words ---------------------------------


@pytest.mark.parametrize(
    "fields, words",
    [
        ({"size": "640x480"}, "Supported values are"),
        ({"seconds": 10}, "Invalid value: '10'"),
        ({"model": "sora-3"}, "Invalid value: 'sora-3'"),
        ({"model": "sora-2", "size": "1920x1080"}, "1920x1080"),
    ],
)
def test_bad_requests_are_invalid_and_keep_the_provider_message(provider, video_emulator, fields, words):
    with pytest.raises(InvalidRequest) as caught:
        provider.create(request(**fields))
    error = caught.value
    assert words in error.message and words in str(error)
    assert error.status_code == 400 and error.code == "invalid_value" and error.request_id.startswith("req_")
    assert video_emulator.stats()["creates"] == 0


def test_a_reference_of_the_wrong_size_is_invalid(provider):
    wrong = ReferenceUpload(content=png(640, 480), content_type="image/png", filename="ref.png")
    with pytest.raises(InvalidRequest, match="must match the requested width and height"):
        provider.create(request(reference=wrong))


def test_input_moderation_is_a_refusal(provider, video_emulator):
    video_emulator.configure(reject_words=["celebrity"])
    with pytest.raises(ModerationRefused) as caught:
        provider.create(request("a celebrity wearing the shoe"))
    assert caught.value.code == "sentinel_block"


def test_output_moderation_fails_the_job_as_refused(provider):
    job = wait_until_done(provider, provider.create(request("a shoe [moderate]")))
    assert job.status is JobStatus.FAILED and job.is_refused and job.error_code == "moderation_blocked"


def test_deleting_a_running_video_is_refused(provider, video_emulator):
    video_emulator.configure(complete_after=30)
    job = provider.create(request())
    with pytest.raises(InvalidRequest):
        provider.delete(job.id)


def test_a_wrong_key_is_an_auth_error_that_never_shows_the_key(video_emulator):
    key = "sk-wrong-key-that-must-stay-secret-0123456789"
    with OpenAIVideosProvider(base_url=video_emulator.base_url, api_key=key) as provider:
        for call in (lambda: provider.create(request()), lambda: provider.retrieve("video_x"), provider.list_recent):
            with pytest.raises(AuthError) as caught:
                result = call()
                list(result)  # list_recent is lazy
            error = caught.value
            assert error.status_code == 401
            for text in (str(error), repr(error), error.message, repr(provider)):
                assert key not in text
    assert video_emulator.stats()["creates"] == 0


# -- paid calls are sent at most once -----------------------------------------------------------------


def test_a_429_burst_on_create_is_not_retried(provider, video_emulator):
    video_emulator.configure(rate_limit_next=5)
    with pytest.raises(RateLimited) as caught:
        provider.create(request())
    assert caught.value.retry_after == pytest.approx(0.02) and not caught.value.quota
    assert route_count(video_emulator, CREATE_ROUTE) == 1
    assert video_emulator.stats()["creates"] == 0


def test_quota_exhaustion_is_marked_and_not_retried(provider, video_emulator):
    video_emulator.configure(quota_exceeded=True)
    with pytest.raises(RateLimited) as caught:
        provider.create(request())
    assert caught.value.quota and caught.value.code == "insufficient_quota"
    assert "quota" in str(caught.value)
    assert route_count(video_emulator, CREATE_ROUTE) == 1


def test_a_500_on_create_is_an_unknown_outcome_sent_once(provider, video_emulator):
    video_emulator.configure(server_error_creates=3)
    with pytest.raises(OutcomeUnknown) as caught:
        provider.create(request())
    assert caught.value.status_code == 500 and caught.value.request_id
    assert route_count(video_emulator, CREATE_ROUTE) == 1


def test_a_500_on_remix_is_an_unknown_outcome_sent_once(provider, video_emulator):
    job = wait_until_done(provider, provider.create(request()))
    video_emulator.configure(server_error_creates=3)
    with pytest.raises(OutcomeUnknown):
        provider.remix(job.id, "in blue")
    assert route_count(video_emulator, "POST /v1/videos/{id}/remix") == 1


def test_a_dropped_create_answer_is_unknown_and_find_created_finds_exactly_that_job(provider, video_emulator):
    since = int(time.time())
    provider.create(request("an older look-alike", seconds=8))
    video_emulator.configure(drop_create_responses=1)
    sent = request()
    with pytest.raises(OutcomeUnknown):
        provider.create(sent)
    assert route_count(video_emulator, CREATE_ROUTE) == 2
    created = [job for job in video_emulator.jobs() if job.prompt == sent.prompt]
    assert len(created) == 1
    assert [job.id for job in provider.find_created(sent, since=since)] == [created[0].id]


# -- reads are retried ----------------------------------------------------------------------------------


def test_500s_on_retrieve_are_retried_until_it_succeeds(provider, video_emulator):
    job = provider.create(request())
    video_emulator.configure(server_error_next=2)
    assert provider.retrieve(job.id).id == job.id
    assert route_count(video_emulator, "GET /v1/videos/{id}") == 3


def test_a_429_burst_on_retrieve_is_waited_out(provider, video_emulator):
    job = provider.create(request())
    video_emulator.configure(rate_limit_next=2)
    started = time.monotonic()
    assert provider.retrieve(job.id).id == job.id
    assert time.monotonic() - started >= 0.04  # two honoured 20 ms retry-after-ms waits
    assert route_count(video_emulator, "GET /v1/videos/{id}") == 3


def test_retrieve_gives_up_after_the_configured_attempts(provider, video_emulator):
    job = provider.create(request())
    video_emulator.configure(server_error_next=10)
    with pytest.raises(TransientError) as caught:
        provider.retrieve(job.id)
    assert caught.value.status_code == 500
    assert route_count(video_emulator, "GET /v1/videos/{id}") == 3


# -- downloads -----------------------------------------------------------------------------------------


@pytest.fixture
def finished(provider) -> RemoteJob:
    return wait_until_done(provider, provider.create(request()))


def test_a_truncated_download_is_incomplete(provider, video_emulator, finished):
    video_emulator.configure(truncate_downloads=1)
    sink = CountingSink()
    with pytest.raises(DownloadIncomplete, match="ended early"):
        provider.download(finished.id, sink)
    assert 0 < sink.bytes_written
    assert route_count(video_emulator, "GET /v1/videos/{id}/content") == 1


def test_a_truncated_download_into_a_file_is_restarted(provider, video_emulator, finished, tmp_path):
    video_emulator.configure(truncate_downloads=1)
    target = tmp_path / "video.mp4"
    with target.open("w+b") as dest:
        result = provider.download(finished.id, dest)
    assert result.bytes_written == target.stat().st_size
    assert target.read_bytes()[4:8] == b"ftyp"
    assert route_count(video_emulator, "GET /v1/videos/{id}/content") == 2


def test_a_download_over_the_cap_is_refused_without_holding_it(provider, finished):
    full = CountingSink()
    size = provider.download(finished.id, full).bytes_written
    cap = size // 3
    sink = CountingSink()
    with pytest.raises(DownloadTooLarge):
        provider.download(finished.id, sink, max_bytes=cap)
    assert sink.bytes_written <= cap + CHUNK_SIZE


def test_downloading_an_unknown_video_is_not_found(provider):
    with pytest.raises(NotFound):
        provider.download("video_" + "0" * 48, io.BytesIO())
