"""Experiments for tests, and visitors whose arm is known in advance."""

from __future__ import annotations

import hashlib

from sora_products.experiments.assignment import arm_of
from sora_products.experiments.models import Experiment, Scope

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def photo_vs_video(**fields) -> Experiment:
    fields.setdefault("name", "Does the showcase video sell?")
    fields.setdefault("scope", Scope.SHOP)
    fields.setdefault("control_preset", "")
    fields.setdefault("treatment_preset", "showcase")
    return Experiment.objects.create(**fields)


def visitor(n: int) -> str:
    return hashlib.md5(f"visitor {n}".encode()).hexdigest()


def visitor_in(experiment: Experiment, arm: str, start: int = 0) -> str:
    """The first simulated visitor from ``start`` whom the hash puts in ``arm``."""
    n = start
    while arm_of(experiment.pk, visitor(n), experiment.treatment_share) != arm:
        n += 1
    return visitor(n)
