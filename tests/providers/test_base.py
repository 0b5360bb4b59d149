"""The provider seam: dataclasses, error sentences, pickling, find_created and build_provider."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any

import pytest

from sora_products import providers
from sora_products.providers import (
    CreateRequest,
    JobStatus,
    ModelCapabilities,
    OutcomeUnknown,
    ProviderCapabilities,
    RateLimited,
    ReferenceUpload,
    RemoteJob,
    VideoProvider,
    build_provider,
)
from sora_products.providers.openai import OpenAIVideosProvider


def job(job_id: str, created_at: int | None, **overrides: Any) -> RemoteJob:
    fields: dict[str, Any] = {
        "id": job_id,
        "status": JobStatus.QUEUED,
        "progress": 0,
        "model": "sora-2",
        "size": "720x1280",
        "seconds": 8,
        "prompt": "a red shoe",
        "created_at": created_at,
        "completed_at": None,
        "expires_at": None,
        "remixed_from": None,
        "error_code": None,
        "error_message": None,
    }
    fields.update(overrides)
    return RemoteJob(**fields)


class ListingProvider(VideoProvider):
    """A provider with nothing but a canned job list, to test the base class's find_created."""

    name = "listing"

    def __init__(self, jobs: list[RemoteJob], list_jobs: bool = True) -> None:
        self.jobs = jobs
        self.list_jobs = list_jobs
        self.listed = 0

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> ListingProvider:
        return cls(options.get("JOBS", []))

    def capabilities(self) -> ProviderCapabilities:
        return ProviderCapabilities(models={}, webhooks=False, list_jobs=self.list_jobs, cancel=False)

    def list_recent(self, *, limit: int = 100, max_pages: int = 5) -> Iterator[RemoteJob]:
        for item in self.jobs:
            self.listed += 1
            yield item

    create = retrieve = remix = delete = download = None  # type: ignore[assignment]


ListingProvider.__abstractmethods__ = frozenset()

REQUEST = CreateRequest(prompt="a red shoe", model="sora-2", size="720x1280", seconds=8)


def test_job_status_values_are_the_wire_words():
    assert [s.value for s in JobStatus] == ["queued", "in_progress", "completed", "failed"]
    assert JobStatus("completed") is JobStatus.COMPLETED
    assert JobStatus.FAILED == "failed"


def test_remote_job_terminal_and_refused():
    assert not job("a", 1).is_terminal
    assert job("a", 1, status=JobStatus.COMPLETED).is_terminal
    failed = job("a", 1, status=JobStatus.FAILED, error_code="moderation_blocked")
    assert failed.is_terminal and failed.is_refused
    assert not job("a", 1, status=JobStatus.FAILED, error_code="internal_error").is_refused


def test_reference_repr_does_not_dump_the_image():
    ref = ReferenceUpload(content=b"\x89PNG" + b"\0" * 10_000, content_type="image/png", filename="ref.png")
    assert "10004 bytes" in repr(ref) and "\\x00" not in repr(ref)


def test_find_created_matches_fields_and_stops_at_the_cutoff():
    jobs = [
        job("newest_other_prompt", 1000, prompt="a blue shoe"),
        job("match_new", 990),
        job("other_size", 985, size="1280x720"),
        job("other_seconds", 984, seconds=4),
        job("other_model", 983, model="sora-2-pro"),
        job("match_in_skew", 890),
        job("too_old", 870),
        job("never_read", 860),
    ]
    provider = ListingProvider(jobs)
    found = provider.find_created(REQUEST, since=1000, skew=120)
    assert [j.id for j in found] == ["match_new", "match_in_skew"]
    assert provider.listed == 7  # stopped at the first job older than since - skew


def test_find_created_refuses_to_guess_without_a_list_endpoint():
    with pytest.raises(NotImplementedError):
        ListingProvider([job("a", 1)], list_jobs=False).find_created(REQUEST, since=0)


def test_errors_are_sentences_with_ids_and_keep_the_provider_message():
    error = RateLimited(
        "You exceeded your current quota, please check your plan and billing details.",
        quota=True,
        code="insufficient_quota",
        status_code=429,
        request_id="req_123",
    )
    text = str(error)
    assert text.startswith("The video provider account is out of quota")
    assert "You exceeded your current quota" in text and "req_123" in text and "HTTP 429" in text
    assert error.message.startswith("You exceeded")
    assert "req_123" in repr(error)


