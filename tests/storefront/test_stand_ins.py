"""Stand-ins: while a shopper's own bucket is not live, the nearest live video of the same size and scene plays."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from sora_products import tryon
from sora_products.models import ProductVideo, VideoStatus
from sora_products.specs import TryOnProfile
from sora_products.storefront import product_ref
from tests.storefront.helpers import dress, finish, ready_video

pytestmark = pytest.mark.django_db

TRY_ON_URL = reverse("sora_products:api:try-on")


def made(product, height: int, size: str = "M", scene: str = "studio", **kwargs) -> ProductVideo:
    return ready_video(product, "worn", profile=TryOnProfile.from_choices(height, size, scene), **kwargs)


def asked(product, height: int, size: str = "M", scene: str = "studio") -> ProductVideo:
    return tryon.request_try_on(product, TryOnProfile.from_choices(height, size, scene), session_key="s").video


def ask(client: Client, product, height=170, size="M", scene="studio"):
    body = {"product": product_ref(product), "height_cm": height, "size": size, "scene": scene}
    return client.post(TRY_ON_URL, json.dumps(body), content_type="application/json")


def test_the_nearest_live_height_of_the_same_size_and_scene_stands_in():
    product = dress()
    near, _far = made(product, 165), made(product, 150)
    made(product, 170, size="L")  # another size
    made(product, 170, scene="street")  # another scene
    made(dress(), 170)  # another product
    assert tryon.stand_in_for(asked(product, 170)) == near


def test_only_live_videos_within_stand_in_cm_stand_in(settings):
    product = dress()
    made(product, 165, approved=False)  # not approved: not live while approval is required
    finish(ProductVideo.objects.get(pk=made(product, 175).pk))
    ProductVideo.objects.filter(profile__height_cm=175).update(outdated=True)  # the product changed since
    assert tryon.stand_in_for(asked(product, 170)) is None
    made(product, 180)  # exactly STAND_IN_CM (10) away: inclusive
    assert tryon.stand_in_for(asked(product, 170)).profile["height_cm"] == 180
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "TRY_ON": {**settings.SORA_PRODUCTS["TRY_ON"], "STAND_IN_CM": 5},
    }
    assert tryon.stand_in_for(asked(product, 170)) is None


def test_between_two_equally_near_models_the_taller_stands_in():
    product = dress()
    made(product, 165)
    taller = made(product, 175)
    assert tryon.stand_in_for(asked(product, 170)) == taller


def test_the_answer_carries_the_stand_in_with_absolute_urls_and_an_honest_sentence(client):
    product = dress()
    stand_in = made(product, 165)

    response = ask(client, product, height=170)

    assert response.status_code == 202
    data = response.json()
    assert (data["state"], data["ready"]) == ("working", False)
    assert data["stand_in"] == {
        "video_id": stand_in.pk,
        "height_cm": 165,
        "size": "M",
        "scene": "studio",
        "src": f"http://testserver{stand_in.video_file.url}",
        "poster": f"http://testserver{stand_in.poster.url}",
    }
    assert data["message"] == "Shown on a 165 cm model. Yours, at 170 cm, is being made."
    status = client.get(data["status_url"]).json()
    assert status["stand_in"]["video_id"] == stand_in.pk

    # Once the shopper's own video is live, it plays and the stand-in is gone.
    finish(ProductVideo.objects.get(pk=data["id"]))
    status = client.get(data["status_url"]).json()
    assert status["ready"] and status["stand_in"] is None


def test_a_failed_own_video_is_not_called_being_made(client):
    product = dress()
    made(product, 165)
    data = ask(client, product, height=170).json()
    ProductVideo.objects.filter(pk=data["id"]).update(status=VideoStatus.FAILED, error_code="provider_error")
    status = client.get(data["status_url"]).json()
    assert status["stand_in"] is not None
    assert "being made" not in status["message"]
    assert status["message"] == "Shown on a 165 cm model. A video at your height, 170 cm, can't be made right now."


def test_no_stand_in_when_nothing_near_is_live(client):
    data = ask(client, dress(), height=170).json()
    assert data["stand_in"] is None and "Shown on" not in data["message"]


def test_the_page_without_javascript_shows_the_stand_in_with_its_sentence(client):
    product = dress()
    stand_in = made(product, 165)
    video = asked(product, 170)
    html = client.get(f"{product.get_absolute_url()}?try_on={video.pk}").content.decode()
    assert f'data-video-id="{stand_in.pk}"' in html
    assert "Shown on a 165 cm model. Yours, at 170 cm, is being made." in html


def test_a_multipart_post_without_a_boundary_is_a_400_with_a_sentence():
    # The CSRF check reads the form first, as for every real browser holding the CSRF cookie.
    browser = Client(enforce_csrf_checks=True)
    browser.cookies["csrftoken"] = "a" * 32
    response = browser.generic("POST", TRY_ON_URL, b"height_cm=170", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The request could not be read.")


def test_a_blocked_own_video_with_a_stand_in_says_it_waits_not_that_it_cant_be_made(client):
    product = dress()
    made(product, 165)
    data = ask(client, product, height=170).json()
    ProductVideo.objects.filter(pk=data["id"]).update(status=VideoStatus.BLOCKED, error_code="quota")
    status = client.get(data["status_url"]).json()
    assert status["message"].startswith("Shown on a 165 cm model. The video service is busy right now.")
    assert "can't be made" not in status["message"]
