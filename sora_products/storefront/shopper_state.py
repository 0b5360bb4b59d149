"""What a shopper may know about a video: a state, a kind sentence and, once live, its URLs.

Shoppers never see the provider's error text or anything from settings; every message here
is one of a fixed set of sentences chosen by the row's status and error code.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass, replace
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sora_products.jobs import breaker
from sora_products.models import ProductVideo, VideoStatus

# Seconds a client should wait before asking again, by status; the client backs off on top.
POLL_AFTER = {
    VideoStatus.REQUESTED: 2.0,
    VideoStatus.SUBMITTING: 2.0,
    VideoStatus.QUEUED: 2.0,
    VideoStatus.IN_PROGRESS: 1.5,
    VideoStatus.STORING: 1.0,
}

# While the provider is down, a page that stays open asks rarely.
DELAYED_POLL_AFTER = 15.0

# The progress estimate: how many recent videos it learns from, for how long, and where it stops.
TYPICAL_SAMPLE = 20
TYPICAL_CACHE_SECONDS = 60
DEFAULT_TYPICAL_SECONDS = 90.0
ESTIMATE_CAP = 95
_typical: dict[tuple[str, str], tuple[float, float]] = {}


@dataclass(frozen=True)
class ShopperState:
    """One video as a shopper's page sees it (``id`` None: an ask the generation policy did not make)."""

    id: int | None
    status: str
    state: str
    done: bool
    ready: bool
    progress: int
    message: str
    video_url: str = ""
    poster_url: str = ""
    poll_after: float = 0.0
    stand_in: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def file_url(field: Any) -> str:
    """The URL of a stored file, or "" when there is none."""
    from sora_products.storefront import media_url

    return media_url(field.storage, field.name) if field else ""


def _failure_message(video: ProductVideo) -> str:
    code = video.error_code or ""
    if "moderation" in code or "refused" in code or "policy" in code:
        return _(
            "The video service could not make a video of this item. Please try another size or setting, "
            "or watch the product video instead."
        )
    return _("Something went wrong while making this video. Please try another size or setting, or come back later.")


def _blocked_message(video: ProductVideo) -> str:
    if video.error_code.startswith("budget_"):
        return _(
            "Today's budget for try-on videos is used up, so this video can't be made now. Please try again tomorrow."
        )
    return _("The video service is busy right now. Your video will start as soon as it can; please come back later.")


def delayed_message() -> str:
    """The one sentence a shopper reads while the video service is down (the try-on widget and page share it)."""
    return _(
        "Videos are delayed: the video service is not answering right now. Yours is kept and will be made "
        "when it is back; please come back later."
    )


def _delayed(video: ProductVideo) -> bool:
    return video.error_code == breaker.UNREACHABLE or breaker.outage(video.provider) is not None


def shopper_state(video: ProductVideo, *, live: bool | None = None) -> ShopperState:
    """The shopper's view of ``video``, with the nearest live stand-in while a try-on is not live itself."""
    state = _own_state(video, live=live)
    if state.ready or not video.profile:
        return state
    from sora_products import tryon

    stand_in = tryon.stand_in_for(video)
    if stand_in is None:
        return state
    return replace(state, message=_stand_in_message(state, video, stand_in), stand_in=_stand_in_dict(stand_in))


def _stand_in_dict(video: ProductVideo) -> dict[str, Any]:
    profile = video.profile
    return {
        "video_id": video.pk,
        "height_cm": int(profile["height_cm"]),
        "size": profile["size"],
        "scene": profile["scene"],
        "src": file_url(video.video_file),
        "poster": file_url(video.poster),
    }


def _stand_in_message(state: ShopperState, video: ProductVideo, stand_in: ProductVideo) -> str:
    """What the stand-in is, and the truth about the shopper's own video ("being made" only when it is)."""
    heights = {"shown": stand_in.profile["height_cm"], "height": video.profile.get("height_cm")}
    if state.state == "working":
        return _("Shown on a %(shown)s cm model. Yours, at %(height)s cm, is being made.") % heights
    if state.state == "delayed":
        return (
            _(
                "Shown on a %(shown)s cm model. Yours, at %(height)s cm, is delayed: the video service is not "
                "answering right now, and it will be made when it is back."
            )
            % heights
        )
    if state.state == "review":
        return (
            _("Shown on a %(shown)s cm model. Yours, at %(height)s cm, is made and waits for the shop to check it.")
            % heights
        )
    if state.state == "blocked":  # it will start later: say why, don't say it can't be made
        return _("Shown on a %(shown)s cm model.") % heights + " " + state.message
    return _("Shown on a %(shown)s cm model. A video at your height, %(height)s cm, can't be made right now.") % heights


