"""Pre-rendering try-on videos under a budget: the buckets that serve the most expected shoppers per dollar.

A shopper is served at once when their product, size and scene has a live video within
TRY_ON["STAND_IN_CM"] of their height bucket (their own, or a stand-in). Who the shoppers are comes
from the shop's own past asks once there are ``MIN_HISTORY`` of them, else from a normal distribution of
heights (TRY_ON["HEIGHT_MEAN_CM"], ["HEIGHT_SD_CM"]) and even shares of sizes and scenes. Every video
of the try-on preset costs the same, so the plan picks, again and again, the bucket that serves the most
shoppers not yet served (greedy set cover, within 1 - 1/e of the best), and on a tie the one more shoppers
ask for exactly.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models

from sora_products import budget
from sora_products.catalog import get_adapter
from sora_products.conf import app_settings
from sora_products.models import ACTIVE_STATUSES, ProductVideo, TryOnRequest, VideoStatus
from sora_products.specs import SpecError, TryOnProfile, bucket_height, build_spec

MIN_HISTORY = 200
DEFAULT_HEIGHT_MEAN_CM = 160.0
DEFAULT_HEIGHT_SD_CM = 7.0

Line = tuple[int, str, str]  # (product index, size, scene): the shoppers one stand-in can serve


@dataclass(frozen=True)
class ShopperMix:
    """Expected shares of shoppers by height bucket, size and scene (each sums to 1)."""

    heights: dict[int, float]
    sizes: dict[str, float]
    scenes: dict[str, float]
    source: str  # "history" or "assumed"


@dataclass
class PrerenderPlan:
    """What a budget buys: the buckets to make, what they cost, and the share of shoppers served at once."""

    products: list[models.Model]
    to_make: list[tuple[models.Model, TryOnProfile]] = field(default_factory=list)
    per_video: Decimal = Decimal("0")
    coverage_before: float = 0.0
    coverage: float = 0.0
    mix: ShopperMix | None = None

    @property
    def cost(self) -> Decimal:
        return self.per_video * len(self.to_make)


def _normal_cdf(x: float, mean: float, sd: float) -> float:
    return 0.5 * (1 + math.erf((x - mean) / (sd * math.sqrt(2))))


def bucket_heights() -> list[int]:
    options = app_settings.TRY_ON
    return sorted({bucket_height(h) for h in range(int(options["HEIGHT_MIN_CM"]), int(options["HEIGHT_MAX_CM"]) + 1)})


def assumed_heights() -> dict[int, float]:
    """Each height bucket's share under a normal distribution of heights, the tails folded into the ends."""
    options = app_settings.TRY_ON
    mean = float(options.get("HEIGHT_MEAN_CM") or DEFAULT_HEIGHT_MEAN_CM)
    sd = max(float(options.get("HEIGHT_SD_CM") or DEFAULT_HEIGHT_SD_CM), 0.1)
    buckets = bucket_heights()
    edges = [(a + b) / 2 for a, b in zip(buckets, buckets[1:], strict=False)]
    cdf = [0.0, *(_normal_cdf(edge, mean, sd) for edge in edges), 1.0]
    return {bucket: cdf[i + 1] - cdf[i] for i, bucket in enumerate(buckets)}


def _shares(counts: Counter, keys: Iterable[Any]) -> dict[Any, float]:
    keys = list(keys)
    total = sum(counts[key] for key in keys)
    if not total:
        return {key: 1 / len(keys) for key in keys} if keys else {}
    return {key: counts[key] / total for key in keys}


def shopper_mix() -> ShopperMix:
    """The shop's own past asks when there are enough, else the assumed distribution."""
    options = app_settings.TRY_ON
    sizes, scenes = list(options["SIZES"]), list(options["SCENES"])
    profiles = [p for p in TryOnRequest.objects.exclude(profile={}).values_list("profile", flat=True)[:100_000]]
    if len(profiles) >= MIN_HISTORY:
        heights = Counter(bucket_height(int(p["height_cm"])) for p in profiles if "height_cm" in p)
        return ShopperMix(
            heights=_shares(heights, bucket_heights()),
            sizes=_shares(Counter(p.get("size") for p in profiles), sizes),
            scenes=_shares(Counter(p.get("scene") for p in profiles), scenes),
            source="history",
        )
    even = Counter()
    return ShopperMix(assumed_heights(), _shares(even, sizes), _shares(even, scenes), "assumed")


