"""Benchmark: a month of "see it worn" asks under each generation policy, through the real code path.

Run: ``.venv/bin/python bench/bench_tryon_month.py [--days 30] [--shoppers 1000] [--seed 7]``. A throw-away
SQLite database; every shopper goes through ``tryon.request_try_on`` (spec, bucket, demand, get_or_create)
and their answer through the storefront's own state (``shopper_state`` / ``unmade_state``: exact video,
stand-in or nothing). Heights N(160 cm, 7 cm), 4 sizes, 2 scenes, new sessions every day, budget caps
off; shoppers come evenly over the day (1,000 a day: one every 86 s) and a video asked for is live
``--minutes`` (3) later, so a shopper a few minutes after another plays what the first one asked for.
Catalogues: 10 products asked evenly, and a long tail of 500 with Zipf popularity (s = 1.1).
Prints each policy's daily curve (paid generations, cost, share of asks that start playing a video of
their own size and scene at once) and the month against the targets of issue 15, with ok/FAIL, plus
50 concurrent asks for one bucket. Always exits 0.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = ["S", "M", "L", "XL"]
SCENES = ["studio", "street"]
ZIPF_S = 1.1


@dataclass(frozen=True)
class Run:
    name: str
    policy: str
    products: int
    zipf: bool = False
    prerender: str = ""  # "" | "budget" ($20 with the planner) | "median" (one per product, size, scene)


RUNS = [
    Run("always, 10 products, $20 pre-rendered", "always", 10, prerender="budget"),
    Run("on_demand (3), 10 products", "on_demand", 10),
    Run("never, 10 products, one bucket per product/size/scene at 160 cm", "never", 10, prerender="median"),
    Run("always, long tail of 500 products", "always", 500, zipf=True),
    Run("on_demand (3), long tail of 500 products", "on_demand", 500, zipf=True),
]


@dataclass
class Month:
    run: Run
    per_video: Decimal = Decimal("0")
    prerendered: int = 0
    asks: int = 0
    generations: list[int] = field(default_factory=list)
    at_once: list[float] = field(default_factory=list)
    duplicates: int = 0
    seconds: float = 0.0

    @property
    def paid(self) -> int:
        return self.prerendered + sum(self.generations)

    @property
    def ratio(self) -> float:
        return self.asks / max(self.paid, 1)


def configure(workdir: Path) -> None:
    from _django import setup_demo

    setup_demo(workdir)


def use_settings(policy: str) -> None:
    from django.conf import settings

    from sora_products.conf import app_settings

    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "QUEUE": "sora_products.queues.CapturingQueue",
        "AUTO_GENERATE": False,
        "REQUIRE_APPROVAL": False,
        "BUDGET": {"DAILY": None, "MONTHLY": None, "SHOPPER_DAILY": None},
        "TRY_ON": {
            "ENABLED": True,
            "SIZES": SIZES,
            "SCENES": SCENES,
            "HEIGHT_STEP_CM": 5,
            "MAX_PENDING_PER_SESSION": 0,
            "STAND_IN_CM": 10,
            "GENERATE": policy,
            "DEMAND_THRESHOLD": 3,
        },
    }
    app_settings.reload()


def catalogue(count: int) -> list:
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from demo_shop.catalog.models import Product
    from sora_products.models import ProductVideo, TryOnRequest

    TryOnRequest.objects.all().delete()
    ProductVideo.objects.all().delete()
    Product.objects.all().delete()
    buffer = io.BytesIO()
    Image.new("RGB", (400, 500), (139, 160, 128)).save(buffer, "JPEG")
    photo = ContentFile(buffer.getvalue(), name="dress.jpg")
    products = []
    for number in range(count):
        product = Product(
            name=f"Linen dress {number}",
            slug=f"linen-dress-{number}",
            price=Decimal("49.00"),
            category="apparel",
            colour="Sage",
            description="A relaxed linen dress.",
        )
        product.image.save(f"dress-{number}.jpg", photo, save=False)
        product.save()
        products.append(product)
    return products


def make_ready(pks: list[int] | None = None) -> int:
    """The videos asked for (``pks``, else all) are made: live from now on."""
    from django.utils import timezone

    from sora_products import live_counter
    from sora_products.models import ProductVideo, VideoStatus

    rows = ProductVideo.objects.filter(status=VideoStatus.REQUESTED)
    if pks is not None:
        rows = rows.filter(pk__in=pks)
    made = rows.update(status=VideoStatus.READY, progress=100, completed_at=timezone.now())
    if made:
        live_counter.changed()
    return made


def prerender(run: Run, products: list) -> int:
    from sora_products import jobs, tryon_plan
    from sora_products.models import Origin
    from sora_products.specs import TryOnProfile

    if run.prerender == "budget":
        chosen = tryon_plan.plan_prerender(products, Decimal("20.00")).to_make
    elif run.prerender == "median":
        chosen = [(p, TryOnProfile(160, size, scene)) for p in products for size in SIZES for scene in SCENES]
    else:
        return 0
    for product, profile in chosen:
        jobs.request_video(product, "worn", profile=profile, origin=Origin.COMMAND)
    return make_ready()


def played_at_once(ask) -> bool:
    """The shopper's page starts a video of their own size and scene at once: their own, or a stand-in."""
    from sora_products.storefront.shopper_state import shopper_state, unmade_state

    state = shopper_state(ask.video) if ask.video is not None else unmade_state(ask.product, ask.profile.as_dict())
    return state.ready or bool(state.stand_in and state.stand_in["height_cm"] is not None)


