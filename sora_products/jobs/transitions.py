"""The status changes a video may make, declared once, and the one way rows change: conditional updates.

Every update names the statuses it expects the row to be in; a late or duplicate step finds the
row elsewhere and changes nothing. An update that would make a change the table forbids is a
programming error and raises, so no step can invent an edge.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.db import models, transaction
from django.utils import timezone

from sora_products import budget, live_counter
from sora_products.models import ProductVideo, VideoStatus

S = VideoStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.REQUESTED: frozenset({S.REQUESTED, S.SUBMITTING, S.BLOCKED, S.FAILED, S.CANCELED, S.SUPERSEDED}),
    S.BLOCKED: frozenset({S.BLOCKED, S.REQUESTED, S.SUBMITTING, S.FAILED, S.CANCELED, S.SUPERSEDED}),
    # Claimed: the create may be on its way, so it can no longer be superseded, only followed to its end.
    S.SUBMITTING: frozenset({S.QUEUED, S.REQUESTED, S.BLOCKED, S.FAILED, S.CANCELED, S.NEEDS_REVIEW}),
    S.QUEUED: frozenset({S.QUEUED, S.IN_PROGRESS, S.STORING, S.FAILED, S.CANCELED}),
    S.IN_PROGRESS: frozenset({S.IN_PROGRESS, S.STORING, S.FAILED, S.CANCELED}),
    S.STORING: frozenset({S.READY, S.HELD, S.FAILED, S.CANCELED}),
    # Stored and paid, but the product drifted from its photo: a person shows it anyway (or rejects it, which
    # keeps it held and off the storefront, or remixes it into a new video).
    S.HELD: frozenset({S.READY}),
    S.READY: frozenset(),
    # A person retries; a superseded video whose inputs came back is asked for again.
    S.FAILED: frozenset({S.REQUESTED}),
    S.CANCELED: frozenset({S.REQUESTED}),
    S.NEEDS_REVIEW: frozenset({S.REQUESTED, S.CANCELED}),
    S.SUPERSEDED: frozenset({S.REQUESTED}),
}


class ForbiddenTransition(RuntimeError):
    """A step asked for a status change the table does not allow."""


def sources(target: str) -> list[str]:
    """Every status a row may move to ``target`` from."""
    return [status for status, targets in TRANSITIONS.items() if target in targets]


def check_edges(expect: Iterable[str], target: str) -> list[str]:
    """``expect`` as a list, after checking that each of its statuses may move to ``target``."""
    expect = list(expect)
    forbidden = [status for status in expect if target not in TRANSITIONS[status]]
    if forbidden:
        raise ForbiddenTransition(f"{', '.join(map(str, forbidden))} -> {target} is not an allowed transition.")
    return expect


@dataclass(frozen=True)
class Step:
    """What a step left behind: the row's status and, while a short poll runs, when to look again.

    ``check_in`` None means: nothing to wait for in this task; the row's ``next_check_at`` says when
    the sync pass hands it over again (back-off waits are never slept in a worker).
    """

    status: str
    check_in: float | None = None


def later(seconds: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=seconds)


def move_rows(queryset: models.QuerySet, target: str, *, expect: Iterable[str] | None = None, **fields: object) -> int:
    """Move every row of ``queryset`` that is in ``expect`` (default: any allowed source) to ``target``."""
    expect = check_edges(sources(target) if expect is None else expect, target)
    fields.setdefault("updated_at", timezone.now())
    moved = queryset.filter(status__in=expect).update(status=target, **fields)
    if moved and target == VideoStatus.READY:
        live_counter.changed()
    return moved


def update_row(
    video: ProductVideo, *, expect: Iterable[str] | None = None, where: dict | None = None, **fields: object
) -> bool:
    """Conditional update of one row, applied to ``video`` too when it happened.

    With ``status`` in ``fields`` the change goes through the table; without, ``expect`` (when
    given) only guards that the row is still where the step left it. ``where`` adds conditions,
    such as the claim an answer belongs to.
    """
    qs = ProductVideo.objects.filter(pk=video.pk, **(where or {}))
    if "status" in fields:
        target = fields.pop("status")
        changed = move_rows(qs, target, expect=expect, **fields)
        fields["status"] = target
    else:
        fields.setdefault("updated_at", timezone.now())
        if expect is not None:
            qs = qs.filter(status__in=list(expect))
        changed = qs.update(**fields)
    if changed:
        for name, value in fields.items():
            if not isinstance(value, models.expressions.Combinable):
                setattr(video, name, value)
    return bool(changed)


def fail(
    video: ProductVideo,
    code: str,
    message: str,
    *,
    spend: str,
    expect: Iterable[str] | None = None,
    where: dict | None = None,
) -> Step:
    """End a video without a file, with a reason a person can act on, and settle what it reserved.

    ``spend`` is ``budget.RELEASED`` (the provider never took the job, nothing was spent) or
    ``budget.WRITTEN_OFF`` (it may bill for it). The status change and the ledger commit together.
    """
    from sora_products.signals import video_failed

    with transaction.atomic():
        ended = update_row(
            video,
            expect=expect if expect is not None else sources(VideoStatus.FAILED),
            where=where,
            status=VideoStatus.FAILED,
            error_code=code[:100],
            error_message=message,
            next_check_at=None,
            completed_at=timezone.now(),
        )
        if ended:
            budget.close(video, spend)
            transaction.on_commit(partial(video_failed.send, sender=ProductVideo, video=video), robust=True)
    return Step(VideoStatus.FAILED if ended else ProductVideo.objects.get(pk=video.pk).status)
