"""Always-valid intervals for a two-arm conversion experiment, from counters alone.

A shop looks at its experiment every day, and a fixed-sample interval looked at daily declares false
winners far more often than its 5 %. These are asymptotic confidence sequences (Waudby-Smith, Arbour,
Sinha, Kennedy and Ramdas, "Time-uniform central limit theory and asymptotic confidence sequences",
Annals of Statistics 2024): for i.i.d. observations ψ with mean Δ, after t of them

    mean(ψ) ± σ̂ · sqrt( 2 (t ρ² + 1) / (t² ρ²) · log( sqrt(t ρ² + 1) / α ) )

holds Δ at every t at once with probability at least 1 − α (asymptotically), so every daily look is
covered. Visitors are randomised to the treatment arm with probability ``p``; the inverse-probability
weighted ψ = Y · (1{treatment} / p − 1{control} / (1 − p)) has mean rate(treatment) − rate(control),
and its sums need only each arm's visitors and conversions; σ̂ is ψ's sample standard deviation, so ρ
is on the standardised scale the paper gives it. ρ makes the interval tightest near ``tight_at``
visitors; any fixed ρ keeps the guarantee.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

DEFAULT_ALPHA = 0.05
DEFAULT_TIGHT_AT = 10_000
MIN_VISITORS = 100
"""Below this many visitors in either arm no interval is given: the asymptotics have not set in."""


@dataclass(frozen=True)
class Arm:
    visitors: int
    conversions: int

    def __post_init__(self) -> None:
        if self.visitors < 0 or not 0 <= self.conversions <= max(self.visitors, 0):
            raise ValueError(f"an arm needs 0 <= conversions <= visitors, not {self.conversions}/{self.visitors}")

    @property
    def rate(self) -> float:
        return self.conversions / self.visitors if self.visitors else 0.0


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float

    @property
    def verdict(self) -> str:
        """"better" or "worse" once the interval leaves zero, else "undecided"."""
        if self.low > 0:
            return "better"
        if self.high < 0:
            return "worse"
        return "undecided"


UNDECIDED = Interval(0.0, -math.inf, math.inf)


def rho(alpha: float = DEFAULT_ALPHA, tight_at: int = DEFAULT_TIGHT_AT) -> float:
    """The mixing scale that makes the interval tightest near ``tight_at`` observations (the paper's choice)."""
    log_term = -2 * math.log(alpha)
    return math.sqrt((log_term + math.log(log_term + 1)) / tight_at)


def radius(t: int, variance: float, alpha: float = DEFAULT_ALPHA, tight_at: int = DEFAULT_TIGHT_AT) -> float:
    """Half the width of the asymptotic confidence sequence after ``t`` observations of this variance."""
    r2 = rho(alpha, tight_at) ** 2
    spread = t * r2 + 1
    return math.sqrt(variance) * math.sqrt(2 * spread / (t * t * r2) * math.log(math.sqrt(spread) / alpha))


def lift(
    control: Arm,
    treatment: Arm,
    *,
    p: float = 0.5,
    alpha: float = DEFAULT_ALPHA,
    tight_at: int = DEFAULT_TIGHT_AT,
) -> Interval:
    """Always-valid interval for rate(treatment) − rate(control); UNDECIDED until both arms have MIN_VISITORS."""
    if not 0 < p < 1:
        raise ValueError(f"the treatment share p must be between 0 and 1, not {p}")
    if min(control.visitors, treatment.visitors) < MIN_VISITORS:
        return UNDECIDED
    t = control.visitors + treatment.visitors
    total = treatment.conversions / p - control.conversions / (1 - p)
    squares = treatment.conversions / p**2 + control.conversions / (1 - p) ** 2
    mean = total / t
    variance = max(squares / t - mean * mean, 1 / t)  # never a zero-width interval from a run of zeros
    half = radius(t, variance, alpha, tight_at)
    return Interval(mean, mean - half, mean + half)


def rate(arm: Arm, *, alpha: float = DEFAULT_ALPHA, tight_at: int = DEFAULT_TIGHT_AT) -> Interval:
    """Always-valid interval for one arm's conversion rate, clipped to [0, 1]."""
    if arm.visitors < MIN_VISITORS:
        return Interval(arm.rate, 0.0, 1.0)
    # No conversions (or all) would make the sample variance 0 and the interval a point; one visitor's worth
    # of spread keeps it honest.
    variance = max(arm.rate * (1 - arm.rate), 1 / arm.visitors)
    half = radius(arm.visitors, variance, alpha, tight_at)
    return Interval(arm.rate, max(0.0, arm.rate - half), min(1.0, arm.rate + half))
