"""tryon: coalescing asks into shared videos, the pending cap, the up-front budget answer, pre-rendering."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connections
from django.utils import timezone

from sora_products import live_counter, tryon
from sora_products.models import Origin, ProductVideo, Spend, SpendKind, TryOnRequest, VideoStatus
from sora_products.specs import TryOnProfile
from tests.storefront.helpers import dress

pytestmark = pytest.mark.django_db

M160 = TryOnProfile.from_choices(160, "M", "studio")


def try_on_rows():
    return ProductVideo.objects.filter(preset="worn")


def test_two_shoppers_in_one_bucket_share_one_video(_captured_queue, django_capture_on_commit_callbacks):
    product = dress()
    _captured_queue.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = tryon.request_try_on(product, TryOnProfile.from_choices(158, "M", "studio"), session_key="a")
        second = tryon.request_try_on(product, TryOnProfile.from_choices(161, "M", "studio"), session_key="b")

    assert first.video.pk == second.video.pk and first.created and not second.created
    assert first.video.profile == {"height_cm": 160, "size": "M", "scene": "studio"}
    assert first.video.origin == Origin.SHOPPER
    assert try_on_rows().count() == 1
    assert TryOnRequest.objects.filter(video=first.video).count() == 2
    assert _captured_queue == [first.video.pk]  # one paid generation queued


def test_other_buckets_get_their_own_video():
    product = dress()
    tryon.request_try_on(product, M160, session_key="a")
    tryon.request_try_on(product, TryOnProfile.from_choices(160, "L", "studio"), session_key="b")
    tryon.request_try_on(product, TryOnProfile.from_choices(160, "M", "street"), session_key="c")
    tryon.request_try_on(product, TryOnProfile.from_choices(171, "M", "studio"), session_key="d")

    assert try_on_rows().count() == 4


def test_the_ip_is_stored_only_as_a_keyed_hash_of_its_network():
    product = dress()
    tryon.request_try_on(product, M160, session_key="a", ip_hash=tryon.hash_ip("2001:db8:1:2:aaaa::1"))

    stored = TryOnRequest.objects.get().ip_hash
    assert len(stored) == 64 and "2001" not in stored
    assert stored == tryon.hash_ip("2001:db8:1:2:ffff::9")  # same /64
    assert stored != tryon.hash_ip("2001:db8:1:3::1")
    assert tryon.hash_ip("not an ip") == ""


def test_pending_cap_per_session_refuses_new_generations_only(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "TRY_ON": {"ENABLED": True, "MAX_PENDING_PER_SESSION": 2}}
    product = dress()
    tryon.request_try_on(product, TryOnProfile.from_choices(150, "M", "studio"), session_key="busy")
    tryon.request_try_on(product, TryOnProfile.from_choices(155, "M", "studio"), session_key="busy")
    someone_elses = tryon.request_try_on(product, M160, session_key="other").video

    with pytest.raises(tryon.TooManyPending) as refused:
        tryon.request_try_on(product, TryOnProfile.from_choices(165, "M", "studio"), session_key="busy")

    assert "2 videos being made" in str(refused.value) and refused.value.status_code == 429
    assert try_on_rows().count() == 3
    # Joining a video that is already being made costs nothing, so the cap does not apply.
    assert tryon.request_try_on(product, M160, session_key="busy").video == someone_elses
    # The joined video now counts as pending for this session too; once two are done it may ask again.
    try_on_rows().filter(profile__height_cm__in=[150, 160]).update(status=VideoStatus.READY)
    live_counter.changed()  # a direct update sends no signal
    tryon.request_try_on(product, TryOnProfile.from_choices(165, "M", "studio"), session_key="busy")


def test_spent_shopper_budget_answers_at_once_and_creates_nothing(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "BUDGET": {"SHOPPER_DAILY": Decimal("1.00")}}
    product = dress()
    Spend.objects.create(
        amount=Decimal("0.80"), shopper=True, provider="default", model="sora-2", preset="worn",
        day=timezone.localdate(), kind=SpendKind.SETTLED, settled_amount=Decimal("0.80"),
    )

    with pytest.raises(tryon.BudgetSpent) as refused:
        tryon.request_try_on(product, M160, session_key="a")

    assert refused.value.code == "budget_shopper_daily" and refused.value.status_code == 429
    assert "budget for try-on videos is used up" in str(refused.value)
    assert try_on_rows().count() == 0 and TryOnRequest.objects.count() == 0


def test_queued_shopper_videos_count_against_the_budget_before_the_worker_reserves(settings):
    # 0.80 per video (8 s x 0.10): the first fits in 1.00, the second would not, though nothing is reserved yet.
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "BUDGET": {"SHOPPER_DAILY": Decimal("1.00")}}
    product = dress()
    tryon.request_try_on(product, M160, session_key="a")

    with pytest.raises(tryon.BudgetSpent):
        tryon.request_try_on(product, TryOnProfile.from_choices(170, "M", "studio"), session_key="b")
    # ...but anyone may still join the video already asked for.
    assert tryon.request_try_on(product, M160, session_key="c").created is False


def test_the_global_daily_cap_also_refuses_up_front(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "BUDGET": {"DAILY": Decimal("0.50")}}

    with pytest.raises(tryon.BudgetSpent) as refused:
        tryon.request_try_on(dress(), M160, session_key="a")

    assert refused.value.code == "budget_daily"


def test_disabled_and_not_wearable(settings):
    shoe = dress(category="home")
    with pytest.raises(tryon.NotWearable):
        tryon.request_try_on(shoe, M160, session_key="a")
    assert not tryon.offers_try_on(shoe)

    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "TRY_ON": {"ENABLED": False}}
    with pytest.raises(tryon.TryOnDisabled) as refused:
        tryon.request_try_on(dress(), M160, session_key="a")
    assert refused.value.status_code == 404
    assert try_on_rows().count() == 0


def test_common_profiles_cover_the_middle_heights_and_sizes():
    profiles = tryon.common_profiles()

    assert {p.height_cm for p in profiles} == {155, 160, 165, 170, 175}
    assert {p.size for p in profiles} == {"S", "M", "L"}
    assert {p.scene for p in profiles} == {"studio"}
    assert len(profiles) == 15


def test_common_profiles_follow_the_settings(settings):
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "TRY_ON": {"HEIGHT_STEP_CM": 10, "SIZES": ["S", "M", "L", "XL"], "SCENES": ["street", "studio"]},
    }
    profiles = tryon.common_profiles()

    assert {p.height_cm for p in profiles} == {160, 170, 180}
    assert {p.size for p in profiles} == {"S", "M", "L"} and {p.scene for p in profiles} == {"street"}


def test_prerender_requests_common_buckets_once_for_wearable_products(
    _captured_queue, django_capture_on_commit_callbacks
):
    wearable, shoe = dress(), dress(category="home")
    _captured_queue.clear()

    with django_capture_on_commit_callbacks(execute=True):
        videos = tryon.prerender([wearable, shoe])

    assert len(videos) == 15 and len(_captured_queue) == 15
    assert {v.origin for v in videos} == {Origin.COMMAND}
    assert all(v.object_id == str(wearable.pk) for v in videos)
    with django_capture_on_commit_callbacks(execute=True):
        assert tryon.prerender([wearable]) == videos  # idempotent: the same rows
    assert len(_captured_queue) == 15
    # A shopper in a pre-rendered bucket joins it: no new generation.
    assert tryon.request_try_on(wearable, M160, session_key="a").created is False


@pytest.mark.django_db(transaction=True)
def test_shoppers_asking_at_the_same_moment_share_one_row():
    product = dress()
    barrier = threading.Barrier(8)
    asks, errors = [], []

    def ask(number: int) -> None:
        try:
            mine = type(product).objects.get(pk=product.pk)  # each shopper's request loads its own product
            barrier.wait(timeout=10)
            asks.append(tryon.request_try_on(mine, M160, session_key=f"s{number}"))
        except Exception as exc:  # asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert try_on_rows().count() == 1
    assert sum(a.created for a in asks) == 1
    assert TryOnRequest.objects.count() == 8


def test_a_product_whose_photo_cannot_be_used_is_not_offered_try_on(client):
    from django.core.cache import cache

    cache.clear()
    broken = dress(photo=b"this is not an image")
    assert not tryon.offers_try_on(broken)
    html = client.get(broken.get_absolute_url()).content.decode()
    assert 'class="sora-try-on"' not in html
    with pytest.raises(tryon.PhotoUnusable) as refused:
        tryon.request_try_on(broken, M160, session_key="a")
    assert "watch the product video" in str(refused.value) and "size" not in str(refused.value)
    assert not try_on_rows().exists()
    assert tryon.offers_try_on(dress())
