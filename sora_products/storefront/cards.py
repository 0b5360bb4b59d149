"""The compact player on product cards: built in Python, and remembered, because a listing shows one per product.

A card's markup depends only on the video, the product's title, the language, the AI-label setting and the
media base URLs, so it is kept in a bounded memo keyed by exactly those. Storages whose URLs are computed
per call (signed S3 links, say) are never remembered.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape as html_escape
from typing import NamedTuple

from django.core.files.storage import FileSystemStorage
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sora_products.conf import app_settings
from sora_products.models import ProductVideo
from sora_products.storefront import LiveVideo

REMEMBERED_CARDS = 2048


class CardSettings(NamedTuple):
    """What every card of one page shares: read once per page, not once per card."""

    language: str
    ai_label: bool
    bases: tuple[str, str] | None

    @classmethod
    def now(cls) -> CardSettings:
        return cls(get_language() or "", bool(app_settings.AI_LABEL), _local_base_urls())


def card_player(video: LiveVideo, title: str, page: CardSettings | None = None) -> SafeString:
    """The compact player of a product card: poster, lazy source, label; player.js starts it when visible."""
    language, ai_label, bases = page or CardSettings.now()
    if bases is None:
        return build_card(video, title, language, ai_label)
    try:
        return _remembered_card(video, title, language, ai_label, bases)
    except TypeError:  # an unhashable title from a custom adapter
        return build_card(video, title, language, ai_label)


def _local_base_urls() -> tuple[str, str] | None:
    """The base URLs of the video and poster storages when both are local, else None."""
    video_storage = ProductVideo._meta.get_field("video_file").storage
    poster_storage = ProductVideo._meta.get_field("poster").storage
    if type(video_storage).url is FileSystemStorage.url and type(poster_storage).url is FileSystemStorage.url:
        return video_storage.base_url or "", poster_storage.base_url or ""
    return None


@lru_cache(maxsize=REMEMBERED_CARDS)
def _remembered_card(
    video: LiveVideo, title: str, language: str, ai_label: bool, bases: tuple[str, str]
) -> SafeString:
    return build_card(video, title, language, ai_label)  # ``bases`` is only part of the key


def build_card(video: LiveVideo, title: str, language: str, ai_label: bool) -> SafeString:
    """The card markup, with html.escape() on every value (the same text Django's escape() gives, faster)."""
    pattern, label = _card_parts(language, ai_label)
    width, height = video.width_height
    return SafeString(
        f'<figure class="sora-player sora-player--compact" data-sora-player data-video-id="{int(video.pk)}">'
        f'<video class="sora-player__video" muted autoplay loop playsinline preload="none" '
        f'poster="{html_escape(video.poster_url)}" data-src="{html_escape(video.video_url)}" '
        f'width="{width or ""}" height="{height or ""}" aria-label="{html_escape(pattern % {"title": title})}">'
        f"</video>{label}</figure>"
    )


def aria_pattern(ai_label: bool) -> str:
    """The players' aria-label, with %(title)s for the product's title, in the active language."""
    return _("AI-generated video: %(title)s") if ai_label else _("Video: %(title)s")


@lru_cache(maxsize=64)
def _card_parts(language: str, ai_label: bool) -> tuple[str, str]:
    """Per language: the aria-label pattern and the label markup."""
    pattern = aria_pattern(ai_label)
    label = format_html('<figcaption class="sora-player__label">{}</figcaption>', _("AI-generated video"))
    return pattern, (label if ai_label else "")
