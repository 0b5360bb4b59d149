"""Waiting out a failing provider: back-off per video, and a breaker per provider shared by every worker.

A video whose call failed transiently waits 30 s, 1 min, 2 min … (``BACKOFF``), never in a worker.
A few transient failures in a row across videos of one provider mark it unreachable (``OUTAGE``):
nothing is sent to it but one cheap read per cool-down, claimed with a conditional update so only
one worker probes, and the first success wakes every video that was waiting for it.
"""

from __future__ import annotations

import datetime
import logging
import random
from collections.abc import Callable, Iterable
from functools import partial

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sora_products.conf import app_settings
from sora_products.jobs.transitions import Step, update_row
from sora_products.models import ACTIVE_STATUSES, ProductVideo, ProviderHealth, ProviderPause
from sora_products.providers import ProviderError, TransientError
from sora_products.queues import enqueue_video

logger = logging.getLogger(__name__)

# The error code of a video waiting because its provider is marked unreachable.
UNREACHABLE = "provider_unreachable"

# Failures in a row this process last saw per provider: a success after a clean read writes nothing.
_seen_failures: dict[str, int] = {}


def backoff_seconds(waits: int, *, rand: Callable[[], float] = random.random) -> float:
    """The wait after ``waits`` failures in a row: doubling from FIRST_SECONDS up to MAX_SECONDS, jittered."""
    options = app_settings.BACKOFF
    first, cap = float(options["FIRST_SECONDS"]), float(options["MAX_SECONDS"])
    nominal = min(first * (2 ** min(waits, 32)), cap)
    # Spread around the nominal wait so videos that failed together don't come back together.
    return nominal * (1 + float(options["JITTER"]) * (rand() - 0.5))


def backoff(waits: int) -> tuple[datetime.datetime, int]:
    """When a video that has waited ``waits`` times looks again, and its new count."""
    return timezone.now() + datetime.timedelta(seconds=backoff_seconds(waits)), waits + 1


def unreachable_message() -> str:
    return _("The video provider is unreachable; the video waits and goes on when the provider is back.")


def wait_for_provider(video: ProductVideo, until: datetime.datetime, *, expect: Iterable[str]) -> Step:
    """The provider is marked unreachable: send nothing, say so on the row, and wait to be woken."""
    update_row(
        video, expect=list(expect), error_code=UNREACHABLE, error_message=unreachable_message(), next_check_at=until
    )
    return Step(video.status)


def back_off(video: ProductVideo, exc: Exception, *, expect: Iterable[str]) -> Step:
    """A read failed: wait longer each time; only a failure to reach the provider counts towards an outage.

    A provider that answers (a refusal, an unreadable body) is up, so marking it unreachable would only
    make the probe "recover" it every cool-down.
    """
    if isinstance(exc, TransientError):
        record_failure(video.provider, exc)
    next_check_at, waits = backoff(video.waits)
    update_row(video, expect=list(expect), next_check_at=next_check_at, waits=waits, error_message=str(exc))
    return Step(video.status)


def outage(provider: str) -> ProviderHealth | None:
    """The provider's health row when it is marked unreachable, else None."""
    return ProviderHealth.objects.filter(provider=provider, unreachable_since__isnull=False).first()


def outages() -> list[ProviderHealth]:
    return list(ProviderHealth.objects.filter(unreachable_since__isnull=False).order_by("provider"))


def blocked_until(provider: str) -> datetime.datetime | None:
    """None when calls to ``provider`` may go; else when a waiting video should look again.

    Probes the provider first when its cool-down is over, so a recovery is noticed by whichever
    worker or sync pass gets there first.
    """
    row = ProviderHealth.objects.filter(provider=provider).values("failures", "unreachable_since").first()
    _seen_failures[provider] = row["failures"] if row else 0
    if row is None or row["unreachable_since"] is None:
        return None
    if probe_if_due(provider):
        return None
    # Recovery wakes every waiting video at once; the long wait is only a fallback if that is lost.
    return timezone.now() + datetime.timedelta(seconds=float(app_settings.BACKOFF["MAX_SECONDS"]))


def record_failure(provider: str, error: Exception, *, at_once: bool = False) -> bool:
    """Count one transient failure; True when it made the provider unreachable.

    ``at_once`` marks it unreachable on this one failure: a create that may have arrived at a provider
    that cannot be asked whether it did parks its video, and the next videos must not follow it.
    """
    now = timezone.now()
    cool_down = datetime.timedelta(seconds=float(app_settings.OUTAGE["PROBE_SECONDS"]))
    with transaction.atomic():
        ProviderHealth.objects.get_or_create(provider=provider)
        ProviderHealth.objects.filter(provider=provider).update(
            failures=models.F("failures") + 1, last_error=str(error)[:2000], updated_at=now
        )
        tripped = ProviderHealth.objects.filter(
            provider=provider,
            unreachable_since__isnull=True,
            failures__gte=1 if at_once else int(app_settings.OUTAGE["AFTER_FAILURES"]),
        ).update(unreachable_since=now, next_probe_at=now + cool_down, updated_at=now)
        if tripped:
            transaction.on_commit(partial(_announce_unreachable, provider, now, str(error)), robust=True)
    _seen_failures[provider] = 1
    return bool(tripped)


