"""A provider down for ten minutes: provider calls per waiting video, probes per cool-down, time to recover.

Ten videos wait while the provider is down for OUTAGE_MINUTES (half a gateway answering 503, half a
host that accepts and drops every connection), then the emulator comes back on the same port.
HTTP is real; the engine's clock is virtual (advanced TICK_SECONDS per sync pass), so ten minutes
take seconds. Targets: at most 8 calls per video over the outage, at most 1 probe per cool-down for
the whole provider; the time from recovery to the last video ready is printed (it includes up to one
cool-down before the probe notices).
"""

from __future__ import annotations

import datetime
import time
from unittest import mock

from _django import setup, verdict

VIDEOS = 10
OUTAGE_MINUTES = 10
TICK_SECONDS = 5.0
PROBE_SECONDS = 30


class VirtualClock:
    def __init__(self) -> None:
        from django.utils import timezone

        self.real_now = timezone.now
        self.offset = datetime.timedelta()

    def now(self) -> datetime.datetime:
        return self.real_now() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += datetime.timedelta(seconds=seconds)


def main() -> None:
    setup("outage")
    from bench_engine import apply_settings
    from django.conf import settings
    from django.db.models import Count, Q

    from sora_products import jobs
    from sora_products.emulator.testing import start_emulator
    from sora_products.jobs import breaker
    from sora_products.models import TERMINAL_STATUSES, ProductVideo, Spend, SpendKind, VideoStatus
    from tests.engine.outage import DownProvider, free_port
    from tests.factories import make_product

    port = free_port()
    apply_settings(
        settings,
        {
            **settings.SORA_PRODUCTS,
            "QUEUE": "sora_products.queues.CapturingQueue",
            "PROVIDERS": {"default": {"BASE_URL": f"http://127.0.0.1:{port}/v1", "API_KEY": "sk-emulator-test"}},
            "BUDGET": {"DAILY": None, "MONTHLY": None, "SHOPPER_DAILY": None},
            "RECONCILE_GRACE_SECONDS": 60,
            "OUTAGE": {"AFTER_FAILURES": 3, "PROBE_SECONDS": PROBE_SECONDS},
            "POLL_INTERVAL": 1,
        },
    )
    clock = VirtualClock()
    with mock.patch("django.utils.timezone.now", clock.now):
        ids = [ProductVideo.objects.for_product(make_product(name=f"Outage {n}")).get().pk for n in range(VIDEOS)]
        outage = OUTAGE_MINUTES * 60
        reached, probes = 0, 0
        for mode in ("503", "refuse"):
            down = DownProvider(port, mode).start()
            elapsed = 0.0
            while elapsed < outage / 2:
                jobs.sync(enqueue=False)
                clock.advance(TICK_SECONDS)
                elapsed += TICK_SECONDS
            down.stop()
            reached += down.requests
            # Probes are the only reads: in 503 mode the list calls; dropped connections count them all.
            probes += down.calls["GET /v1/videos"] if mode == "503" else down.connections
        creates_503 = reached - probes
        emulator = start_emulator(port=port)
        recovered = clock.now()
        while breaker.outage("default") is not None:  # the probe notices within one cool-down
            jobs.sync(enqueue=False)
            clock.advance(1.0)
        noticed = (clock.now() - recovered).total_seconds()
        started, deadline = time.monotonic(), time.monotonic() + 120
        while ProductVideo.objects.filter(pk__in=ids, status__in=TERMINAL_STATUSES).count() < VIDEOS:
            if time.monotonic() > deadline:
                raise SystemExit("the videos did not finish after the provider came back")
            jobs.sync(enqueue=False)
            time.sleep(0.1)
        to_ready = time.monotonic() - started
        emulator.stop()
    ready = ProductVideo.objects.filter(pk__in=ids, status=VideoStatus.READY).count()
    settled = Spend.objects.values("video").annotate(n=Count("pk", filter=Q(kind=SpendKind.SETTLED)))
    per_video = reached / VIDEOS
    cool_downs = outage / PROBE_SECONDS
    print(f"outage of {OUTAGE_MINUTES} min, {VIDEOS} videos waiting, cool-down {PROBE_SECONDS} s")
    print(f"  provider calls per waiting video: {per_video:.2f} (target <= 8: {per_video / 8:.2f}x of it) "
          f"[{verdict(per_video <= 8)}]  — {creates_503} creates, {probes} probes")
    print(f"  probes per cool-down: {probes / cool_downs:.2f} (target <= 1) [{verdict(probes <= cool_downs + 1)}]")
    print(f"  recovery noticed after {noticed:.0f} s (virtual clock; at most one cool-down), then the last of the "
          f"videos was ready {to_ready:.1f} s later (real time, emulator rendering)")
    print(f"  {ready}/{VIDEOS} ready, "
          f"each paid once: {verdict(sorted(r['n'] for r in settled) == [1] * VIDEOS)}")


if __name__ == "__main__":
    main()
