"""Benchmark: django-oscar's catalogue page, 40 products with videos, with our templates vs Oscar's own.

Run: ``.venv/bin/python bench/bench_oscar.py [--products 40] [--rounds 16] [--requests 6]``. Needs
django-oscar (``make install`` brings it). Builds the Oscar shop of ``tests/oscar_shop`` on a throw-away
SQLite database, Whoosh index and media folder, gives every product an image and an approved, ready
showcase video, then serves ``/catalogue/`` (``OSCAR_PRODUCTS_PER_PAGE`` = 40, so one page) through
Django's test Client, once with the shop's template overrides that use our tags and once with Oscar's
stock templates, alternating rounds so drift hits both sides alike. Prints requests per second and
queries for each and the ratios, with ok/FAIL against the targets: >= 0.85x the requests per second,
<= 2 more queries. Always exits 0.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 0.85
TARGET_EXTRA_QUERIES = 2


def configure(workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oscar_shop.settings"
    os.environ["SORA_WORKER_DB_NAME"] = str(workdir / "oscar.sqlite3")
    os.environ["SORA_TEST_MEDIA"] = str(workdir / "media")
    os.environ["SORA_TEST_WHOOSH"] = str(workdir / "whoosh")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def build_catalogue(count: int) -> None:
    """``count`` products with a price, an image and an approved, ready showcase video, all in the index."""
    from oscar.core.loading import get_model

    from tests.oscar_shop.conftest import oscar_product
    from tests.videos import finish

    video_model = get_model("sora_products", "ProductVideo")
    for number in range(count):
        product = oscar_product(title=f"Linen shirt {number}")
        finish(video_model.objects.for_product(product).get())


def oscar_only_templates():
    """Oscar's stock templates: the shop's overrides (our tags) taken out of the template DIRS."""
    from django.conf import settings
    from django.test import override_settings

    return override_settings(TEMPLATES=[{**settings.TEMPLATES[0], "DIRS": []}])


def measure(client, requests: int) -> tuple[float, int, str]:
    """Seconds per request of /catalogue/, after one untimed request (a template switch recompiles)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sora_products import live_counter

    client.get("/catalogue/")
    live_counter.forget()  # count the page's real lookup, not a memo hit
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/catalogue/").content.decode()
    count = len(queries)  # now: the next request's start clears the connection's query log
    started = time.perf_counter()
    for _ in range(requests):
        client.get("/catalogue/")
    return (time.perf_counter() - started) / requests, count, html


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=16)
    parser.add_argument("--requests", type=int, default=6, help="requests per page per round")
    args = parser.parse_args()
    if importlib.util.find_spec("oscar") is None:
        print("SKIPPED: django-oscar is not installed (make install brings it).")
        return 0
    with tempfile.TemporaryDirectory(prefix="sora-bench-oscar-") as tmp:
        configure(Path(tmp))
        build_catalogue(args.products)
        from django.test import Client

        client = Client()
        with_times, plain_times = [], []
        for round_number in range(args.rounds):
            sides = ["with", "plain"] if round_number % 2 == 0 else ["plain", "with"]
            for side in sides:
                if side == "with":
                    seconds, with_queries, with_html = measure(client, args.requests)
                    with_times.append(seconds)
                else:
                    with oscar_only_templates():
                        seconds, plain_queries, plain_html = measure(client, args.requests)
                    plain_times.append(seconds)
        players = with_html.count("<video")
        assert players == args.products, f"expected {args.products} players, found {players}"
        assert plain_html.count("<video") == 0

    with_rps, plain_rps = 1 / statistics.median(with_times), 1 / statistics.median(plain_times)
    ratio = statistics.median(plain / with_ for plain, with_ in zip(plain_times, with_times, strict=True))
    extra = with_queries - plain_queries
    print(f"Oscar catalogue, {args.products} product videos: {with_rps:6.1f} req/s, {with_queries} queries")
    print(f"Oscar's own templates:             {plain_rps:6.1f} req/s, {plain_queries} queries")
    print(f"requests/s ratio {ratio:.3f}x (target >= {TARGET_RATIO:.2f}x) {'ok' if ratio >= TARGET_RATIO else 'FAIL'}")
    print(
        f"extra queries {extra:+d} (target <= +{TARGET_EXTRA_QUERIES}) "
        f"{'ok' if extra <= TARGET_EXTRA_QUERIES else 'FAIL'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
