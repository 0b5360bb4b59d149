"""What the storefront reports: a visitor saw an arm, played, turned the sound on, asked for a try-on, converted.

A report is one request with every event the page gathered since the last one (experiments.js sends
at most one per FLUSH_SECONDS, and at once when the page is hidden). It costs one INSERT for the
visitor rows it starts and one UPDATE per kind of event, whatever the number of cards. Each event
sets a flag at most once per visitor and experiment, so repeating it changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import models
from django.http import HttpRequest

from sora_products.catalog import get_adapter, is_registered
from sora_products.experiments.assignment import (
    VISITOR_COOKIE,
    active_experiments,
    covering,
    looks_like_a_bot,
    may_enroll,
    options,
    read_token,
)
from sora_products.experiments.models import ArmChoice, Exposure

logger = logging.getLogger(__name__)

FLAGS = {"play": "played", "sound_on": "sound_on", "try_on": "tried_on"}
CONVERSIONS = {"add_to_basket": "added_to_basket", "order": "ordered"}
EVENTS = ("impression", *FLAGS)


@dataclass
class Tally:
    recorded: int = 0
    dropped: int = 0
    reasons: set[str] = field(default_factory=set)

    def drop(self, count: int, reason: str) -> None:
        self.dropped += count
        self.reasons.add(reason)


def _over_rate(key: str, limit: int, seconds: int) -> bool:
    """A fixed-window counter in the default cache; True once ``limit`` is passed in this window."""
    try:
        if cache.add(key, 1, seconds):
            return limit < 1
        try:
            return cache.incr(key) > limit
        except ValueError:  # expired between add and incr
            cache.add(key, 1, seconds)
            return False
    except Exception:  # a cache that is down counts nothing: the report is kept, not lost
        logger.warning("sora_products could not count experiment reports in the cache", exc_info=True)
        return False


def record_report(request: HttpRequest, items: list[dict], network: str) -> Tally:
    """Write one page's events: ``items`` are {"token": ..., "events": [...]} from its experiment marks.

    Events are counted once each per experiment (repeats merge). A report is kept only for the visitor
    its cookie names, and a visitor row starts only with an impression.
    """
    tally = Tally()
    if looks_like_a_bot(request) or not may_enroll(request):
        tally.drop(sum(len(set(item["events"])) for item in items), "not_enrolled")
        return tally
    wanted: dict[tuple[int, str], tuple[str, set[str]]] = {}
    for item in items:
        read = read_token(item["token"])
        if read is None:
            tally.drop(len(set(item["events"])), "bad_token")
            continue
        experiment_id, visitor, arm = read
        _arm, events = wanted.setdefault((experiment_id, visitor), (arm, set()))
        events.update(item["events"])
    if not wanted:
        return tally
    total = sum(len(events) for _arm, events in wanted.values())
    visitors = {visitor for _experiment, visitor in wanted}
    (visitor, *others) = visitors
    if others or request.COOKIES.get(VISITOR_COOKIE) != visitor:  # one page, one visitor: its own cookie's
        tally.drop(total, "not_this_visitor")
        return tally
    settings = options()
    if _over_rate(f"sora_exp:reports:{visitor}", int(settings["REPORTS_PER_MINUTE"]), 60):
        tally.drop(total, "rate")
        return tally
    running = {experiment.pk for experiment in active_experiments(None) if experiment.running}
    known = set(
        Exposure.objects.filter(visitor=visitor, experiment_id__in=[pk for pk, _v in wanted]).values_list(
            "experiment_id", flat=True
        )
    )
    kept: dict[int, tuple[str, set[str]]] = {}
    for (pk, _visitor), (arm, events) in wanted.items():
        if pk not in running or arm not in ArmChoice.values:
            tally.drop(len(events), "ended")
        elif pk not in known and "impression" not in events:
            tally.drop(len(events), "unseen")  # a play or a try-on never counts a visitor the arm was not shown to
        else:
            kept[pk] = (arm, events)
    new = [Exposure(experiment_id=pk, visitor=visitor, arm=arm) for pk, (arm, _e) in kept.items() if pk not in known]
    if new and _over_rate(f"sora_exp:new:{network}", int(settings["NEW_VISITORS_PER_HOUR"]), 3600):
        tally.drop(sum(len(events) for _arm, events in kept.values()), "rate")
        return tally
    Exposure.objects.bulk_create(new, ignore_conflicts=True)
    for event, flag in FLAGS.items():
        ids = [pk for pk, (_arm, events) in kept.items() if event in events]
        if ids:
            Exposure.objects.filter(visitor=visitor, experiment_id__in=ids, **{flag: False}).update(**{flag: True})
    tally.recorded = sum(len(events) for _arm, events in kept.values())
    return tally


def record_conversion(request: HttpRequest, kind: str, product: models.Model | None = None) -> int:
    """The shop's hook: this visitor added to basket (or ordered); counts for its experiments over ``product``.

    Call it from the basket view (``contrib.oscar`` does, from Oscar's signals). Returns how many
    experiments it counted for; a visitor in none, a bot or an unknown kind count for nothing. With a
    product, it counts for the experiment the product's page shows (a variant counts as its parent),
    and only while that experiment runs.
    """
    flag = CONVERSIONS.get(kind)
    visitor = request.COOKIES.get(VISITOR_COOKIE, "")
    if flag is None or not visitor or looks_like_a_bot(request):
        return 0
    experiments = active_experiments(request)
    if product is not None:
        if is_registered(type(product)):
            product = get_adapter(product).get_video_product(product)
        chosen = covering(experiments, product)
        experiments = [chosen] if chosen is not None else []
    return conversion_for(visitor, flag, [experiment.pk for experiment in experiments if experiment.running])


def conversion_for(visitor: str, flag: str, experiment_ids: Iterable[int]) -> int:
    ids = list(experiment_ids)
    if not ids:
        return 0
    return Exposure.objects.filter(visitor=visitor, experiment_id__in=ids, **{flag: False}).update(**{flag: True})

