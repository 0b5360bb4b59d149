"""Prices, estimates and the spend ledger with caps that hold under concurrent workers.

Every paid attempt reserves its estimate before the provider is called; the reservation is
later settled (video made), released (provider never accepted the job) or written off as a
loss (provider refused after accepting, which some providers bill). Caps are checked against
open reservations plus settled spend inside one serialised transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from sora_products.conf import app_settings

CENT = Decimal("0.01")

# USD per generated second: the OpenAI Videos protocol's published prices, and Runway's own models at the
# rates resellers quote (Runway publishes credits per model only to customers; set PRICES for the rest).
DEFAULT_PRICES: dict[str, dict[str, Decimal]] = {
    "gen4.5": {"*": Decimal("0.16")},
    "gen4_turbo": {"*": Decimal("0.07")},
    # fal.ai's published per-second prices without audio (AUDIO off, the default).
    "fal-ai/veo3.1/image-to-video": {"*": Decimal("0.20")},
    "fal-ai/veo3.1/fast/image-to-video": {"*": Decimal("0.10")},
    "fal-ai/kling-video/v3/pro/image-to-video": {"*": Decimal("0.112")},
    "fal-ai/wan/v2.7/image-to-video": {"*": Decimal("0.15"), "720x1280": Decimal("0.10"), "1280x720": Decimal("0.10")},
    "bytedance/seedance-2.0/image-to-video": {"*": Decimal("0.30")},
    "sora-2": {"720x1280": Decimal("0.10"), "1280x720": Decimal("0.10")},
    "sora-2-pro": {
        "720x1280": Decimal("0.30"),
        "1280x720": Decimal("0.30"),
        "1024x1792": Decimal("0.50"),
        "1792x1024": Decimal("0.50"),
        "1080x1920": Decimal("0.70"),
        "1920x1080": Decimal("0.70"),
    },
}


class BudgetExceeded(Exception):
    """A reservation would pass a cap; the message says which cap, for a person."""

    def __init__(self, message: str, cap: str) -> None:
        super().__init__(message)
        self.cap = cap


class UnknownPrice(LookupError):
    """No price is configured for a provider/model/size; the shop must add one."""


def price_per_second(provider: str, model: str, size: str) -> Decimal:
    """Price from the provider's PRICES setting ({model: {size or "*": price}}), else the defaults."""
    configured = app_settings.PROVIDERS.get(provider, {}).get("PRICES", {}) or {}
    for table in (configured, DEFAULT_PRICES):
        by_size = table.get(model) or {}
        price = by_size.get(size, by_size.get("*"))
        if price is not None:
            return Decimal(str(price))
    raise UnknownPrice(
        _('No price is configured for model "%(model)s" at %(size)s; add it to PRICES of provider "%(provider)s".')
        % {"model": model, "size": size, "provider": provider}
    )


def estimate_cost(provider: str, model: str, size: str, seconds: int) -> Decimal:
    return (price_per_second(provider, model, size) * seconds).quantize(CENT)


def estimate_spec(spec) -> Decimal:
    """The estimate of one VideoSpec; zero (not a guess) when no price is configured."""
    try:
        return estimate_cost(spec.provider, spec.model, spec.size, spec.seconds)
    except UnknownPrice:
        return Decimal("0")


@dataclass(frozen=True)
class Estimate:
    count: int
    total: Decimal
    unknown: int


def estimate_many(items: Iterable[tuple[str, str, str, int]]) -> Estimate:
    """Total for (provider, model, size, seconds) items; unpriced items are counted, not guessed."""
    count, total, unknown = 0, Decimal("0"), 0
    for provider, model, size, seconds in items:
        count += 1
        try:
            total += estimate_cost(provider, model, size, seconds)
        except UnknownPrice:
            unknown += 1
    return Estimate(count=count, total=total.quantize(CENT), unknown=unknown)


def _spend_model() -> type[models.Model]:
    from sora_products.models import Spend

    return Spend


def committed_total(since: datetime.date, *, shopper_only: bool = False) -> Decimal:
    """Open reservations + settled spend + losses from ``since`` (a day) on."""
    from sora_products.models import SpendKind

    qs = _spend_model().objects.filter(day__gte=since)
    if shopper_only:
        qs = qs.filter(shopper=True)
    open_or_loss = qs.filter(kind__in=[SpendKind.RESERVED, SpendKind.LOSS]).aggregate(
        total=Coalesce(Sum("amount"), Decimal("0"))
    )["total"]
    settled = qs.filter(kind=SpendKind.SETTLED).aggregate(total=Coalesce(Sum("settled_amount"), Decimal("0")))["total"]
    return Decimal(open_or_loss) + Decimal(settled)


