"""Return on spend: what a preset's videos cost beside the lift experiments measured for them, honestly hedged.

The lift is measured per experiment, so per product it is the lift of the experiment over that product
(its own, else its category's or the shop's), and a shop-wide lift is said to be one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.utils.translation import gettext as _

from sora_products.admin import display
from sora_products.admin.ledger import ZERO, committed_sum
from sora_products.catalog import get_adapter, is_registered
from sora_products.experiments.assignment import covering
from sora_products.experiments.models import ArmChoice, Experiment, Goal, Scope
from sora_products.experiments.results import Results, results, shows_label
from sora_products.experiments.stats import MIN_VISITORS
from sora_products.labels import preset_label
from sora_products.models import Spend

CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Measured:
    """One experiment's lift set against what the videos it tested cost."""

    experiment: Experiment
    results: Results
    spent: Decimal
    sentence: str


@dataclass(frozen=True)
class PresetReturn:
    preset: str
    spent: Decimal
    videos: int
    measured: list[Measured]

    @property
    def label(self) -> str:
        return preset_label(self.preset)

    @property
    def spent_text(self) -> str:
        return money(self.spent)


@dataclass(frozen=True)
class ProductReturn:
    product: Any
    spent: Decimal
    videos: int
    experiment: Experiment | None
    results: Results | None
    note: str

    @property
    def label(self) -> str:
        return str(self.product) if self.product is not None else _("A deleted product")

    @property
    def spent_text(self) -> str:
        return money(self.spent)


def _goal_words(experiment: Experiment) -> str:
    return _("orders") if experiment.goal == Goal.ORDER else _("add-to-baskets")


def money(value: Decimal) -> str:
    return display.money(Decimal(value).quantize(CENTS))


def return_sentence(experiment: Experiment, found: Results, spent: Decimal) -> str:
    """What the money bought, with the caveat when the data is too thin to say."""
    treated = found.treatment.visitors
    if min(found.control.visitors, treated) < MIN_VISITORS:
        return _("Too little data yet: each arm needs %(count)d visitors before the return can be told.") % {
            "count": MIN_VISITORS
        }
    low, high = found.lift.low * treated, found.lift.high * treated
    words = _goal_words(experiment)
    if found.lift.verdict == "undecided":
        return _(
            "Too little data to tell what these videos return: between %(low)d fewer and %(high)d more %(goal)s "
            "among the %(visitors)d visitors shown them."
        ) % {"low": max(0, round(-low)), "high": max(0, round(high)), "goal": words, "visitors": treated}
    if found.lift.verdict == "worse":
        return _("%(spent)s spent, and the videos cost %(goal)s: between %(low)d and %(high)d fewer.") % {
            "spent": money(spent), "goal": words, "low": round(-high), "high": round(-low),
        }  # fmt: skip
    sentence = _(
        "%(spent)s spent; among the %(visitors)d visitors shown the videos they added between %(low)d and "
        "%(high)d %(goal)s: %(cost_low)s to %(cost_high)s per extra one."
    )
    return sentence % {
        "spent": money(spent), "visitors": treated, "low": round(low), "high": round(high), "goal": words,
        "cost_low": money(spent / Decimal(str(high))), "cost_high": money(spent / Decimal(str(max(low, 1e-9)))),
    }  # fmt: skip


def _spend_by_product(preset: str | None = None) -> dict[tuple[int, str], tuple[Decimal, int]]:
    spends = Spend.objects.filter(video__isnull=False)
    if preset is not None:
        spends = spends.filter(preset=preset)
    rows = spends.values("video__content_type", "video__object_id").annotate(
        total=committed_sum(), videos=Count("video", distinct=True)
    )
    return {(row["video__content_type"], row["video__object_id"]): (row["total"], row["videos"]) for row in rows}


def _products(keys: list[tuple[int, str]]) -> dict[tuple[int, str], Any]:
    """The products behind (content type id, object id) keys, one query per product model."""
    by_type: dict[int, list[str]] = defaultdict(list)
    for type_id, object_id in keys:
        by_type[type_id].append(object_id)
    found = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or not is_registered(model):
            continue
        for product in model._default_manager.filter(pk__in=ids):
            found[(type_id, str(product.pk))] = product
    return found


def _in_scope(experiment: Experiment, key: tuple[int, str], product: Any) -> bool:
    if experiment.scope == Scope.SHOP:
        return True
    if experiment.scope == Scope.PRODUCT:
        return (experiment.content_type_id, experiment.object_id) == key
    category = get_adapter(product).get_category(product) if product is not None else ""
    return category.strip().lower() == experiment.category.strip().lower()


def by_preset() -> list[PresetReturn]:
    """Each preset's spend, and every experiment whose treatment showed it, with what it returned."""
    totals = Spend.objects.values("preset").annotate(total=committed_sum(), videos=Count("video", distinct=True))
    experiments = list(Experiment.objects.all())
    answer = []
    for row in totals.order_by("-total"):
        preset = row["preset"]
        measured = []
        tested = [experiment for experiment in experiments if experiment.shows(ArmChoice.TREATMENT) == preset]
        if tested:
            spend = _spend_by_product(preset)
            products = _products(list(spend))
            for experiment in tested:
                spent = sum(
                    (total for key, (total, _n) in spend.items() if _in_scope(experiment, key, products.get(key))),
                    ZERO,
                )
                found = results(experiment)
                sentence = return_sentence(experiment, found, spent)
                if experiment.shows(ArmChoice.CONTROL):  # the lift is over another video, not over the photo
                    sentence = _("Compared with %(control)s: %(sentence)s") % {
                        "control": shows_label(experiment.shows(ArmChoice.CONTROL)), "sentence": sentence,
                    }  # fmt: skip
                measured.append(Measured(experiment, found, spent, sentence))
        answer.append(PresetReturn(preset, row["total"] or ZERO, row["videos"], measured))
    return answer


def by_product(limit: int = 20) -> list[ProductReturn]:
    """The products the most was spent on, each with the lift of the experiment that covers it, if any."""
    spend = _spend_by_product()
    top = sorted(spend.items(), key=lambda item: item[1][0], reverse=True)[:limit]
    products = _products([key for key, _value in top])
    experiments = list(Experiment.objects.all())
    found: dict[int, Results] = {}
    rows = []
    for key, (total, videos) in top:
        product = products.get(key)
        experiment = covering(experiments, product) if product is not None else None
        if experiment is None:
            rows.append(ProductReturn(product, total, videos, None, None, _("No experiment covers this product.")))
            continue
        if experiment.pk not in found:
            found[experiment.pk] = results(experiment)
        note = {
            Scope.PRODUCT: _("Measured on this product alone."),
            Scope.CATEGORY: _("Measured across its category, not this product alone."),
            Scope.SHOP: _("Measured across the whole shop, not this product alone."),
        }[experiment.scope]
        rows.append(ProductReturn(product, total, videos, experiment, found[experiment.pk], note))
    return rows