def coverage(lines: dict[Line, set[int]], mix: ShopperMix, product_count: int) -> float:
    """The share of shoppers served at once by live buckets ``lines`` ({(product, size, scene): heights})."""
    reach = int(app_settings.TRY_ON.get("STAND_IN_CM", 10) or 0)
    served = 0.0
    for (_product, size, scene), made in lines.items():
        weight = mix.sizes.get(size, 0) * mix.scenes.get(scene, 0) / product_count
        served += weight * sum(share for h, share in mix.heights.items() if any(abs(h - m) <= reach for m in made))
    return served


def _made_buckets(products: list[models.Model]) -> dict[Line, set[int]]:
    """The buckets already live or being made: they cost nothing more and already serve shoppers."""
    from sora_products.storefront import product_key

    keys = {product_key(product): index for index, product in enumerate(products)}
    rows = ProductVideo.objects.filter(
        preset=app_settings.TRY_ON["PRESET"], outdated=False, status__in=[*ACTIVE_STATUSES, VideoStatus.READY]
    ).values_list("content_type_id", "object_id", "profile")
    made: dict[Line, set[int]] = {}
    for content_type_id, object_id, profile in rows:
        index = keys.get((content_type_id, object_id))
        if index is not None and {"height_cm", "size", "scene"} <= set(profile):
            made.setdefault((index, profile["size"], profile["scene"]), set()).add(int(profile["height_cm"]))
    return made


def plan_prerender(products: Iterable[models.Model], budget_usd: Decimal) -> PrerenderPlan:
    """The buckets to make for ``budget_usd``, chosen by the shoppers each newly serves at once."""
    preset = app_settings.TRY_ON["PRESET"]
    candidates, per_video = [], None
    for product in products:
        adapter = get_adapter(product)
        if not adapter.is_wearable(product) or adapter.get_source_image(product) is None:
            continue
        candidates.append(product)
        if per_video is None:
            try:
                per_video = budget.estimate_spec(build_spec(product, adapter, preset, _any_profile()))
            except SpecError:
                per_video = Decimal("0")
    plan = PrerenderPlan(products=candidates, per_video=per_video or Decimal("0"))
    if not candidates:
        return plan
    mix = plan.mix = shopper_mix()
    made = _made_buckets(candidates)
    plan.coverage_before = coverage(made, mix, len(candidates))
    affordable = int(budget_usd / plan.per_video) if plan.per_video > 0 else 0
    reach = int(app_settings.TRY_ON.get("STAND_IN_CM", 10) or 0)
    heights = list(mix.heights)
    lines = [(index, size, scene) for index in range(len(candidates)) for size in mix.sizes for scene in mix.scenes]
    for _ in range(affordable):
        best, best_rank = None, (1e-12, 0.0)
        for line in lines:
            chosen = made.get(line, set())
            weight = mix.sizes[line[1]] * mix.scenes[line[2]] / len(candidates)
            unserved = [h for h in heights if not any(abs(h - m) <= reach for m in chosen)]
            for height in unserved:
                gain = weight * sum(mix.heights[h] for h in unserved if abs(h - height) <= reach)
                # On a tie, the bucket more shoppers ask for exactly: they get their own video, not a stand-in.
                rank = (round(gain, 12), mix.heights[height])
                if rank > best_rank:
                    best, best_rank = (line, height), rank
        if best is None:
            break
        (index, size, scene), height = best
        made.setdefault((index, size, scene), set()).add(height)
        plan.to_make.append((candidates[index], TryOnProfile(height_cm=height, size=size, scene=scene)))
    plan.coverage = coverage(made, mix, len(candidates))
    return plan


def _any_profile() -> TryOnProfile:
    options = app_settings.TRY_ON
    return TryOnProfile(height_cm=bucket_heights()[0], size=options["SIZES"][0], scene=options["SCENES"][0])
