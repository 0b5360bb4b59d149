"""An experiment's results for a person: per arm the visitors and conversion rate, the lift and a plain sentence."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from sora_products.experiments import stats
from sora_products.experiments.models import VIDEO_ARM, ArmChoice, Experiment, Goal
from sora_products.labels import preset_label
from sora_products.models import ProductVideo

GOAL_FLAGS = {Goal.ADD_TO_BASKET: "added_to_basket", Goal.ORDER: "ordered"}


@dataclass(frozen=True)
class ArmResult:
    arm: str
    shows: str
    visitors: int
    conversions: int
    plays: int
    sound_on: int
    try_ons: int
    rate: stats.Interval


@dataclass(frozen=True)
class Results:
    experiment: Experiment
    control: ArmResult
    treatment: ArmResult
    lift: stats.Interval
    sentence: str

    @property
    def arms(self) -> tuple[ArmResult, ArmResult]:
        return self.control, self.treatment

    @property
    def suggested_winner(self) -> str:
        """The arm the interval favours, or "" while nothing can be told apart."""
        verdict = self.lift.verdict
        return {"better": ArmChoice.TREATMENT, "worse": ArmChoice.CONTROL}.get(verdict, "")


def shows_label(shows: str) -> str:
    """A person's name for what an arm shows: the preset, a particular video (its remix change), or the photo."""
    if shows.startswith(VIDEO_ARM):
        video = ProductVideo.objects.filter(pk=shows.removeprefix(VIDEO_ARM)).first()
        if video is not None and video.remix_prompt:
            return _("Video #%(pk)s (remix: %(change)s)") % {"pk": video.pk, "change": video.remix_prompt}
        return _("Video #%(pk)s") % {"pk": shows.removeprefix(VIDEO_ARM)}
    return str(preset_label(shows)) if shows else _("Photo only")


def counts(experiment: Experiment) -> dict[str, dict[str, int]]:
    """Visitors and flags per arm, in one query."""
    flag = GOAL_FLAGS.get(experiment.goal, "added_to_basket")
    rows = experiment.exposures.values("arm").annotate(
        visitors=Count("pk"),
        conversions=Count("pk", filter=Q(**{flag: True})),
        plays=Count("pk", filter=Q(played=True)),
        sound_on=Count("pk", filter=Q(sound_on=True)),
        try_ons=Count("pk", filter=Q(tried_on=True)),
    )
    empty = {"visitors": 0, "conversions": 0, "plays": 0, "sound_on": 0, "try_ons": 0}
    found = {row.pop("arm"): row for row in rows}
    return {arm: {**empty, **found.get(arm, {})} for arm in ArmChoice.values}


def results(experiment: Experiment) -> Results:
    data = counts(experiment)
    arms = {}
    for arm in ArmChoice.values:
        row = data[arm]
        arms[arm] = ArmResult(
            arm=arm,
            shows=experiment.shows(arm),
            rate=stats.rate(stats.Arm(row["visitors"], row["conversions"])),
            **row,
        )
    control, treatment = arms[ArmChoice.CONTROL], arms[ArmChoice.TREATMENT]
    lift = stats.lift(
        stats.Arm(control.visitors, control.conversions),
        stats.Arm(treatment.visitors, treatment.conversions),
        p=experiment.treatment_share,
    )
    return Results(experiment, control, treatment, lift, sentence(experiment, control, treatment, lift))


def sentence(experiment: Experiment, control: ArmResult, treatment: ArmResult, lift: stats.Interval) -> str:
    """What the numbers say, in words a shop owner acts on."""
    if min(control.visitors, treatment.visitors) < stats.MIN_VISITORS:
        return _("Too few visitors yet: each arm needs at least %(count)d before anything is said.") % {
            "count": stats.MIN_VISITORS
        }
    goal = {Goal.ORDER: _("orders")}.get(experiment.goal, _("add-to-basket"))
    arm = video_arm_name(experiment)
    low, high = abs(lift.low) * 100, abs(lift.high) * 100
    if lift.verdict == "better":
        return _("%(arm)s adds between %(low).1f and %(high).1f percentage points to %(goal)s.") % {
            "arm": arm, "low": lift.low * 100, "high": lift.high * 100, "goal": goal,
        }  # fmt: skip
    if lift.verdict == "worse":
        return _("%(arm)s takes between %(low).1f and %(high).1f percentage points off %(goal)s.") % {
            "arm": arm, "low": min(low, high), "high": max(low, high), "goal": goal,
        }  # fmt: skip
    return _("No difference can be told apart yet.")


def video_arm_name(experiment: Experiment) -> str:
    if not experiment.shows(ArmChoice.CONTROL):
        return _("The video arm")
    return _("The treatment arm (%(shows)s)") % {"shows": shows_label(experiment.shows(ArmChoice.TREATMENT))}
