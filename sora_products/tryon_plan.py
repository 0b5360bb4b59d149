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

import heapq
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
from sora_products.models import ACTIVE_STATUSES, ProductVideo, TryOnRequest
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


def product_shares(products: list[models.Model], mix: ShopperMix) -> list[float]:
    """Each product's share of shoppers: its share of past asks with a history, else an even share."""
    if mix.source != "history":
        return [1 / len(products)] * len(products)
    from sora_products.storefront import product_key

    index = {product_key(product): n for n, product in enumerate(products)}
    counts = Counter(
        index.get((content_type_id, object_id))
        for content_type_id, object_id in TryOnRequest.objects.values_list("content_type_id", "object_id")[:100_000]
    )
    total = sum(count for n, count in counts.items() if n is not None)
    if not total:
        return [1 / len(products)] * len(products)
    return [counts.get(n, 0) / total for n in range(len(products))]


def coverage(lines: dict[Line, set[int]], mix: ShopperMix, shares: list[float]) -> float:
    """The share of shoppers served at once by live buckets ``lines`` ({(product, size, scene): heights})."""
    reach = int(app_settings.TRY_ON.get("STAND_IN_CM", 10) or 0)
    served = 0.0
    for (product, size, scene), made in lines.items():
        weight = mix.sizes.get(size, 0) * mix.scenes.get(scene, 0) * shares[product]
        served += weight * sum(share for h, share in mix.heights.items() if any(abs(h - m) <= reach for m in made))
    return served


def _existing_buckets(products: list[models.Model]) -> tuple[dict[Line, set[int]], set[tuple[Line, int]]]:
    """Buckets live or being made (they cost nothing more and serve shoppers), and buckets whose row is dead.

    A dead row (failed, canceled, rejected, parked) would be handed back unchanged by an ask, so the plan
    cannot buy that bucket: it is left out, not counted as made.
    """
    from sora_products.storefront import product_key

    keys = {product_key(product): index for index, product in enumerate(products)}
    rows = ProductVideo.objects.filter(preset=app_settings.TRY_ON["PRESET"], outdated=False)
    live = set(rows.live().values_list("pk", flat=True))
    made: dict[Line, set[int]] = {}
    dead: set[tuple[Line, int]] = set()
    for pk, content_type_id, object_id, profile, status in rows.values_list(
        "pk", "content_type_id", "object_id", "profile", "status"
    ):
        index = keys.get((content_type_id, object_id))
        if index is None or not {"height_cm", "size", "scene"} <= set(profile):
            continue
        line, height = (index, profile["size"], profile["scene"]), int(profile["height_cm"])
        if pk in live or status in ACTIVE_STATUSES:
            made.setdefault(line, set()).add(height)
        else:
            dead.add((line, height))
    return made, dead


def _best_in_line(line: Line, made: set[int], weight: float, mix: ShopperMix, reach: int, dead: set) -> tuple:
    """(gain, exact share, height) of the best bucket still to buy in one line, or None."""
    unserved = [h for h in mix.heights if not any(abs(h - m) <= reach for m in made)]
    best = None
    for height in unserved:
        if (line, height) in dead:
            continue
        gain = weight * sum(mix.heights[h] for h in unserved if abs(h - height) <= reach)
        # On a tie, the bucket more shoppers ask for exactly: they get their own video, not a stand-in.
        rank = (round(gain, 12), mix.heights[height], -height)
        if gain > 1e-12 and (best is None or rank > best):
            best = rank
    return best


def plan_prerender(products: Iterable[models.Model], budget_usd: Decimal) -> PrerenderPlan:
    """The buckets to make for ``budget_usd``, chosen by the shoppers each newly serves at once.

    Products are the ones the storefront offers try-on for, each as the product it shares videos with
    (an Oscar variant plans its parent's buckets once).
    """
    from sora_products import tryon

    preset = app_settings.TRY_ON["PRESET"]
    candidates, seen, per_video = [], set(), None
    for product in products:
        adapter = get_adapter(product)
        product = adapter.get_video_product(product)
        identity = (type(product), product.pk)
        if identity in seen or not tryon.offers_try_on(product, adapter):
            continue
        seen.add(identity)
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
    shares = product_shares(candidates, mix)
    made, dead = _existing_buckets(candidates)
    plan.coverage_before = coverage(made, mix, shares)
    affordable = int(budget_usd / plan.per_video) if plan.per_video > 0 else 0
    reach = int(app_settings.TRY_ON.get("STAND_IN_CM", 10) or 0)
    weights = {
        (index, size, scene): shares[index] * mix.sizes[size] * mix.scenes[scene]
        for index in range(len(candidates))
        for size in mix.sizes
        for scene in mix.scenes
    }
    # Lines are independent: buying in one changes no other line's best, so a heap re-scores one line a pick.
    heap = []
    for line, weight in weights.items():
        best = _best_in_line(line, made.get(line, set()), weight, mix, reach, dead)
        if best is not None:
            heap.append((tuple(-x for x in best), line))
    heapq.heapify(heap)
    while heap and len(plan.to_make) < affordable:
        negative, line = heapq.heappop(heap)
        height = int(negative[2])
        made.setdefault(line, set()).add(height)
        index, size, scene = line
        plan.to_make.append((candidates[index], TryOnProfile(height_cm=height, size=size, scene=scene)))
        best = _best_in_line(line, made[line], weights[line], mix, reach, dead)
        if best is not None:
            heapq.heappush(heap, (tuple(-x for x in best), line))
    plan.coverage = coverage(made, mix, shares)
    return plan


def _any_profile() -> TryOnProfile:
    options = app_settings.TRY_ON
    return TryOnProfile(height_cm=bucket_heights()[0], size=options["SIZES"][0], scene=options["SCENES"][0])