def _caps(today: datetime.date, shopper: bool) -> list[tuple[str, Decimal | None, datetime.date, bool]]:
    budget = app_settings.BUDGET
    caps = [
        ("daily", budget.get("DAILY"), today, False),
        ("monthly", budget.get("MONTHLY"), today.replace(day=1), False),
    ]
    if shopper:
        caps.append(("shopper_daily", budget.get("SHOPPER_DAILY"), today, True))
    return caps


def cap_messages() -> dict[str, str]:
    return {
        "daily": _("Today's video budget is used up; the video will start when the budget allows it."),
        "monthly": _("This month's video budget is used up; the video will start when the budget allows it."),
        "shopper_daily": _("Today's budget for shopper videos is used up; please try again tomorrow."),
    }


def lock_ledger() -> None:
    """Serialise reservations: a row lock on PostgreSQL; SQLite's IMMEDIATE transactions already do."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [734_201_117])


def check_caps(amount: Decimal, *, shopper: bool, today: datetime.date) -> None:
    for name, cap, since, shopper_only in _caps(today, shopper):
        if cap is None:
            continue
        if committed_total(since, shopper_only=shopper_only) + amount > Decimal(str(cap)):
            raise BudgetExceeded(cap_messages()[name], name)


def reserve(video: models.Model, amount: Decimal) -> models.Model:
    """Reserve ``amount`` for one paid attempt of ``video``; BudgetExceeded when a cap would pass.

    Must run inside the caller's transaction so the reservation commits with the claim.
    """
    from sora_products.models import Origin

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("budget.reserve() must run inside transaction.atomic(), with the claim it pays for.")
    lock_ledger()
    today = timezone.localdate()
    shopper = video.origin == Origin.SHOPPER
    check_caps(amount, shopper=shopper, today=today)
    return _spend_model().objects.create(
        video=video,
        amount=amount,
        shopper=shopper,
        provider=video.provider,
        model=video.model,
        preset=video.preset,
        day=today,
    )


def adjust(video: models.Model, amount: Decimal) -> bool:
    """Move the open reservation to the provider's own estimate: down always, up only within the caps.

    True when the reservation now holds ``amount``; False when there is none or a cap would pass.
    """
    from sora_products.models import Origin

    amount = Decimal(amount).quantize(CENT)
    with transaction.atomic():
        lock_ledger()
        spend = _open_reservation(video)
        if spend is None:
            return False
        if amount > spend.amount:
            try:
                check_caps(amount - spend.amount, shopper=video.origin == Origin.SHOPPER, today=timezone.localdate())
            except BudgetExceeded:
                return False
        spend.amount = amount
        spend.save(update_fields=["amount", "updated_at"])
    return True


def _open_reservation(video: models.Model):
    from sora_products.models import SpendKind

    return _spend_model().objects.filter(video=video, kind=SpendKind.RESERVED).order_by("-pk").first()


def _close(video: models.Model, kind: str, settled: Decimal | None = None) -> None:
    """Turn the video's open reservation (if any) into ``kind``; settled=None keeps the reserved amount."""
    spend = _open_reservation(video)
    if spend is not None:
        spend.kind, spend.settled_amount = kind, spend.amount if settled is None else settled
        spend.save(update_fields=["kind", "settled_amount", "updated_at"])


def settle(video: models.Model, actual: Decimal) -> None:
    """The video was made: the reservation becomes the actual cost."""
    from sora_products.models import SpendKind

    _close(video, SpendKind.SETTLED, actual)


def release(video: models.Model) -> None:
    """The provider never accepted the job: nothing was spent."""
    from sora_products.models import SpendKind

    _close(video, SpendKind.RELEASED, Decimal("0"))


def write_off(video: models.Model) -> None:
    """The provider refused or lost the job after accepting it; count it as spent, since some providers bill it."""
    from sora_products.models import SpendKind

    _close(video, SpendKind.LOSS)


RELEASED = "released"
WRITTEN_OFF = "written_off"


def close(video: models.Model, outcome: str) -> None:
    """A video ended without a file: ``RELEASED`` gives the reservation back, ``WRITTEN_OFF`` counts it spent."""
    if outcome == RELEASED:
        release(video)
    elif outcome == WRITTEN_OFF:
        write_off(video)
    else:
        raise ValueError(f"unknown spend outcome {outcome!r}; use budget.RELEASED or budget.WRITTEN_OFF")


def outcome_for(video: models.Model) -> str:
    """What ending ``video`` now costs: written off once the provider may have the job, else released."""
    from sora_products.models import VideoStatus

    maybe_sent = (VideoStatus.SUBMITTING, VideoStatus.NEEDS_REVIEW)
    return WRITTEN_OFF if video.remote_id or video.status in maybe_sent else RELEASED

