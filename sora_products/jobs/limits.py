"""Provider rate limits shared by every worker on every machine: creates per minute, jobs in flight.

The counts come from the database rows themselves, read inside the claim transaction that
already holds the ledger lock. The database is the one store every worker shares and it is
transactional with the claim, so the limit is exact; a cache counter would need its own
atomic bookkeeping and could drift from the rows it describes.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from sora_products.conf import app_settings
from sora_products.jobs.breaker import UNREACHABLE, unreachable_message
from sora_products.models import ProductVideo, ProviderHealth, ProviderPause, VideoStatus

IN_FLIGHT = (VideoStatus.SUBMITTING, VideoStatus.QUEUED, VideoStatus.IN_PROGRESS)


class SubmitDeferred(Exception):
    """Not now: ``wait`` seconds until a slot frees up; the message says why, for a person."""

    def __init__(self, message: str, wait: float, *, code: str) -> None:
        super().__init__(message)
        self.wait, self.code = wait, code


def _limits(provider: str) -> dict:
    return app_settings.PROVIDERS.get(provider, {}).get("RATE_LIMIT") or {}


def check_submit(provider: str, *, now: datetime.datetime | None = None) -> None:
    """Raise SubmitDeferred when a pause, the per-minute limit or the in-flight limit says wait.

    Call inside the claim transaction, after ``budget.lock_ledger()``, so the counts can't race.
    """
    now = now or timezone.now()
    pause = ProviderPause.objects.filter(provider=provider, paused_until__gt=now).first()
    if pause is not None:
        raise SubmitDeferred(pause.reason, (pause.paused_until - now).total_seconds(), code="provider_paused")
    # Checked again here, under the ledger lock: another worker may have marked it down since this one looked.
    if ProviderHealth.objects.filter(provider=provider, unreachable_since__isnull=False).exists():
        raise SubmitDeferred(unreachable_message(), float(app_settings.BACKOFF["MAX_SECONDS"]), code=UNREACHABLE)
    limits = _limits(provider)
    per_minute = limits.get("REQUESTS_PER_MINUTE")
    if per_minute:
        # WINDOW_SECONDS exists so tests can check the rule without waiting minutes.
        window = now - datetime.timedelta(seconds=float(limits.get("WINDOW_SECONDS", 60)))
        recent = list(
            ProductVideo.objects.filter(provider=provider, submit_started_at__gt=window)
            .order_by("submit_started_at")
            .values_list("submit_started_at", flat=True)[: int(per_minute)]
        )
        if len(recent) >= int(per_minute):
            wait = (recent[0] - window).total_seconds() + 0.05
            raise SubmitDeferred(
                _("The provider allows %(count)d new videos a minute; this one starts in a moment.")
                % {"count": int(per_minute)},
                max(wait, 0.05),
                code="rate_limited",
            )
    in_flight = limits.get("MAX_IN_FLIGHT")
    if in_flight and ProductVideo.objects.filter(provider=provider, status__in=IN_FLIGHT).count() >= int(in_flight):
        raise SubmitDeferred(
            _("%(count)d videos are already being made; this one starts when one finishes.")
            % {"count": int(in_flight)},
            2.0,
            code="in_flight_limit",
        )


def pause_provider(provider: str, reason: str, seconds: float = 3600) -> None:
    """Stop all submissions to a provider (quota or spend limit reached) until a person acts or time passes."""
    ProviderPause.objects.update_or_create(
        provider=provider,
        defaults={"paused_until": timezone.now() + datetime.timedelta(seconds=seconds), "reason": reason},
    )
