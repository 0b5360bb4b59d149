"""Pre-rendering under a budget: the plan buys the buckets serving the most shoppers, and says how many."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from sora_products import tryon_plan
from sora_products.models import ProductVideo, TryOnRequest
from sora_products.specs import TryOnProfile
from tests.storefront.helpers import dress, ready_video

pytestmark = pytest.mark.django_db


def brute_force_coverage(products, chosen, mix, reach=10) -> float:
    """Every kind of shopper (product, size, scene, height bucket), served or not, summed one by one."""
    served = 0.0
    for index, size, scene, height in itertools.product(range(len(products)), mix.sizes, mix.scenes, mix.heights):
        share = mix.sizes[size] * mix.scenes[scene] * mix.heights[height] / len(products)
        if any(
            product is products[index] and p.size == size and p.scene == scene and abs(p.height_cm - height) <= reach
            for product, p in chosen
        ):
            served += share
    return served


def test_the_assumed_mix_is_a_normal_spread_of_heights_and_even_sizes_and_scenes():
    mix = tryon_plan.shopper_mix()
    assert mix.source == "assumed"
    assert math.isclose(sum(mix.heights.values()), 1.0)
    assert max(mix.heights, key=mix.heights.get) == 160  # N(160 cm, 7 cm)
    assert set(mix.sizes.values()) == {0.2} and set(mix.scenes.values()) == {0.5}


def test_the_plans_coverage_matches_a_brute_force_count(settings):
    products = [dress(), dress()]
    plan = tryon_plan.plan_prerender(products, Decimal("20.00"))
    assert plan.per_video == Decimal("0.80") and len(plan.to_make) == 25
    assert plan.cost == Decimal("20.00")
    assert math.isclose(plan.coverage, brute_force_coverage(products, plan.to_make, plan.mix), rel_tol=1e-9)
    assert plan.coverage_before == 0.0 and 0.5 < plan.coverage < 1.0
    # Greedy buys the middle heights first: the first bucket of a line sits at the most common height.
    assert plan.to_make[0][1].height_cm in (155, 160, 165)


def test_buckets_that_exist_cost_nothing_and_count_as_served():
    product = dress()
    ready_video(product, "worn", profile=TryOnProfile.from_choices(160, "M", "studio"))
    plan = tryon_plan.plan_prerender([product], Decimal("0.80"))
    made = [(product, TryOnProfile(160, "M", "studio"))]
    assert math.isclose(plan.coverage_before, brute_force_coverage([product], made, plan.mix))
    (bought,) = plan.to_make
    assert (bought[1].size, bought[1].scene) != ("M", "studio") or abs(bought[1].height_cm - 160) > 10


def test_enough_past_asks_replace_the_assumed_mix(settings):
    product = dress()
    asks = [
        TryOnRequest(session_key=f"s{n}", profile={"height_cm": 180, "size": "L", "scene": "street"})
        for n in range(200)
    ]
    TryOnRequest.objects.bulk_create(asks)
    mix = tryon_plan.shopper_mix()
    assert mix.source == "history" and mix.heights[180] == 1.0 and mix.sizes["L"] == 1.0
    plan = tryon_plan.plan_prerender([product], Decimal("0.80"))
    assert plan.to_make[0][1] == TryOnProfile(180, "L", "street") and math.isclose(plan.coverage, 1.0)


def test_the_command_prints_what_the_budget_buys_and_asks_before_spending(settings, _captured_queue):
    dress()
    out = StringIO()
    call_command("sora_generate", "--try-on", "--budget", "4", "--yes", "--no-wait", stdout=out)
    text = out.getvalue()
    assert "$4.00 buys 5 video(s) at $0.80 each; they serve an estimated" in text
    assert "of shoppers at once (now 0%; from an assumed mix of shoppers)" in text
    assert ProductVideo.objects.filter(preset="worn").count() == 5


def test_a_bucket_whose_video_failed_is_not_bought_again_nor_counted_as_served():
    from sora_products.models import VideoStatus

    product = dress()
    failed = ready_video(product, "worn", profile=TryOnProfile.from_choices(160, "M", "studio"))
    ProductVideo.objects.filter(pk=failed.pk).update(status=VideoStatus.FAILED)
    plan = tryon_plan.plan_prerender([product], Decimal("8.00"))
    assert plan.coverage_before == 0.0
    assert TryOnProfile(160, "M", "studio") not in [profile for _product, profile in plan.to_make]


def test_with_a_history_the_products_shoppers_ask_about_come_first():
    from django.contrib.contenttypes.models import ContentType

    quiet, popular = dress(), dress()
    content_type = ContentType.objects.get_for_model(popular)
    TryOnRequest.objects.bulk_create(
        TryOnRequest(
            session_key=f"s{n}",
            content_type=content_type,
            object_id=str(popular.pk),
            profile={"height_cm": 160, "size": "M", "scene": "studio"},
        )
        for n in range(200)
    )
    plan = tryon_plan.plan_prerender([quiet, popular], Decimal("0.80"))
    assert [product for product, _profile in plan.to_make] == [popular]
    assert math.isclose(plan.coverage, 1.0)


def test_a_product_the_storefront_offers_no_try_on_for_is_not_planned():
    lamp = dress(category="home")
    broken = dress(photo=b"not an image")
    plan = tryon_plan.plan_prerender([lamp, broken], Decimal("20.00"))
    assert plan.products == [] and plan.to_make == []