def test_errors_survive_pickling_with_their_fields():
    error = RateLimited("slow down", quota=False, code="rate_limit_exceeded", status_code=429, retry_after=1.5)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is RateLimited
    assert (copy.message, copy.code, copy.status_code, copy.retry_after, copy.quota) == (
        "slow down",
        "rate_limit_exceeded",
        429,
        1.5,
        False,
    )
    assert str(copy) == str(error)
    unknown = pickle.loads(pickle.dumps(OutcomeUnknown("lost", request_id="req_9")))
    assert isinstance(unknown, providers.ProviderError) and unknown.request_id == "req_9"


def test_error_hierarchy():
    assert issubclass(providers.DownloadIncomplete, providers.TransientError)
    for name in (
        "TransientError",
        "RateLimited",
        "ModerationRefused",
        "InvalidRequest",
        "AuthError",
        "NotFound",
        "OutcomeUnknown",
        "DownloadTooLarge",
        "BadResponse",
    ):
        assert issubclass(getattr(providers, name), providers.ProviderError)


def test_build_provider_defaults_to_the_openai_protocol_and_ignores_app_keys():
    provider = build_provider(
        {
            "BASE_URL": "http://127.0.0.1:9/v1",
            "API_KEY": "k",
            "MODEL": "sora-2",
            "PRICES": {},
            "EMULATOR": True,
        }
    )
    assert isinstance(provider, OpenAIVideosProvider)
    provider.close()


def test_build_provider_imports_any_backend():
    provider = build_provider({"BACKEND": "tests.providers.test_base.ListingProvider", "JOBS": [job("a", 1)]})
    assert isinstance(provider, ListingProvider) and provider.jobs[0].id == "a"


@pytest.mark.parametrize("backend", ["nope.Missing", "sora_products.providers.base.Nope", "json.dumps", "x"])
def test_build_provider_says_which_backend_is_wrong(backend):
    with pytest.raises(ValueError, match="BACKEND"):
        build_provider({"BACKEND": backend})


def test_capabilities_merge_model_overrides():
    provider = OpenAIVideosProvider.from_options(
        {
            "BASE_URL": "http://127.0.0.1:9/v1",
            "WEBHOOKS": True,
            "MODELS": {
                "seedance-1-pro": {"sizes": ["1280x720", "720x1280"], "seconds": [5, 10]},
                "sora-2": {"seconds": ["4", "8"]},
                "sora-2-pro": None,
            },
        }
    )
    caps = provider.capabilities()
    assert caps.webhooks and caps.list_jobs and not caps.cancel
    assert set(caps.models) == {"sora-2", "seedance-1-pro"}
    assert caps.models["seedance-1-pro"] == ModelCapabilities(
        sizes=frozenset({"1280x720", "720x1280"}), seconds=frozenset({5, 10}), remix=False, audio=False
    )
    assert caps.models["sora-2"].seconds == frozenset({4, 8})
    assert caps.models["sora-2"].sizes == frozenset({"720x1280", "1280x720"})


def test_default_capabilities_follow_the_protocol():
    caps = OpenAIVideosProvider(base_url="http://127.0.0.1:9/v1").capabilities()
    assert caps.models["sora-2"].sizes == frozenset({"720x1280", "1280x720"})
    assert {"1920x1080", "1080x1920", "1024x1792", "1792x1024"} < caps.models["sora-2-pro"].sizes
    assert caps.models["sora-2-pro"].seconds == frozenset({4, 8, 12, 16, 20})
    assert not caps.webhooks


@pytest.mark.parametrize(
    "options, match",
    [
        ({}, "BASE_URL"),
        ({"BASE_URL": "http://x/v1", "MODELS": {"new": {"sizes": ["1x1"]}}}, "sizes' and 'seconds"),
        (
            {"BASE_URL": "http://x/v1", "MODELS": {"new": {"sizes": ["1x1"], "seconds": ["long"]}}},
            "whole numbers",
        ),
        ({"BASE_URL": "http://x/v1", "TIMEOUTS": {"total": 5}}, "unknown keys"),
        ({"BASE_URL": "http://x/v1", "TIMEOUTS": {"read": 0}}, "positive"),
    ],
)
def test_bad_options_are_explained(options, match):
    with pytest.raises(ValueError, match=match):
        OpenAIVideosProvider.from_options(options)


def test_from_options_reads_timeouts_and_retry_settings():
    provider = OpenAIVideosProvider.from_options(
        {
            "BASE_URL": "http://x/v1/",
            "TIMEOUTS": {"connect": 1, "create": 2, "read": 3, "download": 4},
            "READ_RETRIES": 5,
            "BACKOFF": 0.1,
        }
    )
    assert provider.base_url == "http://x/v1"
    assert (provider.timeouts.connect, provider.timeouts.create, provider.timeouts.read) == (1, 2, 3)
    assert provider.retry_policy.attempts == 5 and provider.retry_policy.backoff == 0.1
