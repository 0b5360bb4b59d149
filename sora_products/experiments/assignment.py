"""Which arm a visitor is in: a hash of a first-party visitor id, the running experiments read once per request.

No third-party tracking: the visitor id is a random first-party cookie (``sora_visitor``), set by the
page's script. A visitor who sends Do-Not-Track or Global Privacy Control (when HONOUR_DNT), who has
not consented (when CONSENT names a function), or whose user agent looks like a bot is in no
experiment and sees the shop's normal page.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.db import models
from django.http import HttpRequest
from django.utils.module_loading import import_string

from sora_products import live_counter
from sora_products.catalog import get_adapter
from sora_products.conf import app_settings
from sora_products.experiments.models import ArmChoice, Experiment, Scope

logger = logging.getLogger(__name__)

VISITOR_COOKIE = "sora_visitor"
TOKEN_SALT = "sora_products.experiments"
REQUEST_CACHE = "_sora_experiments"
VISITOR_ATTR = "_sora_visitor"
ENROLL_ATTR = "_sora_may_enroll"
ASSIGNMENTS_ATTR = "_sora_assignments"
SHARED_KEY = "sora_products:experiments"
SHARED_SECONDS = 300


@dataclass(frozen=True)
class Assignment:
    """What one product's card or player shows this visitor; ``token`` is empty when nothing is counted."""

    experiment_id: int
    arm: str
    shows: str
    other: str = ""  # what the other arm shows: a product is counted only where both can be shown
    token: str = ""


def options() -> dict[str, Any]:
    return app_settings.EXPERIMENTS


def visitor_id(request: HttpRequest) -> str:
    """The visitor's first-party id: its cookie, or a new one the page's script will keep."""
    cached = getattr(request, VISITOR_ATTR, None)
    if cached:
        return cached
    raw = request.COOKIES.get(VISITOR_COOKIE, "")
    visitor = raw if re.fullmatch(r"[0-9a-f]{32}", raw) else uuid.uuid4().hex
    setattr(request, VISITOR_ATTR, visitor)
    return visitor


@lru_cache(maxsize=8)
def _bot_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def looks_like_a_bot(request: HttpRequest) -> bool:
    agent = request.headers.get("User-Agent", "")
    return not agent or bool(_bot_pattern(options()["BOT_USER_AGENTS"]).search(agent))


def may_enroll(request: HttpRequest) -> bool:
    """Whether this visitor may be in an experiment: no DNT/GPC (when honoured), consent (when asked), no bot."""
    cached = getattr(request, ENROLL_ATTR, None)
    if cached is None:
        cached = _may_enroll(request)
        setattr(request, ENROLL_ATTR, cached)
    return cached


def _may_enroll(request: HttpRequest) -> bool:
    settings = options()
    if not settings.get("ENABLED"):
        return False
    if settings.get("HONOUR_DNT") and (request.headers.get("DNT") == "1" or request.headers.get("Sec-GPC") == "1"):
        return False
    if settings.get("CONSENT") and not import_string(settings["CONSENT"])(request):
        return False
    return not looks_like_a_bot(request)


def active_experiments(request: HttpRequest | None) -> list[Experiment]:
    """Running experiments and ended ones that keep a winner: at most one query per request, none per product.

    With a cache every process shares (Redis, Memcached) the list lives there until an experiment changes,
    so a page costs no query at all; with a per-process cache each request asks the database.
    """
    cached = getattr(request, REQUEST_CACHE, None) if request is not None else None
    if cached is None:
        cached = _shared_experiments() if live_counter.shared() else _load_experiments()
        if request is not None:
            setattr(request, REQUEST_CACHE, cached)
    return cached


