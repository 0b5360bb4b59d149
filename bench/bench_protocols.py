"""Provider calls per completed video, per protocol, with the engine polling as a worker would.

Each protocol makes VIDEOS videos against the emulator (jobs take GENERATION_SECONDS) with the engine's
POLL_INTERVAL; every HTTP request the emulator sees on the protocol's routes is counted (the file
download included). Target for a polled protocol: at most 2 + ceil(generation time / poll interval)
calls per video (one create, the polls, one download). Real HTTP; the clock is real.
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

    from sora_products import jobs
    from sora_products.emulator.testing import start_emulator
    from sora_products.models import ProductVideo, VideoStatus
    from tests.factories import make_product

    emulator = start_emulator(complete_after=GENERATION_SECONDS)
    provider = {"BASE_URL": emulator.base_url, "API_KEY": emulator.api_key}
    if protocol == "runway":
        provider = {
            "BACKEND": "sora_products.providers.runway.RunwayProvider",
            "BASE_URL": emulator.url,
            "API_KEY": emulator.api_key,
            "MODEL": "gen4.5",
        }
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
        },
    )
    try:
        ids = [ProductVideo.objects.for_product(make_product(name=f"{protocol} {n}")).get().pk for n in range(VIDEOS)]
        before = emulator.stats()["requests"]
        due = {pk: 0.0 for pk in ids}
        deadline = time.monotonic() + 120
        while due and time.monotonic() < deadline:
            now = time.monotonic()
            for pk, at in list(due.items()):
                if at > now:
                    continue
                step = jobs.process(pk)
                if ProductVideo.objects.get(pk=pk).status in (VideoStatus.READY, VideoStatus.FAILED):
                    due.pop(pk)
                else:
                    due[pk] = now + (step.check_in if step.check_in is not None else POLL_INTERVAL)
            time.sleep(0.05)
        after = emulator.stats()["requests"]
        counted = {route: count - before.get(route, 0) for route, count in after.items() if "/_emulator" not in route}
        print(f"  {protocol}: {counted}")
        calls = sum(counted.values())
        ready = ProductVideo.objects.filter(pk__in=ids, status=VideoStatus.READY).count()
        return calls / max(ready, 1), ready
    finally:
        emulator.stop()


def main() -> None:
    setup("protocols")
    import logging

    logging.getLogger("sora_products").setLevel(logging.WARNING)
    target = 2 + math.ceil(GENERATION_SECONDS / POLL_INTERVAL)
    print(f"{VIDEOS} videos per protocol; generation {GENERATION_SECONDS:g} s; poll interval {POLL_INTERVAL:g} s")
    per_video, ready = run("openai")
    print(f"openai  polling: {per_video:4.1f} provider calls per completed video ({ready} ready), with its thumbnail")
    per_video, ready = run("runway")
    print(
        f"runway  polling: {per_video:4.1f} provider calls per completed video ({ready} ready) "
        f"(target <= {target}) {verdict(per_video <= target)}"
    )


if __name__ == "__main__":
    main()
