"""Money: prices, estimates, the ledger, caps that hold under concurrency, provider rate limits."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sora_products import budget, jobs
from sora_products.models import Origin, ProductVideo, Spend, SpendKind, VideoStatus
from tests.factories import make_product
from tests.integration.helpers import assert_ledger_identity, drive
from tests.stack import run_concurrently

pytestmark = pytest.mark.django_db


def set_budget(settings, **caps):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "BUDGET": {"DAILY": None, "MONTHLY": None, **caps}}


def new_video(**fields) -> ProductVideo:
    return ProductVideo.objects.for_product(make_product(**fields)).get()


def test_published_prices_are_the_defaults():
    assert budget.estimate_cost("default", "sora-2", "720x1280", 8) == Decimal("0.80")
    assert budget.estimate_cost("default", "sora-2-pro", "1792x1024", 12) == Decimal("6.00")
    assert budget.estimate_cost("default", "sora-2-pro", "1920x1080", 4) == Decimal("2.80")


def test_a_gateway_model_is_priced_from_settings(settings):
    provider = {"PRICES": {"seedance-1-pro": {"*": "0.15"}, "sora-2": {"720x1280": "0.12"}}}
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "PROVIDERS": {"default": provider}}
    assert budget.estimate_cost("default", "seedance-1-pro", "1080x1920", 10) == Decimal("1.50")
    assert budget.estimate_cost("default", "sora-2", "720x1280", 4) == Decimal("0.48")
    with pytest.raises(budget.UnknownPrice, match="add it to PRICES"):
        budget.estimate_cost("default", "veo-3", "720x1280", 8)


def test_estimate_for_many_counts_unpriced_items_instead_of_guessing():
    estimate = budget.estimate_many([("default", "sora-2", "720x1280", 8), ("default", "mystery", "1x1", 4)])
    assert (estimate.count, estimate.total, estimate.unknown) == (2, Decimal("0.80"), 1)


def test_estimates_equal_settled_costs_for_completed_videos(provider):
    videos = [drive(new_video().pk) for _ in range(3)]
    for video in videos:
        assert video.status == VideoStatus.READY
        assert Spend.objects.get(video=video).settled_amount == video.estimated_cost == video.actual_cost
    assert_ledger_identity()


def test_a_video_over_the_daily_cap_waits_blocked_then_starts_when_the_cap_is_raised(provider, settings):
    set_budget(settings, DAILY="1.00")
    first, second = new_video(), new_video()
    assert drive(first.pk).status == VideoStatus.READY  # $0.80 of $1.00
    blocked = drive(second.pk)
    assert blocked.status == VideoStatus.BLOCKED and blocked.error_code == "budget_daily"
    assert "budget is used up" in blocked.error_message
    assert provider.stats()["creates"] == 1
    set_budget(settings, DAILY="2.00")
    assert drive(second.pk).status == VideoStatus.READY
    assert provider.stats()["creates"] == 2
    assert_ledger_identity()


def test_the_shopper_cap_is_separate_from_the_shop_cap(provider, settings):
    set_budget(settings, DAILY="10.00", SHOPPER_DAILY="0.50")
    shopper = new_video()
    ProductVideo.objects.filter(pk=shopper.pk).update(origin=Origin.SHOPPER)
    assert drive(shopper.pk).error_code == "budget_shopper_daily"
    assert drive(new_video().pk).status == VideoStatus.READY  # the shop's own videos go on


def test_the_monthly_cap_counts_earlier_days(provider, settings):
    set_budget(settings, MONTHLY="1.00")
    earlier = timezone.localdate().replace(day=1)
    Spend.objects.create(
        amount=Decimal("0.90"),
        kind=SpendKind.RESERVED,
        provider="default",
        model="sora-2",
        preset="showcase",
        day=earlier,
    )
    assert drive(new_video().pk).error_code == "budget_monthly"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_submitters_never_reserve_past_the_cap(provider, settings):
    set_budget(settings, DAILY="4.00")  # room for exactly five $0.80 videos
    ids = [new_video().pk for _ in range(20)]
    queue = list(ids)

    def submit() -> None:
        jobs.submit(ProductVideo.objects.get(pk=queue.pop()))

    assert run_concurrently(20, submit) == []
    assert budget.committed_total(timezone.localdate()) <= Decimal("4.00")
    assert Spend.objects.filter(kind=SpendKind.RESERVED).count() == 5
    assert ProductVideo.objects.filter(status=VideoStatus.BLOCKED).count() == 15
    assert provider.stats()["creates"] == 5
    assert_ledger_identity()


def test_a_rate_limit_429_reschedules_after_its_retry_after(provider):
    provider.configure(rate_limit_creates=1, retry_after_ms=1500)
    video = new_video()
    step = jobs.process(video.pk)
    video.refresh_from_db()
    assert video.status == VideoStatus.REQUESTED and step.check_in == pytest.approx(1.5, abs=0.2)
    assert (video.next_check_at - timezone.now()).total_seconds() > 1.0
    assert not Spend.objects.filter(kind=SpendKind.RESERVED).exists()


def test_sora_generate_shows_the_estimate_and_refuses_to_spend_without_confirmation(monkeypatch):
    product = make_product(category="apparel")
    ProductVideo.objects.all().delete()
    out = StringIO()
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="without confirmation"):
        call_command("sora_generate", str(product.pk), "--preset", "showcase", "--preset", "worn", stdout=out)
    assert "2 video(s), estimated cost $1.60" in out.getvalue()
    assert not ProductVideo.objects.exists()


def test_sora_generate_asks_and_a_no_spends_nothing(monkeypatch):
    make_product()
    ProductVideo.objects.all().delete()
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    out = StringIO()
    call_command("sora_generate", "--all", stdout=out)
    assert "Nothing was spent." in out.getvalue()
    assert not ProductVideo.objects.exists()


def test_sora_generate_with_yes_queues_and_skips_what_cannot_be_made(django_capture_on_commit_callbacks):
    dress, lamp = make_product(category="apparel"), make_product(category="home")
    ProductVideo.objects.all().delete()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sora_generate", "--all", "--preset", "worn", "--yes", "--no-wait", stdout=out)
    assert ProductVideo.objects.get().object_id == str(dress.pk)
    assert f"{lamp}: The “worn” video is only made for products that can be worn." in out.getvalue()
    assert "Queued 1 video(s)" in out.getvalue()


def test_sora_generate_missing_skips_products_that_have_a_video():
    make_product()
    out = StringIO()
    call_command("sora_generate", "--missing", "--yes", "--no-wait", stdout=out)
    assert "Nothing to generate." in out.getvalue()


def test_sora_generate_try_on_prerenders_the_common_buckets_of_wearable_products(django_capture_on_commit_callbacks):
    from sora_products import tryon

    dress = make_product(category="apparel")
    make_product(category="home")
    ProductVideo.objects.all().delete()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sora_generate", "--all", "--try-on", "--yes", "--no-wait", stdout=out)
    profiles = tryon.common_profiles()
    assert ProductVideo.objects.filter(preset="worn").count() == len(profiles)
    assert {v.object_id for v in ProductVideo.objects.all()} == {str(dress.pk)}
    assert f"{len(profiles)} try-on video(s)" in out.getvalue()
    # Asking again costs nothing: the buckets exist.
    call_command("sora_generate", "--all", "--try-on", "--yes", "--no-wait", stdout=StringIO())
    assert ProductVideo.objects.count() == len(profiles)
