"""What an experiment costs the shop: the listing with a running experiment vs without, and one page's report.

Side by side in one run on SQLite through Django's test client (full middleware stack, no network), 48
products with live videos, alternating rounds so drift hits both sides alike. Prints the listing's time and
queries with and without a shop-wide photo-vs-video experiment (target: >= 0.85x the speed, at most one
more query, none per product), and what one report of 48 marks costs (queries, time) against a page view.
"""

from __future__ import annotations

import statistics
import time

from _django import setup

PRODUCTS, ROUNDS, REQUESTS = 48, 15, 6
TARGET_SPEED, TARGET_EXTRA_QUERIES = 0.85, 1
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def main() -> None:
    setup("experiments")
    import json

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from sora_products.experiments.assignment import token_for
    from sora_products.experiments.models import Experiment
    from tests.storefront.helpers import dress, ready_video

    for n in range(PRODUCTS):
        ready_video(dress(name=f"Dress {n}"))
    client = Client(HTTP_USER_AGENT=BROWSER)
    listing = reverse("catalog:list")
    client.get(listing)  # warm: imports, templates

    def page_time() -> float:
        started = time.perf_counter()
        for _ in range(REQUESTS):
            client.get(listing)
        return (time.perf_counter() - started) / REQUESTS

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            html = client.get(listing).content.decode()
        return len(captured), html

    experiment = Experiment(name="bench", control_preset="", treatment_preset="showcase")
    plain_q, _html = queries()
    ratios, plain_times, with_times = [], [], []
    for _round in range(ROUNDS):
        Experiment.objects.all().delete()
        plain = page_time()
        experiment.pk = None
        experiment.save()
        running = page_time()
        plain_times.append(plain)
        with_times.append(running)
        ratios.append(plain / running)
    with_q, html = queries()
    marks = html.count("data-sora-experiment=")
    speed = statistics.median(ratios)
    plain_ms = statistics.median(plain_times) * 1000
    print(f"listing of {PRODUCTS}, no experiment      {plain_ms:6.1f} ms  {plain_q} queries")
    print(f"listing of {PRODUCTS}, running experiment {statistics.median(with_times) * 1000:6.1f} ms  {with_q} queries"
          f"  ({marks} marks)")
    print(f"speed with an experiment: {speed:.2f}x ({'ok' if speed >= TARGET_SPEED else 'FAIL'} >= {TARGET_SPEED}x); "
          f"extra queries: {with_q - plain_q} ({'ok' if with_q - plain_q <= TARGET_EXTRA_QUERIES else 'FAIL'} "
          f"<= {TARGET_EXTRA_QUERIES})")

    url = reverse("sora_products:api:events")
    visitors = [f"{n:032x}" for n in range(200)]
    bodies = [
        json.dumps({"items": [{"token": token_for(experiment.pk, who, "treatment"), "events": ["impression", "play"]}]
                    * PRODUCTS})
        for who in visitors
    ]  # fmt: skip
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        for body in bodies:
            client.post(url, body, content_type="application/json")
        elapsed = (time.perf_counter() - started) / len(bodies)
    per_report = len(captured) / len(bodies)
    print(f"one report of {PRODUCTS} marks: {elapsed * 1000:.1f} ms, {per_report:.1f} queries "
          f"({elapsed / statistics.median(with_times):.2f}x a listing page view)")


if __name__ == "__main__":
    main()
