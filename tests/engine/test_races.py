"""Late and concurrent steps: a stale view of a row never ends, pays or adopts for a newer state of it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from sora_products import budget, jobs, tryon
from sora_products.jobs import breaker
from sora_products.jobs.submit import adopt, submit
from sora_products.models import ProductVideo, Spend, SpendKind, VideoStatus
from sora_products.providers import JobStatus, RemoteJob
from sora_products.specs import TryOnProfile
from tests.factories import make_product
from tests.integration.helpers import assert_ledger_identity
from tests.storefront.helpers import dress

pytestmark = pytest.mark.django_db


def claimed(video: ProductVideo) -> ProductVideo:
    """The row as a worker's claim leaves it: submitting, with its reservation open."""
    with transaction.atomic():
        budget.reserve(video, Decimal("0.80"))
        ProductVideo.objects.filter(pk=video.pk).update(
            status=VideoStatus.SUBMITTING, attempts=1, submit_started_at=timezone.now()
        )
    video.refresh_from_db()
    return video


def job(remote_id: str) -> RemoteJob:
    return RemoteJob(
        id=remote_id, status=JobStatus.QUEUED, progress=0, model="sora-2", size="720x1280", seconds=8, prompt="",
        created_at=None, completed_at=None, expires_at=None, remixed_from=None, error_code=None, error_message=None,
    )


def test_a_change_of_inputs_leaves_a_claimed_video_and_its_reservation_alone():
    product = make_product(name="Claimed")
    video = claimed(ProductVideo.objects.for_product(product).get())
    product.name = "Claimed, renamed"
    product.save()
    video.refresh_from_db()
    assert video.status == VideoStatus.SUBMITTING and video.outdated
    assert Spend.objects.get(video=video).kind == SpendKind.RESERVED


def test_a_stale_submit_whose_photo_fails_cannot_fail_a_video_another_worker_sent():
    product = make_product(name="Sent elsewhere")
    stale = ProductVideo.objects.for_product(product).get()  # this worker read it as requested
    sent = claimed(ProductVideo.objects.get(pk=stale.pk))
    ProductVideo.objects.filter(pk=sent.pk).update(status=VideoStatus.QUEUED, remote_id="video_other_worker")
    type(product).objects.filter(pk=product.pk).update(image="")  # the photo is gone by now
    assert submit(stale).status == VideoStatus.QUEUED
    row = ProductVideo.objects.get(pk=stale.pk)
    assert (row.status, row.remote_id) == (VideoStatus.QUEUED, "video_other_worker")
    assert Spend.objects.get(video=row).kind == SpendKind.RESERVED
    assert_ledger_identity()


def test_a_provider_marked_down_while_a_worker_prepared_gets_no_create(provider, monkeypatch):
    video = ProductVideo.objects.for_product(make_product(name="Raced")).get()
    for _ in range(3):
        breaker.record_failure("default", RuntimeError("connection refused"))
    # This worker looked before the others marked it down (the window the claim's own check closes).
    monkeypatch.setattr(breaker, "blocked_until", lambda provider: None)
    step = submit(video)
    video.refresh_from_db()
    assert (video.status, video.error_code, step.check_in) == (VideoStatus.REQUESTED, "provider_unreachable", None)
    assert provider.stats()["creates"] == 0
    assert not Spend.objects.filter(kind=SpendKind.RESERVED).exists()


def test_a_late_answer_of_a_canceled_attempt_is_not_adopted_by_the_next_one(provider):
    video = ProductVideo.objects.for_product(make_product(name="Canceled and retried")).get()
    first = claimed(video)
    stale = ProductVideo.objects.get(pk=first.pk)
    jobs.cancel(first)
    jobs.retry(first)
    claimed(ProductVideo.objects.get(pk=first.pk))  # the new attempt's claim
    adopt(stale, job("video_of_the_canceled_attempt"))
    row = ProductVideo.objects.get(pk=first.pk)
    assert row.status == VideoStatus.SUBMITTING and row.remote_id is None
    assert Spend.objects.filter(video=row, kind=SpendKind.RESERVED).count() == 1
    assert_ledger_identity()


@pytest.fixture
def try_on_enabled(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "TRY_ON": {"ENABLED": True}}


def test_a_try_on_bucket_dropped_by_a_change_is_asked_for_again_when_the_product_is_back(try_on_enabled):
    product = dress(name="Wrap dress")
    profile = TryOnProfile.from_choices(160, "M", "studio")
    first = tryon.request_try_on(product, profile, session_key="a").video
    product.name = "Wrap dress, long"
    product.save()
    assert ProductVideo.objects.get(pk=first.pk).status == VideoStatus.SUPERSEDED
    product.name = "Wrap dress"
    product.save()
    again = tryon.request_try_on(product, profile, session_key="b").video
    assert again.pk == first.pk
    row = ProductVideo.objects.get(pk=first.pk)
    assert (row.status, row.outdated) == (VideoStatus.REQUESTED, False)
