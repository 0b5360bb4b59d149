"""The costs page: spend per day as SVG, budget used and left, breakdowns and failures."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from sora_products.admin.charts import DayBar, nice_step, spend_chart
from sora_products.admin.costs import build_report
from sora_products.models import ProductVideo, Spend, SpendKind
from tests.admin.conftest import fail, finish
from tests.factories import make_product

pytestmark = pytest.mark.django_db

COSTS = "/admin/sora_products/spend/"


def spend(video, kind, amount, *, days_ago=0, shopper=False, settled=None):
    return Spend.objects.create(
        video=video,
        kind=kind,
        amount=Decimal(amount),
        settled_amount=Decimal(settled) if settled is not None else None,
        shopper=shopper,
        provider=video.provider,
        model=video.model,
        preset=video.preset,
        day=timezone.localdate() - datetime.timedelta(days=days_ago),
    )


@pytest.fixture
def ledger():
    """Two products' worth of spend over a few days, a billed refusal and an open reservation."""
    coat = ProductVideo.objects.for_product(make_product(name="Wool coat")).get()
    shirt = ProductVideo.objects.for_product(make_product(name="Linen shirt")).get()
    finish(coat)
    spend(coat, SpendKind.SETTLED, "2.40", days_ago=3, settled="2.40")
    spend(coat, SpendKind.SETTLED, "0.80", days_ago=0, settled="0.80")
    spend(shirt, SpendKind.LOSS, "0.80", days_ago=1)
    spend(shirt, SpendKind.RESERVED, "0.80", days_ago=0, shopper=True)
    spend(shirt, SpendKind.RELEASED, "0.80", days_ago=0, settled="0")
    spend(shirt, SpendKind.SETTLED, "9.00", days_ago=40, settled="9.00")  # outside the 30 days
    fail(shirt, "moderation_blocked", "The provider refused this video (a face).")
    return coat, shirt


def test_the_costs_page_is_linked_from_the_admin_index_and_the_video_list(admin_client):
    assert reverse("admin:sora_products_spend_changelist") == COSTS
    assert f'href="{COSTS}"' in admin_client.get("/admin/").content.decode()
    assert (
        f'href="{COSTS}" class="sora-costs-link"'
        in admin_client.get("/admin/sora_products/productvideo/").content.decode()
    )


def test_the_costs_page_shows_spend_budget_breakdowns_and_failures(admin_client, ledger):
    html = admin_client.get(COSTS).content.decode()
    total = re.search(r"data-total>([^<]+)<", html).group(1)
    assert total == "$4.80"  # 2.40 + 0.80 settled, 0.80 billed refusal, 0.80 still reserved
    assert '<svg class="sora-chart"' in html and "<rect" in html
    assert "daily cap" not in html, "a $25 cap would flatten $2.40 of bars"
    assert "Wool coat" in html and "Linen shirt" in html
    assert "Showcase, portrait" in html and "default · sora-2" in html
    assert "The provider refused to make this video." in html and "moderation_blocked" in html
    assert "1 refused by moderation" in html
    # Budget: today 0.80 settled + 0.80 reserved; shoppers today 0.80 reserved.
    daily = html[html.index('sora-budget-daily"') :]
    assert "$23.40 left" in daily[:600] and "$1.60 of $25.00 used" in daily[:600]
    shopper = html[html.index('sora-budget-shopper_daily"') :]
    assert "$4.20 left" in shopper[:600]


def test_the_report_counts_each_day_once_and_leaves_out_older_spend(ledger):
    report = build_report(30)
    assert len(report.bars) == 30 and report.bars[-1].day == timezone.localdate()
    assert report.total == Decimal("4.80")
    today = report.bars[-1]
    assert (today.settled, today.open, today.loss) == (Decimal("0.80"), Decimal("0.80"), Decimal("0"))
    assert report.bars[-2].loss == Decimal("0.80")
    assert report.failures.billed_refusals == Decimal("0.80")
    assert [row["label"] for row in report.top_products] == ["Wool coat", "Linen shirt"]
    assert build_report(90).total == Decimal("13.80")


def test_the_period_can_be_chosen(admin_client, ledger):
    html = admin_client.get(COSTS, {"days": "90"}).content.decode()
    assert re.search(r"data-total>([^<]+)<", html).group(1) == "$13.80"
    assert admin_client.get(COSTS, {"days": "oops"}).status_code == 200


def test_the_page_renders_without_any_spend(admin_client):
    html = admin_client.get(COSTS).content.decode()
    assert "Nothing spent in this period." in html and "$0.00" in html


def test_the_chart_is_plain_svg_with_a_tooltip_per_day_and_the_cap():
    days = [datetime.date(2026, 11, 1) + datetime.timedelta(days=n) for n in range(5)]
    bars = [DayBar(day, settled=Decimal(n)) for n, day in enumerate(days)]
    svg = str(spend_chart(bars, Decimal("5")))
    assert svg.startswith('<svg class="sora-chart" viewBox="0 0 760 240"')
    assert svg.count("<title>") == 5 and "daily cap $5.00" in svg
    assert svg.count('class="sora-bar sora-bar--settled"') == 4  # the first day spent nothing
    assert "<script" not in svg and "http://www.w3.org/2000/svg" in svg


def test_a_far_away_cap_does_not_flatten_the_bars():
    bars = [DayBar(datetime.date(2026, 11, 1), settled=Decimal("0.80"))]
    assert "daily cap" not in str(spend_chart(bars, Decimal("300")))


@pytest.mark.parametrize(("top", "step"), [(0.8, 0.2), (1, 0.25), (4.8, 2), (25, 10), (300, 100), (0, 1)])
def test_axis_steps_are_round_numbers(top, step):
    assert nice_step(top) == step