def unmade_state(product: Any, profile: dict[str, Any]) -> ShopperState:
    """An ask the generation policy did not make (yet): the nearest stand-in, else the showcase video, and why."""
    from sora_products import tryon
    from sora_products.storefront import live_video, product_key

    content_type_id, object_id = product_key(product)
    waits = tryon.generation_policy() == "on_demand"
    heights = {"height": profile.get("height_cm")}
    stand_in = tryon.nearest_live(content_type_id, object_id, profile)
    if stand_in is not None:
        heights["shown"] = stand_in.profile["height_cm"]
        message = (
            _(
                "Shown on a %(shown)s cm model. We make a video at your height, %(height)s cm, once a few more "
                "shoppers ask for it."
            )
            if waits
            else _("Shown on a %(shown)s cm model, the nearest to your height, %(height)s cm, that we have.")
        ) % heights
        return _unmade(message, _stand_in_dict(stand_in))
    showcase = live_video(product)
    if waits:
        message = _("We make a video at your height, %(height)s cm, once a few more shoppers ask for it.") % heights
    else:
        message = _("There is no try-on video near your height in this size and setting.")
    if showcase is None or not showcase.video_name:
        return _unmade(message, None)
    shown = {"video_id": showcase.pk, "height_cm": None, "size": None, "scene": None}
    shown.update(src=showcase.video_url, poster=showcase.poster_url)
    return _unmade(_("Here is the product video.") + " " + message, shown)


def _unmade(message: str, stand_in: dict[str, Any] | None) -> ShopperState:
    return ShopperState(
        id=None,
        status="not_made",
        state="not_made",
        done=True,
        ready=False,
        progress=0,
        message=message,
        stand_in=stand_in,
    )


def shown_progress(video: ProductVideo) -> int:
    """The provider's progress where it reports one, else an honest estimate from the time the job has run.

    The estimate divides the seconds since submit by how long this provider and model took lately
    (``typical_seconds``) and stops at 95 %: only the finished video reaches 100.
    """
    reported = int(video.progress or 0)
    if video.status == VideoStatus.STORING:
        return max(reported, ESTIMATE_CAP)  # made, being saved: never back below the estimate it passed
    if video.status not in (VideoStatus.QUEUED, VideoStatus.IN_PROGRESS) or not video.submit_started_at:
        return reported
    elapsed = (timezone.now() - video.submit_started_at).total_seconds()
    estimate = int(min(ESTIMATE_CAP, 100 * elapsed / typical_seconds(video.provider, video.model)))
    return max(reported, estimate)


def typical_seconds(provider: str, model: str) -> float:
    """The median time from submit to stored of the last videos of this provider and model (cached a minute)."""
    key = (provider, model)
    now = time.monotonic()
    found = _typical.get(key)
    if found is not None and found[0] > now:
        return found[1]
    rows = (
        ProductVideo.objects.filter(provider=provider, model=model, status=VideoStatus.READY)
        .exclude(submit_started_at=None)
        .exclude(completed_at=None)
        .order_by("-completed_at")
        .values_list("submit_started_at", "completed_at")[:TYPICAL_SAMPLE]
    )
    durations = [(done - started).total_seconds() for started, done in rows if done > started]
    seconds = statistics.median(durations) if durations else DEFAULT_TYPICAL_SECONDS
    _typical[key] = (now + TYPICAL_CACHE_SECONDS, max(seconds, 1.0))
    return _typical[key][1]


def _own_state(video: ProductVideo, *, live: bool | None = None) -> ShopperState:
    """The shopper's view of ``video`` itself; ``live`` saves a query when the caller already knows it."""
    status = video.status
    base = {"id": video.pk, "status": status, "progress": shown_progress(video)}
    if status in (VideoStatus.READY, VideoStatus.HELD):  # a held video waits for the shop like an unapproved one
        if status == VideoStatus.READY and (live if live is not None else video.is_live):
            return ShopperState(
                **base,
                state="ready",
                done=True,
                ready=True,
                message=_("Your video is ready."),
                video_url=file_url(video.video_file),
                poster_url=file_url(video.poster),
            )
        return ShopperState(
            **base,
            state="review",
            done=True,
            ready=False,
            message=_(
                "Your video is made and waits for the shop to check it. It appears here once approved; "
                "please come back later."
            ),
        )
    if status == VideoStatus.BLOCKED:
        return ShopperState(**base, state="blocked", done=True, ready=False, message=_blocked_message(video))
    if status == VideoStatus.FAILED:
        return ShopperState(**base, state="failed", done=True, ready=False, message=_failure_message(video))
    if status in (VideoStatus.CANCELED, VideoStatus.NEEDS_REVIEW, VideoStatus.SUPERSEDED):
        return ShopperState(
            **base,
            state="failed",
            done=True,
            ready=False,
            message=_("This video can't be made right now. Please try another size or setting, or come back later."),
        )
    if _delayed(video):
        return ShopperState(
            **base, state="delayed", done=False, ready=False, message=delayed_message(), poll_after=DELAYED_POLL_AFTER
        )
    if status == VideoStatus.IN_PROGRESS:
        message = _("Your video is being made: %(progress)d%% done.") % {"progress": base["progress"]}
    elif status == VideoStatus.STORING:
        message = _("Almost there: saving your video.")
    else:
        message = _("Your video is in the queue and starts shortly.")
    return ShopperState(
        **base, state="working", done=False, ready=False, message=message, poll_after=POLL_AFTER.get(status, 2.0)
    )