def _shared_experiments() -> list[Experiment]:
    try:
        cached = cache.get(SHARED_KEY)
    except Exception:  # a cache that is down: the page asks the database, as without one
        logger.warning("sora_products could not read the experiments from the cache", exc_info=True)
        return _load_experiments()
    if cached is None:
        cached = _load_experiments()
        try:
            cache.set(SHARED_KEY, cached, SHARED_SECONDS)
        except Exception:
            logger.warning("sora_products could not keep the experiments in the cache", exc_info=True)
    return cached


def _load_experiments() -> list[Experiment]:
    active = models.Q(ended_at__isnull=True) | ~models.Q(winner="")
    return list(Experiment.objects.filter(active).select_related("content_type").order_by("-pk"))


def forget_experiments(**kwargs: Any) -> None:
    """An experiment was saved, ended or deleted: the shared list is read again (connected in apps.ready)."""
    try:
        cache.delete(SHARED_KEY)
    except Exception:  # a cache that is down: the list expires after SHARED_SECONDS anyway
        pass


def covering(experiments: list[Experiment], product: models.Model) -> Experiment | None:
    """The most specific experiment over ``product``: its own, then its category's, then the shop's."""
    if not experiments:
        return None
    meta = product._meta.concrete_model._meta
    ranked: list[tuple[int, Experiment]] = []
    category = None
    for experiment in experiments:
        if experiment.scope == Scope.PRODUCT:
            ct = experiment.content_type
            if ct and (ct.app_label, ct.model) == (meta.app_label, meta.model_name) and experiment.object_id == str(
                product.pk
            ):
                ranked.append((0, experiment))
        elif experiment.scope == Scope.CATEGORY:
            if category is None:
                category = get_adapter(product).get_category(product).strip().lower()
            if experiment.category.strip().lower() == category:
                ranked.append((1, experiment))
        else:
            ranked.append((2, experiment))
    return min(ranked, key=lambda pair: pair[0])[1] if ranked else None


def arm_of(experiment_id: int, visitor: str, treatment_share: float) -> str:
    """Stable for a visitor and experiment, independent across experiments: a hash compared with the share."""
    digest = hashlib.sha256(f"{experiment_id}:{visitor}".encode()).digest()
    position = int.from_bytes(digest[:8], "big") / 2**64
    return ArmChoice.TREATMENT if position < treatment_share else ArmChoice.CONTROL


def token_for(experiment_id: int, visitor: str, arm: str) -> str:
    """What the page reports with: signed, so a script cannot claim an arm or a visitor it was not given."""
    return signing.dumps([experiment_id, visitor, arm], salt=TOKEN_SALT, compress=False)


def read_token(token: str) -> tuple[int, str, str] | None:
    try:
        experiment_id, visitor, arm = signing.loads(str(token), salt=TOKEN_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return int(experiment_id), str(visitor), str(arm)


def assignment_for(request: HttpRequest | None, product: models.Model) -> Assignment | None:
    """The arm this visitor sees for ``product``, or None when no experiment decides (the normal page)."""
    if request is None:
        return None
    experiment = covering(active_experiments(request), product)
    if experiment is None:
        return None
    memo = request.__dict__.setdefault(ASSIGNMENTS_ATTR, {})  # a listing's cards share one experiment
    if experiment.pk not in memo:
        memo[experiment.pk] = _assign(request, experiment)
    return memo[experiment.pk]


def _assign(request: HttpRequest, experiment: Experiment) -> Assignment | None:
    if not experiment.running:  # ended: everyone sees the arm that was kept, and nothing is counted
        return Assignment(experiment.pk, experiment.winner, experiment.shows(experiment.winner))  # no token
    if not may_enroll(request):
        return None
    visitor = visitor_id(request)
    arm = arm_of(experiment.pk, visitor, experiment.treatment_share)
    other = ArmChoice.CONTROL if arm == ArmChoice.TREATMENT else ArmChoice.TREATMENT
    token = token_for(experiment.pk, visitor, arm)
    return Assignment(experiment.pk, arm, experiment.shows(arm), experiment.shows(other), token)
