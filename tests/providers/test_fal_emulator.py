"""FalProvider against the emulator's fal queue over TLS (its own CA): submit, status, result, cancel,
the per-model input shapes, and the faults (422, quota, 500s, dropped answers, cut-off files).
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator

import av
import pytest

from sora_products.providers import (
    AuthError,
    CreateRequest,
    InvalidRequest,
    JobStatus,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ReferenceUpload,
    TransientError,
)
from sora_products.providers.fal import FalProvider
from tests.providers.helpers import jpeg, wait_until_done

VEO = "fal-ai/veo3.1/fast/image-to-video"
KLING = "fal-ai/kling-video/v3/pro/image-to-video"
WAN = "fal-ai/wan/v2.7/image-to-video"



@pytest.fixture(scope="module")
def reference() -> ReferenceUpload:
    return ReferenceUpload(content=jpeg(), content_type="image/jpeg", filename="ref.jpg")


@pytest.fixture
def provider(video_emulator) -> Iterator[FalProvider]:
    assert video_emulator.tls_url, "the session emulator serves the fal queue on its TLS port"
    options = {
        "QUEUE_URL": video_emulator.tls_url,
        "API_KEY": video_emulator.api_key,
        "VERIFY": video_emulator.ca_path,
        "MODEL": VEO,
        "BACKOFF": 0.01,
    }
    with FalProvider.from_options(options) as fal:
        yield fal


def request(model: str = VEO, prompt: str = "an amber vase turning on a white table", **fields) -> CreateRequest:
    return CreateRequest(**{"prompt": prompt, "model": model, "size": "720x1280", "seconds": 4, **fields})



@pytest.mark.parametrize(
    ("model", "size", "seconds", "frame"),
    [(VEO, "720x1280", 4, (720, 1280)), (WAN, "1280x720", 3, (1280, 720)), (KLING, "1080x1920", 5, (1080, 1920))],
    ids=["veo-8s-style", "wan-int-seconds", "kling-start-image"],
)
def test_each_endpoint_gets_its_own_input_shape_and_makes_the_clip(
    provider, video_emulator, tmp_path, model, size, seconds, frame
):
    image = jpeg(*frame)
    ref = ReferenceUpload(content=image, content_type="image/jpeg", filename="ref.jpg")
    created = provider.create(request(model, size=size, seconds=seconds, reference=ref))
    assert created.id.endswith(created.id.rsplit("/requests/", 1)[1]) and "/requests/" in created.id

    done = wait_until_done(provider, created)

    assert done.status == JobStatus.COMPLETED, done.error_message
    path = tmp_path / "clip.mp4"
    with path.open("wb") as handle:
        provider.download(done.id, handle)
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == frame
        assert abs(float(container.duration / av.time_base) - seconds) < 0.5
    assert video_emulator.stats()["creates_by_protocol"] == {"fal": 1}


def test_bad_input_is_an_invalid_request_naming_the_field(provider):
    small = ReferenceUpload(content=jpeg(200, 300), content_type="image/jpeg", filename="small.jpg")
    with pytest.raises(InvalidRequest) as caught:
        provider.create(request(reference=small))  # Veo wants at least 720 px
    assert caught.value.status_code == 422 and "image_url" in str(caught.value).lower()


def test_an_endpoint_missing_from_the_table_is_refused_before_anything_is_sent(provider, reference, video_emulator):
    with pytest.raises(InvalidRequest):
        provider.create(request("fal-ai/unknown/image-to-video", reference=reference))
    assert video_emulator.stats()["creates"] == 0


def test_a_wrong_key_is_an_auth_error(provider, reference, video_emulator):
    video_emulator.configure(api_key="the-right-key")
    with pytest.raises(AuthError):
        provider.create(request(reference=reference))


def test_quota_and_rate_limits_are_told_apart(provider, reference, video_emulator):
    video_emulator.configure(quota_exceeded=True)
    with pytest.raises(RateLimited) as caught:
        provider.create(request(reference=reference))
    assert caught.value.quota
    video_emulator.configure(quota_exceeded=False, rate_limit_creates=1)
    with pytest.raises(RateLimited) as caught:
        provider.create(request(reference=reference))
    assert not caught.value.quota


@pytest.mark.parametrize("fault", ["server_error_creates", "drop_create_responses"])
def test_a_submit_without_a_readable_answer_is_an_unknown_outcome_never_resent(
    provider, reference, video_emulator, fault
):
    video_emulator.configure(**{fault: 1})
    with pytest.raises(OutcomeUnknown):
        provider.create(request(reference=reference))
    assert video_emulator.stats()["requests"]["fal POST /{model_id}"] == 1


def test_a_moderation_failure_is_a_refusal(provider, reference):
    done = wait_until_done(provider, provider.create(request(prompt="a vase [moderate]", reference=reference)))
    assert done.status == JobStatus.FAILED and done.is_refused
    assert "flagged" in (done.error_message or "")


def test_cancelling_a_running_request_ends_it_failed_and_a_finished_one_is_left_alone(provider, reference):
    running = provider.create(request(reference=reference))
    provider.delete(running.id)
    assert wait_until_done(provider, provider.retrieve(running.id)).status == JobStatus.FAILED
    done = wait_until_done(provider, provider.create(request(reference=reference)))
    provider.delete(done.id)  # ALREADY_COMPLETED: nothing to stop, nothing raised
    assert provider.retrieve(done.id).status == JobStatus.COMPLETED


def test_a_cut_off_download_is_restarted(provider, reference, video_emulator):
    done = wait_until_done(provider, provider.create(request(reference=reference)))
    video_emulator.configure(truncate_downloads=1)
    buffer = io.BytesIO()
    result = provider.download(done.id, buffer)
    assert result.bytes_written == len(buffer.getvalue()) and buffer.getvalue()[4:8] == b"ftyp"


def test_the_probe_is_one_read_and_an_untrusted_certificate_is_a_transient_error(provider, video_emulator):
    before = video_emulator.stats()["requests_total"]
    provider.probe()
    assert video_emulator.stats()["requests_total"] == before + 1
    with FalProvider(queue_url=video_emulator.tls_url, api_key="k", read_retries=1) as untrusting:  # system CAs
        with pytest.raises(TransientError):
            untrusting.probe()


def test_a_request_path_that_is_not_one_is_not_found(provider):
    with pytest.raises(NotFound):
        provider.retrieve("not-a-fal-path")


def test_with_webhooks_the_read_after_the_callback_is_the_result_and_gives_the_download_its_file(
    video_emulator, reference
):
    options = {
        "QUEUE_URL": video_emulator.tls_url,
        "API_KEY": video_emulator.api_key,
        "VERIFY": video_emulator.ca_path,
        "WEBHOOKS": True,
        "WEBHOOK_URL": "http://127.0.0.1:9/nobody-listens/",  # the callback itself is tested elsewhere
    }
    with FalProvider.from_options(options) as fal:
        job = fal.create(request(reference=reference))
        assert fal.retrieve(job.id).status in (JobStatus.QUEUED, JobStatus.IN_PROGRESS)  # result first, then status
        deadline = time.monotonic() + 30
        while video_emulator.stats()["jobs"]["completed"] < 1:  # as the callback would say
            assert time.monotonic() < deadline
            time.sleep(0.1)
        before = dict(video_emulator.stats()["requests"])
        done = fal.retrieve(job.id)
        fal.download(done.id, io.BytesIO())
        after = video_emulator.stats()["requests"]
    assert done.status == JobStatus.COMPLETED
    used = {route: n - before.get(route, 0) for route, n in after.items() if n - before.get(route, 0)}
    assert used == {"fal GET /{app}/requests/{id}": 1, "fal GET /files/{request_id}/{name}": 1}, used
