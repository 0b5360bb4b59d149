"""The declared transition table: every allowed edge moves a row, every other edge is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction

from sora_products import budget
from sora_products.jobs.transitions import TRANSITIONS, ForbiddenTransition, fail, move_rows, sources, update_row
from sora_products.models import ProductVideo, Spend, SpendKind, VideoStatus
from tests.factories import make_product
from tests.integration.helpers import assert_ledger_identity

pytestmark = pytest.mark.django_db

ALL = list(VideoStatus.values)
EDGES = [(source, target) for source in ALL for target in ALL]


def video_in(status: str) -> ProductVideo:
    video = ProductVideo.objects.for_product(make_product()).get()
    ProductVideo.objects.filter(pk=video.pk).update(status=status)
    video.refresh_from_db()
    return video


def test_every_status_has_a_row_in_the_table():
    assert set(TRANSITIONS) == set(ALL)
    assert all(set(targets) <= set(ALL) for targets in TRANSITIONS.values())


def test_a_ready_video_is_final_and_only_a_person_or_returning_inputs_reopen_an_ended_one():
    assert TRANSITIONS[VideoStatus.READY] == frozenset()
    for ended in (VideoStatus.FAILED, VideoStatus.CANCELED, VideoStatus.SUPERSEDED):
        assert TRANSITIONS[ended] == {VideoStatus.REQUESTED}
    # Once claimed, a video may have been paid for: it can no longer be superseded.
    for sent in (VideoStatus.SUBMITTING, VideoStatus.QUEUED, VideoStatus.IN_PROGRESS, VideoStatus.STORING):
        assert VideoStatus.SUPERSEDED not in TRANSITIONS[sent]


@pytest.mark.parametrize(("source", "target"), EDGES, ids=[f"{s}->{t}" for s, t in EDGES])
def test_each_edge_moves_the_row_only_when_the_table_allows_it(source, target):
    video = video_in(source)
    if target in TRANSITIONS[source]:
        assert update_row(video, expect=[source], status=target)
        assert ProductVideo.objects.get(pk=video.pk).status == target
        # The default sources of a target are exactly the statuses that may reach it.
        assert source in sources(target)
    else:
        with pytest.raises(ForbiddenTransition):
            update_row(video, expect=[source], status=target)
        assert source not in sources(target)
        # Without naming the source, the row is simply not among those that may move.
        assert not update_row(video, status=target) or target in TRANSITIONS[source]
        assert ProductVideo.objects.get(pk=video.pk).status == source


def test_a_late_step_changes_nothing():
    video = video_in(VideoStatus.READY)
    assert not update_row(video, expect=[VideoStatus.STORING, VideoStatus.QUEUED], status=VideoStatus.FAILED)
    assert move_rows(ProductVideo.objects.filter(pk=video.pk), VideoStatus.CANCELED) == 0
    assert ProductVideo.objects.get(pk=video.pk).status == VideoStatus.READY


def reserve(video: ProductVideo) -> None:
    with transaction.atomic():
        budget.reserve(video, Decimal("0.80"))


@pytest.mark.parametrize("status", sorted(sources(VideoStatus.FAILED)))
@pytest.mark.parametrize("spend", [budget.RELEASED, budget.WRITTEN_OFF])
def test_fail_settles_the_reservation_as_told_and_keeps_the_ledger_true(status, spend):
    video = video_in(status)
    reserve(video)
    step = fail(video, "test", "Failed for the test.", spend=spend)
    assert step.status == VideoStatus.FAILED
    row = Spend.objects.get(video=video)
    assert row.kind == (SpendKind.RELEASED if spend == budget.RELEASED else SpendKind.LOSS)
    assert row.settled_amount == (0 if spend == budget.RELEASED else row.amount)
    assert_ledger_identity()


def test_fail_of_a_video_that_already_ended_leaves_its_ledger_alone():
    video = video_in(VideoStatus.QUEUED)
    reserve(video)
    ProductVideo.objects.filter(pk=video.pk).update(status=VideoStatus.READY)
    assert fail(video, "late", "Too late.", spend=budget.WRITTEN_OFF).status == VideoStatus.READY
    assert Spend.objects.get(video=video).kind == SpendKind.RESERVED


def test_fail_rolls_back_with_its_ledger_when_the_outer_transaction_does():
    video = video_in(VideoStatus.IN_PROGRESS)
    reserve(video)
    with pytest.raises(RuntimeError), transaction.atomic():
        fail(video, "test", "Failed for the test.", spend=budget.WRITTEN_OFF)
        raise RuntimeError("the caller's work failed")
    assert ProductVideo.objects.get(pk=video.pk).status == VideoStatus.IN_PROGRESS
    assert Spend.objects.get(video=video).kind == SpendKind.RESERVED


def test_fail_refuses_an_unknown_spend_outcome():
    video = video_in(VideoStatus.QUEUED)
    with pytest.raises(ValueError, match="spend outcome"):
        fail(video, "test", "x", spend="maybe")
    assert ProductVideo.objects.get(pk=video.pk).status == VideoStatus.QUEUED
