"""Provider calls per completed video, per protocol, with the engine polling or told by webhooks.

Each protocol makes VIDEOS videos against the emulator (jobs take GENERATION_SECONDS) with the engine's
POLL_INTERVAL; every HTTP request the emulator sees on the protocol's routes is counted (the file
download included). Targets: Runway (polled) at most 2 + ceil(generation time / poll interval) calls
per video (one create, the polls, one download); fal with webhooks at most 3 (the shop's webhook
endpoint runs on a real loopback HTTP server, and the safety-net poll is left at its default). Real
HTTP; the clock is real.
"""

from __future__ import annotations

import math
import time

from _django import setup, verdict

VIDEOS = 4
GENERATION_SECONDS = 2.5  # between poll ticks, so the count does not hinge on a race at the boundary
POLL_INTERVAL = 1.0


def run(protocol: str) -> tuple[float, int]:
    from bench_engine import apply_settings
    from django.conf import settings
    from django.utils import timezone

    from sora_products import jobs
    from sora_products.emulator.testing import start_emulator
    from sora_products.models import TERMINAL_STATUSES, ProductVideo, VideoStatus
    from tests.factories import make_product

    emulator = start_emulator(complete_after=GENERATION_SECONDS, tls_port=0)
    server = None
    extra: dict = {}
    provider = {"BASE_URL": emulator.base_url, "API_KEY": emulator.api_key}
    if protocol == "runway":
        provider = {
            "BACKEND": "sora_products.providers.runway.RunwayProvider",
            "BASE_URL": emulator.url,
            "API_KEY": emulator.api_key,
            "MODEL": "gen4.5",
        }
    elif protocol == "fal-webhooks":
        server = web_server()
        provider = {
            "BACKEND": "sora_products.providers.fal.FalProvider",
            "QUEUE_URL": emulator.tls_url,
            "JWKS_URL": f"{emulator.tls_url}/.well-known/jwks.json",
            "VERIFY": emulator.ca_path,
            "API_KEY": emulator.api_key,
            "MODEL": "fal-ai/wan/v2.7/image-to-video",
            "WEBHOOKS": True,
        }
        extra = {"PUBLIC_URL": f"http://127.0.0.1:{server.server_port}"}
    apply_settings(
        settings,
        {
            **settings.SORA_PRODUCTS,
            "QUEUE": "sora_products.queues.CapturingQueue",
            "PROVIDERS": {"default": provider},
            "PRESETS": {"showcase": {"SECONDS": 4}},
            "BUDGET": {"DAILY": None, "MONTHLY": None, "SHOPPER_DAILY": None},
            "POLL_INTERVAL": POLL_INTERVAL,
            "TASK_HOLD_SECONDS": 0,
            **extra,
        },
    )
    try:
        ids = [ProductVideo.objects.for_product(make_product(name=f"{protocol} {n}")).get().pk for n in range(VIDEOS)]
        before = emulator.stats()["requests"]
        deadline = time.monotonic() + 120
        waiting = ProductVideo.objects.filter(pk__in=ids).exclude(status__in=TERMINAL_STATUSES)
        while waiting.exists() and time.monotonic() < deadline:
            # What the sync pass does: drive each row that is due (a webhook makes its row due at once).
            for pk in waiting.filter(next_check_at__lte=timezone.now()).values_list("pk", flat=True):
                jobs.process(pk)
            time.sleep(0.05)
        after = emulator.stats()["requests"]
        counted = {route: count - before.get(route, 0) for route, count in after.items() if "/_emulator" not in route}
        counted = {route: n for route, n in counted.items() if n and "jwks" not in route}
        print(f"  {protocol}: {counted}")
        ready = ProductVideo.objects.filter(pk__in=ids, status=VideoStatus.READY).count()
        return sum(counted.values()) / max(ready, 1), ready
    finally:
        emulator.stop()
        if server is not None:
            server.shutdown()


def web_server():
    """The shop's own views on a loopback port, for the fal callbacks."""
    import threading
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    setup("protocols")
    import logging

    logging.getLogger("sora_products").setLevel(logging.WARNING)
    target = 2 + math.ceil(GENERATION_SECONDS / POLL_INTERVAL)
    print(f"{VIDEOS} videos per protocol; generation {GENERATION_SECONDS:g} s; poll interval {POLL_INTERVAL:g} s")
    per_video, ready = run("openai")
    print(f"openai  polling:  {per_video:4.1f} provider calls per completed video ({ready} ready), with its thumbnail")
    per_video, ready = run("runway")
    print(
        f"runway  polling:  {per_video:4.1f} provider calls per completed video ({ready} ready) "
        f"(target <= {target}) {verdict(ready == VIDEOS and per_video <= target)}"
    )
    per_video, ready = run("fal-webhooks")
    print(
        f"fal     webhooks: {per_video:4.1f} provider calls per completed video ({ready} ready) "
        f"(target <= 3) {verdict(ready == VIDEOS and per_video <= 3)}"
    )


if __name__ == "__main__":
    main()
