"""One video as the inline and the detail page show it: status, progress, player, cost and links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.admin.utils import quote
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString

from sora_products import labels
from sora_products.admin import display, permissions
from sora_products.models import ProductVideo


@dataclass(frozen=True)
class VideoCard:
    video: ProductVideo
    preset_label: str
    status_html: SafeString
    preview_html: SafeString
    change_url: str
    cost_text: str | None  # None when the person may not see costs


def video_cards(
    videos: Sequence[ProductVideo], request: HttpRequest | None, site_name: str = "admin"
) -> list[VideoCard]:
    """Cards for videos, with costs only for people allowed to see them."""
    show_costs = request is not None and permissions.can_see_costs(request)
    endpoint = display.status_url(site_name)
    return [
        VideoCard(
            video=video,
            preset_label=labels.preset_label(video.preset),
            status_html=display.live_status(video, endpoint),
            preview_html=display.preview(video, endpoint, size="medium"),
            change_url=reverse(f"{site_name}:sora_products_productvideo_change", args=[quote(video.pk)]),
            cost_text=display.cost_text(video) if show_costs else None,
        )
        for video in videos
    ]
