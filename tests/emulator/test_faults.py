"""Faults on demand, each observed the way a client would meet it."""

from __future__ import annotations

import time

import httpx
import openai
import pytest
from openai import OpenAI

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def sdk(emulator, retries: int) -> OpenAI:
    return OpenAI(base_url=emulator.base_url, api_key=emulator.api_key, max_retries=retries)


def auth(emulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {emulator.api_key}"}


def test_dropped_create_response_still_creates_the_job(client, video_emulator):
    video_emulator.configure(drop_create_responses=1, failure_rate=1.0)
    with pytest.raises(openai.APIConnectionError):
        client.videos.create(prompt="a lost shoe")

    listed = client.videos.list()
    assert [v.prompt for v in listed.data] == ["a lost shoe"]
    stats = video_emulator.stats()
    assert stats["creates"] == 1 and stats["creates_by_prompt"] == {"a lost shoe": 1}
    assert stats["responses"]["0"] == 1  # answered with nothing


def test_sdk_retry_after_a_dropped_create_pays_twice(video_emulator):
    video_emulator.configure(drop_create_responses=1, failure_rate=1.0)
    video = sdk(video_emulator, retries=2).videos.create(prompt="a shoe bought twice")
    stats = video_emulator.stats()
    assert stats["creates"] == 2 and stats["requests"]["POST /v1/videos"] == 2
    assert video.id == stats["generations"][1]["id"]  # the first job is orphaned but billed


def test_truncated_download_announces_the_full_length(client, completed_video, video_emulator):
    full = client.videos.download_content(completed_video.id).read()
    video_emulator.configure(truncate_downloads=1)
    url = f"{video_emulator.base_url}/videos/{completed_video.id}/content"
    received = bytearray()
    with pytest.raises(httpx.RemoteProtocolError):
        with httpx.stream("GET", url, headers=auth(video_emulator)) as response:
            assert int(response.headers["content-length"]) == len(full)
            for chunk in response.iter_bytes():
                received += chunk
    assert 0 < len(received) < len(full)
    assert client.videos.download_content(completed_video.id).read() == full  # only the next N are cut


def test_truncated_download_through_the_sdk(client, completed_video, video_emulator):
    video_emulator.configure(truncate_downloads=1)
    with pytest.raises(openai.APIConnectionError):
        client.videos.download_content(completed_video.id).read()


def test_rate_limit_burst_with_retry_after_ms(video_emulator):
    video_emulator.configure(rate_limit_next=2, retry_after_ms=30)
    response = httpx.get(f"{video_emulator.base_url}/videos", headers=auth(video_emulator))
    assert response.status_code == 429 and response.headers["retry-after-ms"] == "30"
    assert response.json()["error"]["code"] == "rate_limit_exceeded"

    page = sdk(video_emulator, retries=2).videos.list()  # one more 429, then the SDK's retry succeeds
    assert page.data == []
    assert video_emulator.stats()["requests"]["GET /v1/videos"] == 3
    assert video_emulator.stats()["responses"]["429"] == 2


def test_rate_limited_creates_only_hit_creates(client, video_emulator):
    video_emulator.configure(rate_limit_creates=1, failure_rate=1.0)
    assert client.videos.list().data == []
    with pytest.raises(openai.RateLimitError) as excinfo:
        client.videos.create(prompt="a shoe")
    assert excinfo.value.code == "rate_limit_exceeded"
    assert client.videos.create(prompt="a shoe").status == "queued"
    stats = video_emulator.stats()
    assert stats["creates"] == 1 and len(stats["create_times"]) == 1


def test_quota_exceeded_is_not_retried(video_emulator):
    video_emulator.configure(quota_exceeded=True)
    with pytest.raises(openai.RateLimitError) as excinfo:
        sdk(video_emulator, retries=2).videos.create(prompt="a shoe")
    assert excinfo.value.code == "insufficient_quota"
    assert excinfo.value.response.headers["x-should-retry"] == "false"
    assert video_emulator.stats()["requests"]["POST /v1/videos"] == 1  # the SDK obeyed x-should-retry
    assert video_emulator.stats()["creates"] == 0


def test_server_errors_next_and_rate(video_emulator):
    video_emulator.configure(server_error_next=1)
    with pytest.raises(openai.InternalServerError) as excinfo:
        sdk(video_emulator, retries=0).videos.list()
    assert excinfo.value.body["type"] == "server_error"
    assert sdk(video_emulator, retries=0).videos.list().data == []

    video_emulator.configure(server_error_rate=1.0)
    with pytest.raises(openai.InternalServerError):
        sdk(video_emulator, retries=1).videos.list()
    assert video_emulator.stats()["responses"]["500"] == 3


def test_moderation_word_fails_the_job_later(client, video_emulator):
    video = client.videos.create(prompt="a shoe with a famous logo [moderate]")
    assert video.status == "queued"
    video = client.videos.poll(video.id)
    assert video.status == "failed"
    assert video.error.code == "moderation_blocked"
    assert video.error.message == "Your request was blocked by our moderation system."
    assert video.completed_at is not None and video.expires_at is None

    video_emulator.configure(moderation_words=["celebrity"])
    assert client.videos.poll(client.videos.create(prompt="A Celebrity in a hat").id).status == "failed"


def test_reject_word_is_refused_at_once(client, video_emulator):
    video_emulator.configure(reject_words=["weapon"])
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.videos.create(prompt="a toy weapon")
    assert excinfo.value.code == "sentinel_block"
    assert video_emulator.stats()["creates"] == 0


def test_failure_rate_is_seedable(client, video_emulator):
    def pattern() -> list[bool]:
        video_emulator.configure(failure_rate=0.5, seed=7, complete_after=30)
        for n in range(12):
            client.videos.create(prompt=f"shoe {n}")
        return [job.planned_error is not None for job in video_emulator.jobs()]

    first = pattern()
    video_emulator.reset()
    assert pattern() == first and 0 < sum(first) < 12
    failed = next(job for job in video_emulator.jobs() if job.planned_error)
    assert failed.planned_error["code"] == "video_generation_failed"


def test_failed_job_reports_a_generic_error(client, video_emulator):
    video_emulator.configure(failure_rate=1.0)
    video = client.videos.poll(client.videos.create(prompt="a doomed shoe").id)
    assert video.status == "failed" and video.error.code == "video_generation_failed"
    assert client.videos.delete(video.id).deleted is True


def test_stats_count_creates_per_prompt_with_timestamps(client, video_emulator):
    video_emulator.configure(failure_rate=1.0)
    before = time.time()
    client.videos.create(prompt="a")
    client.videos.create(prompt="a")
    client.videos.create(prompt="b")
    client.videos.retrieve(video_emulator.jobs()[0].id)
    stats = video_emulator.stats()
    assert stats["creates"] == 3 and stats["creates_by_prompt"] == {"a": 2, "b": 1}
    assert before <= stats["create_times"][0] <= stats["create_times"][2] <= time.time()
    assert stats["requests"] == {"POST /v1/videos": 3, "GET /v1/videos/{id}": 1}
    video_emulator.reset()
    assert video_emulator.stats()["creates"] == 0 and video_emulator.jobs() == []


def test_control_endpoints_need_no_key(video_emulator):
    url = video_emulator.url
    response = httpx.post(f"{url}/_emulator/config", json={"rate_limit_next": 1, "complete_after": 0.2})
    assert response.status_code == 200 and response.json()["rate_limit_next"] == 1
    assert video_emulator.config.complete_after == 0.2
    assert httpx.get(f"{video_emulator.base_url}/videos", headers=auth(video_emulator)).status_code == 429
    bad = httpx.post(f"{url}/_emulator/config", json={"no_such_fault": 1})
    assert bad.status_code == 400 and "no_such_fault" in bad.json()["error"]["message"]
    frozen = httpx.post(f"{url}/_emulator/config", json={"port": 1})
    assert frozen.status_code == 400
    stats = httpx.get(f"{url}/_emulator/stats").json()
    assert stats["requests"]["GET /v1/videos"] == 1 and stats["jobs"]["total"] == 0
    assert httpx.post(f"{url}/_emulator/reset").json() == {"ok": True}
    assert video_emulator.config.complete_after == 0.5  # reset restores the start-up settings