def simulate(run: Run, days: int, shoppers: int, seed: int, minutes: float) -> Month:
    from sora_products import budget, tryon
    from sora_products.models import ProductVideo
    from sora_products.specs import TryOnProfile

    use_settings(run.policy)
    products = catalogue(run.products)
    month = Month(run)
    month.per_video = budget.estimate_cost("default", "sora-2", "720x1280", 8)
    month.prerendered = prerender(run, products)
    weights = [1 / (rank + 1) ** ZIPF_S for rank in range(len(products))] if run.zipf else None
    rng = random.Random(seed)
    # How many shoppers come while one video is made (1,000 a day: one every 86.4 s).
    lag = max(1, round(minutes * 60 / (86_400 / shoppers)))
    making: list[tuple[int, int]] = []  # (the shopper number at which it is live, video id)
    started = time.perf_counter()
    for day in range(days):
        before = ProductVideo.objects.count()
        served = 0
        for number in range(shoppers):
            clock = day * shoppers + number
            due = [pk for at, pk in making if at <= clock]
            if due:
                make_ready(due)
                making = [(at, pk) for at, pk in making if at > clock]
            product = rng.choices(products, weights=weights)[0]
            height = min(max(round(rng.gauss(160, 7)), 140), 200)
            profile = TryOnProfile.from_choices(height, rng.choice(SIZES), rng.choice(SCENES))
            ask = tryon.request_try_on(product, profile, session_key=f"day{day}-shopper{number}")
            served += played_at_once(ask)
            if ask.created:
                making.append((clock + lag, ask.video.pk))
        month.generations.append(ProductVideo.objects.count() - before)
        month.at_once.append(served / shoppers)
        month.asks += shoppers
    month.seconds = time.perf_counter() - started
    rows = ProductVideo.objects.values_list("content_type_id", "object_id", "spec_key")
    month.duplicates = len(rows) - len(set(rows))
    return month


