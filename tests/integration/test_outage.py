"""A provider that is down for two minutes, with real qcluster workers: waited for, told, resumed, paid once."""

from __future__ import annotations

import time

import pytest
from django.db.models import Count, Q

from sora_products import jobs
from sora_products.emulator.testing import start_emulator
from sora_products.models import ProductVideo, Spend, SpendKind, VideoStatus
from sora_products.storefront.shopper_state import shopper_state
from tests.engine.outage import DownProvider, free_port
from tests.factories import make_product
from tests.integration.helpers import assert_ledger_identity

pytestmark = pytest.mark.worker

OUTAGE_SECONDS = 120


def run_for(seconds: float, *, every: float, action) -> None:
    """The scheduled sync pass, run more often than once a minute (as a shop may schedule it)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        action()
        time.sleep(every)


def test_ten_videos_wait_out_a_two_minute_outage_then_all_are_made_and_paid_once(stack, admin_client):
    port = free_port()
    stack.apply(
        PROVIDERS={"default": {"BASE_URL": f"http://127.0.0.1:{port}/v1", "API_KEY": stack.emulator.api_key}},
        RECONCILE_GRACE_SECONDS=60,
        BACKOFF={"FIRST_SECONDS": 30, "MAX_SECONDS": 900, "JITTER": 0.2},
        OUTAGE={"AFTER_FAILURES": 3, "PROBE_SECONDS": 30},
        SYNC_LEASE_SECONDS=30,
    )
    down = DownProvider(port, "503").start()
    stack.start_worker(workers=2)
    products = [make_product(name=f"Outage product {n}") for n in range(10)]
    ids = [ProductVideo.objects.for_product(product).get().pk for product in products]
    started = time.monotonic()
    unreachable_seen_at = None

    def tick() -> None:
        nonlocal unreachable_seen_at
        jobs.sync()
        if unreachable_seen_at is None and "has been unreachable since" in admin_client.get(
            "/admin/sora_products/productvideo/"
        ).content.decode():
            unreachable_seen_at = time.monotonic()

    # Half the outage a gateway answering 503, half a host that accepts and drops every connection.
    run_for(OUTAGE_SECONDS / 2, every=2, action=tick)
    down.stop()
    refused = DownProvider(port, "refuse").start()
    try:
        run_for(OUTAGE_SECONDS / 2, every=2, action=tick)
        assert unreachable_seen_at is not None and unreachable_seen_at - started < 30, "the banner came late"
        states = {shopper_state(ProductVideo.objects.get(pk=pk)).state for pk in ids}
        assert states == {"delayed"}, states
    finally:
        refused.stop()
    reached = down.requests + refused.requests
    assert reached <= 5 * len(ids), f"{reached} requests reached the provider: {down.calls}, {refused.connections}"
    assert down.calls["POST /v1/videos"] + refused.connections <= len(ids) + 8

    emulator = start_emulator(port=port)  # the provider is back, on the same port
    try:
        recovered = time.monotonic()
        videos = stack.wait_until_terminal(ids, timeout=150, tick=lambda: (jobs.sync(), time.sleep(1)))
        print(f"\nrecovery to last video ready: {time.monotonic() - recovered:.0f} s; {reached} requests in the outage")
        assert [video.status for video in videos] == [VideoStatus.READY] * len(ids)
        assert emulator.stats()["creates"] == len(ids)
    finally:
        emulator.stop()
    paid = Spend.objects.values("video").annotate(settled=Count("pk", filter=Q(kind=SpendKind.SETTLED)))
    assert sorted(row["settled"] for row in paid) == [1] * len(ids)
    assert_ledger_identity()


def test_a_product_corrected_before_the_worker_ran_is_made_once(stack):
    product = make_product(name="Linen shirt")
    product.name = "Linen shirt, washed"
    product.save()
    stack.start_worker()
    ids = list(ProductVideo.objects.for_product(product).order_by("pk").values_list("pk", flat=True))
    first, second = stack.wait_until_terminal(ids, timeout=60)
    assert first.status == VideoStatus.SUPERSEDED and second.status == VideoStatus.READY
    assert stack.emulator.stats()["creates"] == 1


def test_a_title_changed_and_changed_back_while_the_worker_runs_ends_current_and_paid_once_per_state(stack):
    stack.start_worker()
    product = make_product(name="Title A")
    time.sleep(1.5)
    product.name = "Title B"
    product.save()
    time.sleep(0.5)
    product.name = "Title A"
    product.save()
    ids = list(ProductVideo.objects.for_product(product).values_list("pk", flat=True))
    stack.wait_until_terminal(ids, timeout=60)
    current = ProductVideo.objects.for_product(product).get(outdated=False)
    assert current.status == VideoStatus.READY and '"Title A"' in current.prompt
    assert stack.emulator.stats()["creates"] <= 2
    per_state = ProductVideo.objects.for_product(product).annotate(
        paid=Count("spends", filter=Q(spends__kind__in=[SpendKind.SETTLED, SpendKind.RESERVED, SpendKind.LOSS]))
    )
    assert all(video.paid <= 1 for video in per_state)
    assert_ledger_identity()
