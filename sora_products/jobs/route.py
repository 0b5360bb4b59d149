"""Routing: a preset may name several providers in order, and a video not yet sent moves down the list.

It moves when its provider cannot take it now for a reason that says nothing about the video: the
account is out of quota, the provider is unreachable, or it does not offer the preset's size or
duration. A moderation refusal (the same content would be refused again) or a create whose outcome
is unknown (it may have been made and paid) never moves. Moving is a new attempt on the same row,
reserved at the new provider's price; the row then names the provider and model that made it.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from sora_products import budget
from sora_products.conf import app_settings
from sora_products.jobs.transitions import update_row
from sora_products.models import UNSENT_STATUSES, ProductVideo, ProviderHealth, ProviderPause

logger = logging.getLogger(__name__)

Choice = tuple[str, str]


def choices(video: ProductVideo) -> list[Choice]:
    """(provider alias, model) in the order the video's preset lists them; remixes stay where their source is."""
    preset = app_settings.PRESETS.get(video.preset)
    if preset is None or video.remixed_from_id:
        return [(video.provider, video.model)]
    route = []
    for entry in preset["ROUTE"]:
        alias = entry["NAME"]
        model = entry["MODEL"] or app_settings.PROVIDERS.get(alias, {}).get("MODEL") or ""
        route.append((alias, model))
    return route


def offers(alias: str, model: str, size: str, seconds: int) -> bool:
    """Whether the provider's model makes this size and duration (unknown providers offer nothing)."""
    from sora_products.jobs.providers import get_provider

    if alias not in app_settings.PROVIDERS:
        return False
    try:
        capabilities = get_provider(alias).capabilities().models.get(model)
    except Exception:  # a provider that cannot be built is not a choice (the system check says why)
        logger.exception("sora_products could not load provider %s", alias)
        return False
    return capabilities is not None and size in capabilities.sizes and int(seconds) in capabilities.seconds


def available(alias: str) -> bool:
    """Not marked unreachable and not paused for quota right now."""
    now = timezone.now()
    if ProviderPause.objects.filter(provider=alias, paused_until__gt=now).exists():
        return False
    return not ProviderHealth.objects.filter(provider=alias, unreachable_since__isnull=False).exists()


def fall_back(video: ProductVideo, why: str) -> bool:
    """Move an unsent video to the next provider of its route that can take it; False when none is left."""
    route = choices(video)
    try:
        position = route.index((video.provider, video.model))
    except ValueError:
        return False
    for alias, model in route[position + 1 :]:
        if not (offers(alias, model, video.size, video.seconds) and available(alias)):
            continue
        try:
            estimate = budget.estimate_cost(alias, model, video.size, video.seconds)
        except budget.UnknownPrice:
            continue  # never sent at an unknown price: the caps could not hold
        moved = update_row(
            video,
            expect=list(UNSENT_STATUSES),
            provider=alias,
            model=model,
            estimated_cost=estimate,
            waits=0,
            next_check_at=timezone.now(),
            error_code="",
            error_message=_("Moved from provider %(old)s to %(new)s: %(why)s")
            % {"old": video.provider, "new": alias, "why": why},
        )
        if moved:
            logger.warning("Video %s moves to provider %s (%s): %s", video.pk, alias, model, why)
        return moved
    return False


def first_that_offers(video: ProductVideo) -> bool:
    """False when the video's route has more than one choice and none left makes its size and duration.

    A single provider is sent what the preset says, as before routing existed: the system checks
    report a size or duration its model lacks.
    """
    if len(choices(video)) < 2 or offers(video.provider, video.model, video.size, video.seconds):
        return True
    why = _("it does not make %(size)s videos of %(seconds)d seconds with %(model)s.") % {
        "size": video.size,
        "seconds": video.seconds,
        "model": video.model,
    }
    return fall_back(video, why)