def concurrent_asks(count: int = 50) -> tuple[int, list]:
    """``count`` shoppers asking for one new bucket at the same moment: how many videos, and any errors."""
    from django.db import connections

    from demo_shop.catalog.models import Product
    from sora_products import tryon
    from sora_products.models import ProductVideo
    from sora_products.specs import TryOnProfile

    use_settings("always")
    (product,) = catalogue(1)
    barrier, errors = threading.Barrier(count), []

    def ask(number: int) -> None:
        try:
            mine = Product.objects.get(pk=product.pk)
            barrier.wait(timeout=30)
            tryon.request_try_on(mine, TryOnProfile.from_choices(170, "M", "studio"), session_key=f"s{number}")
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return ProductVideo.objects.filter(preset="worn").count(), errors


def verdict(ok: bool) -> str:
    return "ok" if ok else "FAIL"


def report(months: dict[str, Month], days: int) -> None:
    for month in months.values():
        print(
            f"\n--- {month.run.name}: {month.asks} asks over {days} days, "
            f"{month.seconds / month.asks * 1000:.1f} ms/ask"
        )
        if month.prerendered:
            print(f"    pre-rendered before day 1: {month.prerendered} videos (${month.prerendered * month.per_video})")
        print("    day  generations  cost/day  played at once")
        for day, (made, share) in enumerate(zip(month.generations, month.at_once, strict=True), start=1):
            print(f"    {day:3d}  {made:11d}  ${made * month.per_video:7.2f}  {share:6.1%}")
        naive = month.asks * month.per_video
        print(
            f"    month: {month.paid} paid generations (${month.paid * month.per_video:.2f}) vs {month.asks} "
            f"one per ask (${naive:,.2f}) -> {month.ratio:.1f}x cheaper; {month.duplicates} duplicate(s)"
        )

    always, demand, never = months["always"], months["on_demand"], months["never"]
    tail_always, tail_demand = months["tail_always"], months["tail_on_demand"]
    print("\n=== targets (issue 15)")
    dupes = sum(m.duplicates for m in months.values())
    print(f"paid generations never exceed distinct buckets: {dupes} duplicates {verdict(dupes == 0)}")
    print(f'"always" month cost vs one per ask: {always.ratio:.1f}x (target >= 35x) {verdict(always.ratio >= 35)}')
    print(f'"on_demand" month cost vs one per ask: {demand.ratio:.1f}x (target >= 45x) {verdict(demand.ratio >= 45)}')
    fewer = tail_always.paid / max(tail_demand.paid, 1)
    print(
        f'long tail: "on_demand" makes {fewer:.1f}x fewer videos than "always" ({tail_demand.paid} vs '
        f"{tail_always.paid}; target >= 3x) {verdict(fewer >= 3)}"
    )
    at_once = sum(s * 1 for s in never.at_once) / len(never.at_once)
    print(
        f'"never" month cost vs one per ask: {never.ratio:.1f}x (target >= 300x) {verdict(never.ratio >= 300)}, '
        f"{at_once:.1%} of asks played at once (target >= 90%) {verdict(at_once >= 0.9)}"
    )
    first = always.at_once[0]
    later = min(always.at_once[6:]) if len(always.at_once) > 6 else float("nan")
    print(
        f'"always" after a $20 pre-render, played at once: day 1 {first:.1%} (target >= 60%) {verdict(first >= 0.6)}; '
        f"lowest from day 7 {later:.1%} (target >= 95%) {verdict(later >= 0.95)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--shoppers", type=int, default=1000, help="asks per day")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--minutes", type=float, default=3.0, help="how long a video takes to make")
    args = parser.parse_args()
    keys = ["always", "on_demand", "never", "tail_always", "tail_on_demand"]
    with tempfile.TemporaryDirectory(prefix="sora-bench-month-") as tmp:
        configure(Path(tmp))
        months = {
            key: simulate(run, args.days, args.shoppers, args.seed, args.minutes)
            for key, run in zip(keys, RUNS, strict=True)
        }
        videos, errors = concurrent_asks()
    report(months, args.days)
    print(
        f"50 concurrent asks for one new bucket: {videos} video(s), {len(errors)} error(s) "
        f"{verdict(videos == 1 and not errors)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
