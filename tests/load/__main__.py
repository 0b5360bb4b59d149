"""`python -m tests.load`: the storefront under load, as CI runs it; exits 1 when a cap or the 5xx count fails.

Phase 1: SHOPPERS simulated shoppers at once, at the run's own (printed) throttle rates, against gunicorn on
PostgreSQL and Redis. Phase 2: the app's default rates; one address that spoofs X-Forwarded-For on every ask
from a fresh session is throttled by network after the default 60 asks an hour, with the sentence. Phase 3,
for contrast: with one trusted proxy too many, the same spoofer does dodge the limit.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from decimal import Decimal

from django.utils import timezone

from tests.load.shop import GUNICORN_THREADS, GUNICORN_WORKERS, SHOPPER_DAILY, LoadShop
from tests.load.shoppers import run_crowd, run_spoofer

RATES = {"ip": "1000/hour", "session": "100/hour", "status": "5000/hour"}
THROTTLED_SENTENCE = "You have asked for a lot of videos in a short time."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.load")
    parser.add_argument("--shoppers", type=int, default=200)
    args = parser.parse_args(argv)
    failures: list[str] = []

    def check(ok: bool, sentence: str) -> None:
        print(f"  {'ok  ' if ok else 'FAIL'} {sentence}")
        if not ok:
            failures.append(sentence)

    with LoadShop() as shop:
        shop.setup_django()
        from sora_products import budget, tryon
        from sora_products.models import ACTIVE_STATUSES, ProductVideo, TryOnRequest, VideoStatus

        print(f"gunicorn: {GUNICORN_WORKERS} workers x {GUNICORN_THREADS} threads, PostgreSQL, Redis cache and broker")
        print(f"phase 1: {args.shoppers} shoppers at once; throttle rates {RATES}; 1 trusted proxy; "
              f"shopper budget ${SHOPPER_DAILY}/day; at most {tryon.max_pending()} pending videos per session")
        shop.serve(rates=RATES, num_proxies=1)
        crowd = asyncio.run(run_crowd(shop.url, args.shoppers))
        print(crowd.table())

        # Let the worker take every accepted ask to the provider (or refuse it under the ledger lock).
        deadline = time.monotonic() + 120
        waiting = [VideoStatus.REQUESTED, VideoStatus.SUBMITTING]
        while ProductVideo.objects.filter(preset="worn", status__in=waiting).exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        creates = shop.emulator.stats()["creates"]
        worn = ProductVideo.objects.filter(preset="worn")
        cost = worn.exclude(estimated_cost=None).first().estimated_cost
        spent = budget.committed_total(timezone.localdate(), shopper_only=True)
        expected = int(Decimal(SHOPPER_DAILY) // cost)
        asks = crowd.by_endpoint()["ask"]
        codes = Counter(record.code or str(record.status) for record in asks)
        # The cap is on what one session starts; joining a bucket another shopper started costs nothing.
        starter = {}
        for video_id, session_key in TryOnRequest.objects.order_by("pk").values_list("video_id", "session_key"):
            starter.setdefault(video_id, session_key)
        pending = worn.filter(status__in=ACTIVE_STATUSES).values_list("pk", flat=True)
        most_pending = max(Counter(starter[pk] for pk in pending if pk in starter).values(), default=0)
        print(f"  asks by outcome {dict(codes)}; {creates} creates at the emulator at ${cost} each, "
              f"${spent} of ${SHOPPER_DAILY} committed; {worn.count()} try-on videos, "
              f"{worn.filter(status=VideoStatus.BLOCKED).count()} held back by the worker's budget check")
        check(not crowd.dropped(), f"no request dropped without an answer ({[r.detail for r in crowd.dropped()][:3]})")
        errors = crowd.server_errors()
        check(not errors, f"no 5xx ({Counter((r.endpoint, r.status) for r in errors)})")
        check(creates == expected, f"the shopper budget holds exactly: {creates} creates = ${SHOPPER_DAILY} // ${cost}")
        check(spent <= Decimal(SHOPPER_DAILY), f"committed shopper spend ${spent} <= ${SHOPPER_DAILY}")
        past_budget = [record for record in asks if record.code == "budget_shopper_daily"]
        check(bool(past_budget) and all(record.status == 429 for record in past_budget),
              "asks past the budget were answered 429 with the budget sentence")
        check(most_pending <= tryon.max_pending() and max(crowd.accepted.values()) <= tryon.max_pending(),
              f"no session started more than {tryon.max_pending()} pending videos (most: {most_pending})")
        check(codes["too_many_pending"] > 0, f"{codes['too_many_pending']} asks past the pending cap were answered 429")
        refusals = [record for record in asks if record.status >= 400]
        check(all(record.detail.endswith(".") for record in refusals), "every refused ask says why in a sentence")

        print("phase 2: the default throttle rates, 1 trusted proxy; one address, 70 asks, each from a fresh "
              "session behind a different spoofed X-Forwarded-For")
        shop.serve(rates=None, num_proxies=1)
        spoofer = asyncio.run(run_spoofer(shop.url, asks=70))
        outcomes = [(record.status, record.code) for record in spoofer.by_endpoint()["ask"]]
        throttled = [r for r in spoofer.by_endpoint()["ask"] if r.code == "throttled"]
        print(f"  outcomes {dict(Counter(outcomes))}; first throttled ask: "
              f"{next((n + 1 for n, o in enumerate(outcomes) if o[1] == 'throttled'), None)}")
        check(len(throttled) == 10 and all(o[1] == "throttled" for o in outcomes[60:]),
              "the spoofer is throttled by its real network after 60 asks (the default ip rate, 60/hour)")
        check(all(r.status == 429 and r.detail.startswith(THROTTLED_SENTENCE) for r in throttled),
              f"throttled asks answer 429 with the sentence: {throttled[0].detail if throttled else ''!r}")
        check(not spoofer.server_errors() and not spoofer.dropped(), "no 5xx, nothing dropped")

        print("phase 3, for contrast: 2 trusted proxies where there is 1; the same spoofer")
        shop.serve(rates=None, num_proxies=2)
        dodger = asyncio.run(run_spoofer(shop.url, asks=70, number=100_001))
        dodged = [r for r in dodger.by_endpoint()["ask"] if r.code == "throttled"]
        print(f"  {len(dodged)} of 70 asks throttled")
        check(not dodged, "a wrong NUM_PROXIES lets a spoofed X-Forwarded-For dodge the limit: set it to your proxies")
    print("load run: " + ("ok" if not failures else f"{len(failures)} FAILED"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