def record_success(provider: str) -> None:
    """A call went through: the run of failures is over (and an outage, if one was marked)."""
    if _seen_failures.get(provider, 1) == 0:
        return
    _seen_failures[provider] = 0
    if not recover(provider):
        ProviderHealth.objects.filter(provider=provider, failures__gt=0).update(failures=0)


def probe_if_due(provider: str) -> bool:
    """Probe an unreachable provider whose cool-down is over; True when it answered (and recovered)."""
    now = timezone.now()
    cool_down = datetime.timedelta(seconds=float(app_settings.OUTAGE["PROBE_SECONDS"]))
    claimed = ProviderHealth.objects.filter(
        provider=provider, unreachable_since__isnull=False, next_probe_at__lte=now
    ).update(next_probe_at=now + cool_down)
    if not claimed:
        return False
    from sora_products.jobs.providers import get_provider

    try:
        get_provider(provider).probe()
    except ProviderError as exc:
        if not _answered(exc):
            ProviderHealth.objects.filter(provider=provider).update(last_error=str(exc)[:2000])
            logger.info("Provider %s is still unreachable: %s", provider, exc)
            return False
    except Exception as exc:  # a broken backend must not stop the sync pass
        logger.exception("Probing provider %s failed", provider)
        ProviderHealth.objects.filter(provider=provider).update(last_error=str(exc)[:2000])
        return False
    return recover(provider)


def probe_due() -> int:
    """Probe every unreachable provider whose cool-down is over (the sync pass calls this)."""
    due = ProviderHealth.objects.filter(unreachable_since__isnull=False, next_probe_at__lte=timezone.now())
    return sum(probe_if_due(provider) for provider in due.values_list("provider", flat=True))


def recover(provider: str) -> bool:
    """Mark ``provider`` reachable and wake its waiting videos; True when it had been unreachable."""
    with transaction.atomic():
        row = ProviderHealth.objects.select_for_update().filter(provider=provider).first()
        if row is None or row.unreachable_since is None:
            return False
        since = row.unreachable_since
        ProviderHealth.objects.filter(pk=row.pk).update(failures=0, unreachable_since=None, next_probe_at=None)
        woken = wake(provider)
        transaction.on_commit(partial(_announce_recovered, provider, since, woken), robust=True)
    _seen_failures[provider] = 0
    return True


def wake(provider: str) -> list[int]:
    """Every unfinished video of ``provider`` that is waiting looks again now, in a worker."""
    now = timezone.now()
    waiting = ProductVideo.objects.filter(provider=provider, status__in=ACTIVE_STATUSES, next_check_at__gt=now)
    ids = list(waiting.values_list("pk", flat=True))
    ProductVideo.objects.filter(pk__in=ids).update(next_check_at=now, waits=0)
    for video_id in ids:
        transaction.on_commit(partial(enqueue_video, video_id), robust=True)
    return ids


def resume(provider: str) -> None:
    """A person says the provider is fine again (quota raised, outage over): clear pauses and wake its videos."""
    with transaction.atomic():
        ProviderPause.objects.filter(provider=provider).delete()
        if not recover(provider):
            ProviderHealth.objects.filter(provider=provider).update(failures=0)
            wake(provider)
    _seen_failures.pop(provider, None)


def waiting_count(provider: str) -> int:
    return ProductVideo.objects.filter(provider=provider, status__in=ACTIVE_STATUSES).count()


def _answered(exc: ProviderError) -> bool:
    """The provider spoke its protocol (refused us, rate-limited us): it is reachable, whatever it said."""
    return not isinstance(exc, TransientError) and exc.status_code is not None and exc.status_code < 500


def _announce_unreachable(provider: str, since: datetime.datetime, error: str) -> None:
    from sora_products.signals import provider_unreachable

    logger.warning(
        "Video provider %s is unreachable (%s); no video is sent to it until a probe every %s s succeeds.",
        provider,
        error,
        app_settings.OUTAGE["PROBE_SECONDS"],
    )
    provider_unreachable.send(sender=ProviderHealth, provider=provider, since=since, error=error)


def _announce_recovered(provider: str, since: datetime.datetime, woken: list[int]) -> None:
    from sora_products.signals import provider_recovered

    logger.warning("Video provider %s is reachable again; %d waiting videos resume.", provider, len(woken))
    provider_recovered.send(sender=ProviderHealth, provider=provider, since=since, videos=len(woken))
