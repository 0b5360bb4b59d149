"""The JSON the admin's progress script polls: a few fields per video, never a secret."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sora_products.admin.display import cost_text, file_url, poster_url, review_summary, short_error
from sora_products.models import ProductVideo, VideoStatus

MAX_IDS = 100


def parse_ids(raw: str) -> list[int]:
    """Up to MAX_IDS distinct positive ids from "1,2,3"; anything else is ignored."""
    ids: list[int] = []
    for part in raw.split(","):
        part = part.strip()
        if part.isascii() and part.isdigit() and int(part) > 0 and int(part) not in ids:
            ids.append(int(part))
    return ids[:MAX_IDS]


def video_status(video: ProductVideo, *, live: bool, show_costs: bool) -> dict[str, Any]:
    """What a progress bar and a preview need to catch up with the row."""
    review_label, review_state = review_summary(video)
    data: dict[str, Any] = {
        "id": video.pk,
        "status": video.status,
        "status_label": str(video.get_status_display()),
        "active": video.is_active,
        "progress": 100 if video.status == VideoStatus.READY else int(video.progress or 0),
        "review_state": review_state,
        "review_label": review_label,
        "live": live,
        "video_url": file_url(video.video_file),
        "poster_url": poster_url(video),
        "error": short_error(video),
        "player_fallback": _("Your browser cannot play this video."),
    }
    if show_costs:
        data["cost"] = cost_text(video)
    return data


def statuses(ids: list[int], *, show_costs: bool) -> dict[str, Any]:
    videos = list(ProductVideo.objects.filter(pk__in=ids).order_by("pk"))
    live_ids = set(ProductVideo.objects.live().filter(pk__in=ids).values_list("pk", flat=True))
    return {"videos": [video_status(v, live=v.pk in live_ids, show_costs=show_costs) for v in videos]}
