"""Small HTML pieces shared by the lists, the inline and the detail page (all built with format_html)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.admin.utils import quote
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext

from sora_products.admin.ledger import spent_on
from sora_products.conf import app_settings
from sora_products.models import ProductVideo, ReviewState, VideoStatus

ERROR_CHARS = 110

def money(amount: Decimal | None) -> str:
    """US dollars with cents, or a dash when there is no amount."""
    if amount is None:
        return "—"
    return f"${Decimal(amount):,.2f}"


def status_url(site_name: str = "admin") -> str:
    return reverse(f"{site_name}:sora_products_productvideo_status")


def file_url(field) -> str:
    """The URL of a stored file, or "" when there is none."""
    return field.url if field and field.name else ""


def poster_url(video: ProductVideo) -> str:
    """The provider's thumbnail, else the reference image the provider saw."""
    return file_url(video.poster) or file_url(video.reference_image)


def _live_attrs(video: ProductVideo, status_endpoint: str) -> dict[str, str]:
    return {"id": str(video.pk), "active": "1" if video.is_active else "0", "url": status_endpoint}


def review_summary(video: ProductVideo) -> tuple[str, str]:
    """What is true of a video's review, as (label, state for the CSS class): "Live" when approval is off."""
    if video.review_state == ReviewState.REJECTED:
        return gettext("Rejected"), "rejected"
    if video.outdated:
        return gettext("Outdated: the product changed"), "outdated"
    if video.status == VideoStatus.HELD:
        return gettext("Held for review"), "pending"  # even with approval off: its product drifted
    if video.review_state == ReviewState.APPROVED:
        return gettext("Approved"), "approved"
    if not app_settings.REQUIRE_APPROVAL:
        return (gettext("Live"), "live") if video.status == VideoStatus.READY else (gettext("Live when ready"), "none")
    return gettext("Pending review"), "pending"


def outdated_note(video: ProductVideo) -> str:
    if video.outdated:
        return gettext("Outdated: the product changed after this video was asked for; it is not shown.")
    return gettext("Current: made from the product as it is now.")


def status_badge(video: ProductVideo) -> SafeString:
    return format_html('<span class="sora-status sora-status--{}">{}</span>', video.status, video.get_status_display())


def progress_bar(video: ProductVideo) -> SafeString:
    value = 100 if video.status == VideoStatus.READY else max(0, min(int(video.progress or 0), 100))
    return format_html(
        '<span class="sora-progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" '
        'aria-valuenow="{}" aria-label="{}"><span class="sora-progress__bar" style="width: {}%"></span></span>'
        '<span class="sora-progress__label">{}%</span>',
        value,
        gettext("Progress"),
        value,
        value,
    )


def short_error(video: ProductVideo) -> str:
    """The error for a list cell: the first sentence or so; the video's page has all of it."""
    return Truncator(video.error_message).chars(ERROR_CHARS) if error_shown(video) else ""


def error_shown(video: ProductVideo) -> bool:
    """Errors of finished videos and of videos waiting for budget; a running job's retries are noise."""
    return bool(video.error_message) and (not video.is_active or video.status == VideoStatus.BLOCKED)


def live_status(video: ProductVideo, status_endpoint: str, *, with_error: bool = True) -> SafeString:
    """Status with a progress bar the admin script keeps current while the video is being made."""
    attrs = _live_attrs(video, status_endpoint)
    bar = progress_bar(video) if video.is_active else ""
    error = short_error(video) if with_error else ""
    error = format_html('<span class="sora-error" title="{}">{}</span>', video.error_message, error) if error else ""
    return format_html(
        '<span class="sora-state" data-sora-video="{}" data-sora-active="{}" data-sora-status-url="{}">{}{}{}</span>',
        attrs["id"],
        attrs["active"],
        attrs["url"],
        status_badge(video),
        bar,
        error,
    )


def aspect(video: ProductVideo) -> str:
    try:
        width, height = (int(part) for part in video.size.lower().split("x"))
    except ValueError:
        return "9 / 16"
    return f"{width} / {height}"


def player(video: ProductVideo, *, preload: str = "none", controls: bool = True) -> SafeString:
    """The stored MP4 in a muted inline player with its poster; nothing when there is no file yet.

    Without controls (the list's thumbnails) the clip loops while the pointer is over it.
    """
    if not video.video_file:
        return format_html("{}", "")
    return format_html(
        '<video {} muted playsinline preload="{}" poster="{}"><source src="{}" type="video/mp4">{}</video>',
        "controls" if controls else "loop",
        preload,
        poster_url(video),
        video.video_file.url,
        gettext("Your browser cannot play this video."),
    )


def preview(video: ProductVideo, status_endpoint: str, *, size: str = "small") -> SafeString:
    """A player when the video is stored, else its poster or a placeholder that turns into a player."""
    attrs = _live_attrs(video, status_endpoint)
    if video.video_file:
        inner = player(video, preload="metadata" if size == "large" else "none", controls=size != "small")
    elif poster_url(video):
        inner = format_html('<img src="{}" alt="{}" loading="lazy">', poster_url(video), gettext("Reference image"))
    else:
        empty = gettext("No preview yet") if video.is_active else gettext("No video")
        inner = format_html(
            '<span class="sora-preview__empty" title="{}">{}</span>', empty, "" if size == "small" else empty
        )
    return format_html(
        '<span class="sora-preview sora-preview--{}" style="aspect-ratio: {}" data-sora-video="{}" '
        'data-sora-active="{}" data-sora-status-url="{}">{}</span>',
        size,
        aspect(video),
        attrs["id"],
        attrs["active"],
        attrs["url"],
        inner,
    )


def admin_change_url(obj: models.Model, site_name: str = "admin") -> str:
    """The admin change page of any object, or "" when its model is not in that admin site."""
    opts = obj._meta
    try:
        return reverse(f"{site_name}:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
    except NoReverseMatch:
        return ""


def product_link(video: ProductVideo, site_name: str = "admin") -> SafeString:
    """The product's name, linked to its admin page when it has one."""
    product = video.product
    if product is None:
        missing = gettext("Deleted product #%(id)s") % {"id": video.object_id}
        return format_html('<span class="sora-muted">{}</span>', missing)
    url = admin_change_url(product, site_name)
    if not url:
        return format_html("{}", str(product))
    return format_html('<a href="{}">{}</a>', url, str(product))


def cost_text(video: ProductVideo) -> str:
    """The actual cost of a made video, "~" and the estimate while it is being made, else what it cost."""
    if video.actual_cost is not None:
        return money(video.actual_cost)
    if video.is_active:
        return gettext("~%(cost)s") % {"cost": money(video.estimated_cost)}
    return money(spent_on(video))


def live_field(video: ProductVideo, status_endpoint: str, field: str, text: str, css: str = "") -> SafeString:
    """A value the admin script replaces (``cost`` or ``review``) when the video's status changes."""
    attrs = _live_attrs(video, status_endpoint)
    return format_html(
        '<span data-sora-video="{}" data-sora-active="{}" data-sora-status-url="{}">'
        '<span class="{}" data-sora-field="{}">{}</span></span>',
        attrs["id"],
        attrs["active"],
        attrs["url"],
        css,
        field,
        text,
    )
