"""The always-valid intervals: a known case by hand, and seeded simulations with a look every day."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sora_products.experiments.stats import MIN_VISITORS, Arm, lift, radius, rate, rho

DAYS, PER_DAY, RUNS = 30, 500, 400


def test_a_known_case_by_hand():
    control, treatment = Arm(20_000, 1000), Arm(20_000, 1300)  # 5.0 % and 6.5 %
    interval = lift(control, treatment)
    t, p = 40_000, 0.5
    mean = (1300 / p - 1000 / (1 - p)) / t
    variance = (1300 / p**2 + 1000 / (1 - p) ** 2) / t - mean**2
    r2 = (-2 * math.log(0.05) + math.log(-2 * math.log(0.05) + 1)) / 10_000
    # Theorem 2.2's form: the sample standard deviation outside, ρ on the standardised scale.
    half = math.sqrt(variance) * math.sqrt(2 * (t * r2 + 1) / (t * t * r2) * math.log(math.sqrt(t * r2 + 1) / 0.05))
    assert interval.estimate == pytest.approx(0.015)
    assert (interval.low, interval.high) == pytest.approx((mean - half, mean + half))
    assert interval.verdict == "better" and interval.low == pytest.approx(0.0075, abs=1e-4)
    # A fifth as many visitors: a fixed-sample 95 % interval would already say "better" (its low end is
    # +0.45 points); this one, valid at every look, does not yet (it is about 1.55 times as wide).
    assert lift(Arm(4000, 200), Arm(4000, 260)).verdict == "undecided"
    assert rho() ** 2 == pytest.approx(r2) and radius(t, variance) == pytest.approx(half)


def test_nothing_is_said_before_both_arms_have_enough_visitors_and_bad_counts_are_refused():
    assert lift(Arm(MIN_VISITORS - 1, 10), Arm(5000, 400)).verdict == "undecided"
    assert rate(Arm(10, 3)).low == 0.0 and rate(Arm(10, 3)).high == 1.0
    with pytest.raises(ValueError, match="conversions <= visitors"):
        Arm(10, 11)
    with pytest.raises(ValueError, match="between 0 and 1"):
        lift(Arm(500, 5), Arm(500, 5), p=1.0)


def daily_intervals(rate_control: float, rate_treatment: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """RUNS simulated experiments, visitors split 50/50 at random, an interval at the end of every day."""
    rng = np.random.default_rng(seed)
    visitors = DAYS * PER_DAY
    lows, highs = np.empty((RUNS, DAYS)), np.empty((RUNS, DAYS))
    for run in range(RUNS):
        treated = rng.random(visitors) < 0.5
        converted = rng.random(visitors) < np.where(treated, rate_treatment, rate_control)
        ends = np.arange(1, DAYS + 1) * PER_DAY
        seen_t = np.cumsum(treated)[ends - 1]
        conv_t = np.cumsum(converted & treated)[ends - 1]
        conv_c = np.cumsum(converted & ~treated)[ends - 1]
        for day in range(DAYS):
            interval = lift(
                Arm(int(ends[day] - seen_t[day]), int(conv_c[day])), Arm(int(seen_t[day]), int(conv_t[day]))
            )
            lows[run, day], highs[run, day] = interval.low, interval.high
    return lows, highs


def test_the_interval_holds_the_true_lift_at_every_daily_look_in_at_least_95_percent_of_runs():
    lows, highs = daily_intervals(0.05, 0.065, seed=20261201)
    covered_every_day = ((lows <= 0.015) & (0.015 <= highs)).all(axis=1)
    assert covered_every_day.mean() >= 0.95, covered_every_day.mean()
    assert (lows[:, -1] > 0).mean() > 0.5  # and it finds the lift in most runs by day 30


def test_with_no_difference_a_winner_is_declared_on_some_day_in_at_most_5_percent_of_runs():
    lows, highs = daily_intervals(0.05, 0.05, seed=20261202)
    ever_decided = ((lows > 0) | (highs < 0)).any(axis=1)
    assert ever_decided.mean() <= 0.05, ever_decided.mean()


def test_why_not_a_plain_95_percent_interval_looked_at_every_day():
    """The same null simulations with the fixed-sample interval (1.96 standard errors) declare many false winners."""
    rng = np.random.default_rng(20261202)
    ever = 0
    for _run in range(RUNS):
        treated = rng.random(DAYS * PER_DAY) < 0.5
        converted = rng.random(DAYS * PER_DAY) < 0.05
        ends = np.arange(1, DAYS + 1) * PER_DAY
        n_t, n_c = np.cumsum(treated)[ends - 1], ends - np.cumsum(treated)[ends - 1]
        r_t = np.cumsum(converted & treated)[ends - 1] / n_t
        r_c = np.cumsum(converted & ~treated)[ends - 1] / n_c
        se = np.sqrt(r_t * (1 - r_t) / n_t + r_c * (1 - r_c) / n_c)
        ever += bool((np.abs(r_t - r_c) > 1.96 * se).any())
    assert ever / RUNS > 0.15  # about 28 % in this seed's runs, against at most 5 % above


def test_no_conversions_still_give_an_interval_of_some_width():
    assert rate(Arm(500, 0)).high > 0.005
    interval = lift(Arm(500, 0), Arm(500, 0))
    assert interval.low < 0 < interval.high and interval.verdict == "undecided"
