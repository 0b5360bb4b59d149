"""TRY_ON["GENERATE"]: make every asked bucket, make it once enough shoppers ask, or never make new ones."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from sora_products import tryon
from sora_products.models import ProductVideo, TryOnRequest
from sora_products.specs import TryOnProfile
from sora_products.storefront import product_ref
from tests.stack import run_concurrently
from tests.storefront.helpers import dress, ready_video

pytestmark = pytest.mark.django_db

TRY_ON_URL = reverse("sora_products:api:try-on")
FORM_URL = reverse("sora_products:try-on")


def policy(settings, generate: str, **options) -> None:
    try_on = {**settings.SORA_PRODUCTS["TRY_ON"], "ENABLED": True, "GENERATE": generate, **options}
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "TRY_ON": try_on}


def ask(product, height=170, size="M", scene="studio", client: Client | None = None):
    body = {"product": product_ref(product), "height_cm": height, "size": size, "scene": scene}
    return (client or Client()).post(TRY_ON_URL, json.dumps(body), content_type="application/json")


def worn(product):
    return ProductVideo.objects.for_product(product).filter(preset="worn")


def test_on_demand_makes_the_bucket_when_the_third_session_asks(
    settings, _captured_queue, django_capture_on_commit_callbacks
):
    policy(settings, "on_demand")
    product = dress()
    _captured_queue.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first, second = ask(product), ask(product)
    for answer in (first, second):
        data = answer.json()
        assert answer.status_code == 200 and data["id"] is None and data["status_url"] is None
        assert data["state"] == "not_made" and data["new_generation"] is False
    assert not worn(product).exists() and _captured_queue == []

    with django_capture_on_commit_callbacks(execute=True):
        third = ask(product).json()
    video = worn(product).get()
    assert third["id"] == video.pk and third["new_generation"] is True
    assert TryOnRequest.objects.filter(video=video).count() == 3  # the earlier demand is served by it too
    assert _captured_queue == [video.pk]


def test_asking_twice_from_one_session_is_one_voice(settings):
    policy(settings, "on_demand", DEMAND_THRESHOLD=2)
    product, shopper = dress(), Client()
    ask(product, client=shopper)
    ask(product, client=shopper)
    assert not worn(product).exists()
    ask(product)
    assert worn(product).count() == 1


def test_until_then_the_nearest_stand_in_plays_else_the_showcase_video(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": False}
    policy(settings, "on_demand")
    product = dress()
    showcase = ready_video(product, "showcase")
    data = ask(product).json()
    assert data["stand_in"]["video_id"] == showcase.pk and data["stand_in"]["height_cm"] is None
    assert data["stand_in"]["src"].startswith("http://testserver/")
    assert data["message"] == (
        "Here is the product video. We make a video at your height, 170 cm, once a few more shoppers ask for it."
    )
    near = ready_video(product, "worn", profile=TryOnProfile.from_choices(165, "M", "studio"))
    data = ask(product).json()
    assert data["stand_in"]["video_id"] == near.pk
    assert data["message"].startswith("Shown on a 165 cm model. We make a video at your height, 170 cm")


def test_never_makes_nothing_new_and_says_so(settings, _captured_queue, django_capture_on_commit_callbacks):
    policy(settings, "never")
    product = dress()
    _captured_queue.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            data = ask(product).json()
    assert not worn(product).exists() and _captured_queue == []
    assert data["message"] == "There is no try-on video near your height in this size and setting."
    made = ready_video(product, "worn", profile=TryOnProfile.from_choices(175, "M", "studio"))
    data = ask(product).json()
    assert data["stand_in"]["video_id"] == made.pk
    assert data["message"] == "Shown on a 175 cm model, the nearest to your height, 170 cm, that we have."
    exact = ask(product, height=175)
    assert exact.status_code == 200 and exact.json()["id"] == made.pk and exact.json()["ready"]


def test_the_page_without_javascript_shows_what_plays_instead(client, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": False}
    policy(settings, "never")
    product = dress()
    showcase = ready_video(product, "showcase")
    data = {"product": product_ref(product), "height_cm": "170", "size": "M", "scene": "studio"}
    response = client.post(FORM_URL, data)
    assert response.status_code == 302
    assert "try_on_height=170" in response["Location"] and "try_on_size=M" in response["Location"]
    html = client.get(response["Location"].split("#")[0]).content.decode()
    section = html[html.index('<section class="sora-try-on"') :]
    assert "Here is the product video. There is no try-on video near your height" in section
    assert f'data-video-id="{showcase.pk}"' in section


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_sessions_at_once_cross_the_threshold_into_one_generation(settings):
    policy(settings, "on_demand")
    product = dress()
    profile = TryOnProfile.from_choices(170, "M", "studio")
    sessions = iter(range(20))

    def one_shopper() -> None:
        mine = type(product).objects.get(pk=product.pk)  # each shopper's request loads its own product
        tryon.request_try_on(mine, profile, session_key=f"session-{next(sessions)}")

    assert run_concurrently(20, one_shopper) == []
    video = worn(product).get()
    assert TryOnRequest.objects.filter(video=video).count() == 20
    assert TryOnRequest.objects.filter(video__isnull=True).count() == 0


def test_demand_that_no_single_ask_saw_cross_the_threshold_is_made_by_the_sync_pass(settings):
    """Asks answered in request transactions can't see each other's rows; the sync pass counts them after."""
    from sora_products.tasks import sync_videos

    policy(settings, "on_demand")
    product = dress()
    profile = TryOnProfile.from_choices(170, "M", "studio")
    for number in range(2):
        tryon.request_try_on(product, profile, session_key=f"s{number}")
    seen = TryOnRequest.objects.first()
    # A third ask that counted before the other two had committed: recorded, but it made nothing.
    TryOnRequest.objects.create(
        session_key="s2",
        content_type=seen.content_type,
        object_id=seen.object_id,
        spec_key=seen.spec_key,
        profile=profile.as_dict(),
    )
    assert not worn(product).exists()
    sync_videos()
    video = worn(product).get()
    assert video.profile == profile.as_dict()
    assert TryOnRequest.objects.filter(video=video).count() == 3
    assert TryOnRequest.objects.filter(video__isnull=True).count() == 0


def test_the_ask_that_crosses_the_threshold_is_not_refused_for_its_own_pending_videos(settings):
    policy(settings, "on_demand", MAX_PENDING_PER_SESSION=1)
    product, other = dress(), dress()
    tryon.request_try_on(other, TryOnProfile.from_choices(150, "M", "studio"), session_key="busy")
    tryon.request_try_on(other, TryOnProfile.from_choices(150, "M", "studio"), session_key="b")
    tryon.request_try_on(other, TryOnProfile.from_choices(150, "M", "studio"), session_key="c")
    profile = TryOnProfile.from_choices(170, "M", "studio")
    tryon.request_try_on(product, profile, session_key="x")
    tryon.request_try_on(product, profile, session_key="y")
    ask = tryon.request_try_on(product, profile, session_key="busy")  # busy already waits on another video
    assert ask.video is not None and ask.created


def test_an_old_link_of_an_unmade_ask_shows_the_bucket_once_it_is_being_made(client, settings):
    policy(settings, "on_demand")
    product = dress()
    data = {"product": product_ref(product), "height_cm": "170", "size": "M", "scene": "studio"}
    location = client.post(FORM_URL, data)["Location"].split("#")[0]
    assert "once a few more shoppers ask" in client.get(location).content.decode()
    ask(product)
    ask(product)  # the third session: the bucket is made
    html = client.get(location).content.decode()
    section = html[html.index('<section class="sora-try-on"') :]
    assert "once a few more shoppers ask" not in section
    assert "Your video is in the queue" in section
