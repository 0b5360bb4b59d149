"""The storefront under load: the demo shop under gunicorn on PostgreSQL and Redis, 50 then 200 shoppers at once.

Each shopper opens the listing and two product pages, asks for three try-on videos and polls the ones it waits
for (tests/load/shoppers.py). Printed: requests per second and p50/p95 per endpoint at each crowd size, and
the try-on API's (asks and polls) side by side. The CI step `python -m tests.load` asserts the caps; this only
measures. Needs PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379.
"""

from __future__ import annotations

import asyncio
import sys

from _django import ROOT, postgres_and_redis

CROWDS = (50, 200)
RATES = {"ip": "100000/hour", "session": "100000/hour", "status": "100000/hour"}


def api_figures(crowd) -> tuple[float, float]:
    """Requests per second and p95 (ms) of the try-on API (asks and status polls) in one crowd's run."""
    records = [r for r in crowd.records if r.endpoint in ("ask", "status")]
    times = sorted(r.seconds * 1000 for r in records)
    return len(records) / crowd.seconds, times[min(len(times) - 1, int(len(times) * 0.95))]


def main() -> None:
    if not postgres_and_redis():
        print("SKIPPED: no PostgreSQL on 127.0.0.1:5432 or Redis on 127.0.0.1:6379")
        return
    sys.path.insert(0, str(ROOT))
    from tests.load.shop import GUNICORN_THREADS, GUNICORN_WORKERS, LoadShop
    from tests.load.shoppers import run_crowd

    figures = {}
    for shoppers in CROWDS:
        with LoadShop() as shop:  # a fresh shop each time: the budget and the sessions start empty
            shop.serve(rates=RATES, num_proxies=1)
            crowd = asyncio.run(run_crowd(shop.url, shoppers))
        print(f"--- {shoppers} shoppers at once (gunicorn {GUNICORN_WORKERS} workers x {GUNICORN_THREADS} threads)")
        print(crowd.table())
        figures[shoppers] = api_figures(crowd)
    for shoppers, (rate, p95) in figures.items():
        print(f"try-on API at {shoppers:3} shoppers: {rate:.0f} requests/s, p95 {p95:.0f} ms")
    (low_rate, low_p95), (high_rate, high_p95) = figures[CROWDS[0]], figures[CROWDS[1]]
    print(f"200 / 50 shoppers: {high_rate / low_rate:.2f}x the requests/s, {high_p95 / low_p95:.2f}x the p95")


if __name__ == "__main__":
    main()
