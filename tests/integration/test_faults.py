"""A misbehaving provider (the emulator's faults) ends every video correctly, and none is paid twice."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from django.utils import timezone

from sora_products.models import ProductVideo, ProviderPause, Spend, SpendKind, VideoStatus
from tests.factories import make_product
from tests.integration.helpers import assert_ledger_identity, drive

pytestmark = pytest.mark.django_db


def new_video(**fields) -> ProductVideo:
    return ProductVideo.objects.for_product(make_product(**fields)).get()


def creates(emulator) -> int:
    return emulator.stats()["creates"]


def test_429_bursts_wait_for_retry_after_then_create_once(provider):
    provider.configure(rate_limit_creates=2, retry_after_ms=200)
    video = drive(new_video().pk)
    assert video.status == VideoStatus.READY, video.error_message
    assert creates(provider) == 1
    assert provider.stats()["requests"]["POST /v1/videos"] == 3
    assert video.attempts == 1  # the refused tries were given back
    assert_ledger_identity()


def test_500_on_create_is_reconciled_not_resent_blindly(provider):
    provider.configure(server_error_creates=1)
    video = drive(new_video().pk, timeout=20)
    assert video.status == VideoStatus.READY, video.error_message
    # The 500 created nothing, so after the grace period exactly one real create happened.
    assert creates(provider) == 1
    assert video.attempts == 2
    released = Spend.objects.filter(video=video, kind=SpendKind.RELEASED).count()
    assert (released, Spend.objects.filter(video=video, kind=SpendKind.SETTLED).count()) == (1, 1)
    assert_ledger_identity()


def test_a_dropped_create_response_is_adopted_from_the_list(provider):
    provider.configure(drop_create_responses=1)
    video = drive(new_video().pk)
    assert video.status == VideoStatus.READY, video.error_message
    assert creates(provider) == 1 and video.attempts == 1
    assert video.remote_id == provider.jobs()[0].id
    assert_ledger_identity()


def test_a_truncated_download_is_fetched_again_and_stored_whole(provider):
    provider.configure(truncate_downloads=1)
    video = drive(new_video().pk)
    assert video.status == VideoStatus.READY, video.error_message
    stored = hashlib.sha256(video.video_file.read()).hexdigest()
    response = httpx.get(
        f"{provider.base_url}/videos/{video.remote_id}/content",
        headers={"Authorization": f"Bearer {provider.api_key}"},
    )
    original = hashlib.sha256(response.content).hexdigest()
    assert stored == original  # byte for byte: never re-encoded
    assert creates(provider) == 1


def test_a_moderation_refusal_after_acceptance_is_explained_and_written_off(provider):
    video = drive(new_video(description="[moderate] please").pk)
    assert (video.status, video.error_code) == (VideoStatus.FAILED, "moderation_blocked")
    assert "refused" in video.error_message and "another photo" in video.error_message
    assert Spend.objects.get(video=video).kind == SpendKind.LOSS
    assert creates(provider) == 1
    assert_ledger_identity()


def test_an_input_refusal_fails_at_once_and_costs_nothing(provider):
    provider.configure(reject_words=["forbidden"])
    video = drive(new_video(description="forbidden words").pk)
    assert video.status == VideoStatus.FAILED and "refused" in video.error_message
    assert Spend.objects.get(video=video).kind == SpendKind.RELEASED
    assert creates(provider) == 0


def test_a_generation_failure_keeps_the_providers_reason(provider):
    provider.configure(failure_rate=1.0)
    video = drive(new_video().pk)
    assert video.status == VideoStatus.FAILED and video.error_message
    assert creates(provider) == 1


def test_a_quota_429_pauses_all_submissions_and_says_so(provider):
    provider.configure(quota_exceeded=True)
    first, second = new_video(), new_video()
    video = drive(first.pk)
    assert video.status == VideoStatus.BLOCKED
    assert "quota or spend limit" in video.error_message
    assert ProviderPause.objects.filter(provider="default", paused_until__gt=timezone.now()).exists()
    requests_before = provider.stats()["requests"].get("POST /v1/videos", 0)
    assert drive(second.pk).status == VideoStatus.BLOCKED
    assert provider.stats()["requests"].get("POST /v1/videos", 0) == requests_before  # paused: not even asked
    assert creates(provider) == 0
    assert_ledger_identity()


def test_a_download_over_the_cap_is_refused(provider, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "MAX_DOWNLOAD_BYTES": 10_000}
    video = drive(new_video().pk)
    assert (video.status, video.error_code) == (VideoStatus.FAILED, "too_large")
    assert not video.video_file


def test_a_result_that_expired_before_it_was_stored_fails_with_a_reason(provider):
    provider.configure(expires_after=0)
    video = drive(new_video().pk)
    assert (video.status, video.error_code) == (VideoStatus.FAILED, "expired")
