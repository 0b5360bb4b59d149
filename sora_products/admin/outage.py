"""Telling staff at once that a provider is down: a banner on the lists, a badge on each waiting row."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.formats import time_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sora_products.admin.notices import warn_once
from sora_products.conf import app_settings
from sora_products.jobs import breaker
from sora_products.models import ProductVideo

WAITING_CODES = frozenset({breaker.UNREACHABLE, "outcome_unknown", "provider_unavailable"})


def outage_sentences() -> list[str]:
    """One sentence per unreachable provider: since when, how many videos wait, how often the app checks."""
    sentences = []
    for health in breaker.outages():
        waiting = breaker.waiting_count(health.provider)
        sentences.append(
            ngettext(
                "The video provider “%(provider)s” has been unreachable since %(time)s; %(count)d video is "
                "waiting; the app checks every %(seconds)s seconds.",
                "The video provider “%(provider)s” has been unreachable since %(time)s; %(count)d videos are "
                "waiting; the app checks every %(seconds)s seconds.",
                waiting,
            )
            % {
                "provider": health.provider,
                "time": time_format(localtime(health.unreachable_since), "H:i"),
                "count": waiting,
                "seconds": f"{float(app_settings.OUTAGE['PROBE_SECONDS']):g}",
            }
        )
    return sentences


def show_outages(request: HttpRequest) -> None:
    """Add the outage banner to this page's messages (once per page)."""
    for sentence in outage_sentences():
        warn_once(request, sentence)


def waiting_badge(video: ProductVideo) -> SafeString:
    """A problem badge on a row that waits because of the provider, with the reason on hover."""
    if not video.is_active or not (video.error_code in WAITING_CODES or video.waits):
        return mark_safe("")
    return format_html(
        '<span class="sora-badge sora-badge--problem" title="{}">{}</span>',
        video.error_message,
        _("Waiting for the provider"),
    )
