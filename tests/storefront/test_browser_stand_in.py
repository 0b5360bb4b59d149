"""A shopper at 170 cm sees the 165 cm video play at once with the stand-in sentence, then their own swaps in."""

from __future__ import annotations

import pytest

from sora_products.models import ProductVideo
from sora_products.specs import TryOnProfile
from tests.storefront.helpers import dress, finish, ready_video
from tests.storefront.urls import MEDIA_URL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULT_VIDEO = "[data-sora-video] video"
PLAYING = """(id) => {
  const player = document.querySelector('[data-sora-video] [data-sora-player]');
  const video = player && player.querySelector('video');
  return !!video && player.getAttribute('data-video-id') === String(id) && !video.error
    && video.readyState >= 2 && video.currentTime > 0.3;
}"""


def test_a_stand_in_plays_at_once_and_the_exact_video_swaps_in(
    live_server, browser, settings, real_clip, artifacts_dir
):
    settings.ROOT_URLCONF = "tests.storefront.urls"
    settings.MEDIA_URL = MEDIA_URL
    product = dress()
    stand_in = ready_video(product, "worn", profile=TryOnProfile.from_choices(165, "M", "studio"))
    finish(stand_in, content=real_clip)

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + product.get_absolute_url())
    page.select_option("#sora-try-on-height", "170")
    page.check("input[name=size][value=M]", force=True)
    page.check("input[name=scene][value=studio]", force=True)
    page.click("[data-sora-submit]")

    page.wait_for_function(PLAYING, arg=stand_in.pk, timeout=10_000)
    assert page.text_content("[data-sora-message]") == "Shown on a 165 cm model. Yours, at 170 cm, is being made."
    assert "165 cm" in page.get_attribute(RESULT_VIDEO, "aria-label")
    assert page.is_visible("[data-sora-progress]")
    page.locator("[data-sora-try-on]").screenshot(path=str(artifacts_dir / "try-on-stand-in.png"))

    exact = ProductVideo.objects.get(preset="worn", profile__height_cm=170)
    page.evaluate("window.scrollTo(0, 0)")  # the shopper scrolled back up while waiting
    finish(exact, content=real_clip)
    page.wait_for_function(PLAYING, arg=exact.pk, timeout=15_000)
    page.wait_for_function(
        "() => { const r = document.querySelector('[data-sora-video]').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight + 1; }",
        timeout=5_000,
    )  # the finished video scrolled into view
    assert page.text_content("[data-sora-message]") == "Your video is ready."
    assert "170 cm" in page.get_attribute(RESULT_VIDEO, "aria-label")
    assert page.is_hidden("[data-sora-progress]")


def test_on_demand_the_showcase_plays_with_a_sentence_until_enough_shoppers_ask(
    live_server, browser, settings, real_clip
):
    settings.ROOT_URLCONF = "tests.storefront.urls"
    settings.MEDIA_URL = MEDIA_URL
    try_on = {**settings.SORA_PRODUCTS["TRY_ON"], "ENABLED": True, "GENERATE": "on_demand"}
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "TRY_ON": try_on}
    product = dress()
    showcase = finish(ProductVideo.objects.for_product(product).get(preset="showcase"), content=real_clip)

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + product.get_absolute_url())
    page.select_option("#sora-try-on-height", "170")
    page.click("[data-sora-submit]")

    page.wait_for_function(PLAYING, arg=showcase.pk, timeout=10_000)
    message = page.text_content("[data-sora-message]")
    assert message.startswith("Here is the product video. We make a video at your height, 170 cm")
    assert "cm tall" not in page.get_attribute(RESULT_VIDEO, "aria-label")
    assert page.is_hidden("[data-sora-progress]")
    assert not ProductVideo.objects.filter(preset="worn").exists()


def test_without_javascript_the_watch_link_sits_below_the_videos_own_controls(
    live_server, browser, settings, real_clip, artifacts_dir
):
    settings.ROOT_URLCONF = "tests.storefront.urls"
    settings.MEDIA_URL = MEDIA_URL
    product = dress()
    finish(ProductVideo.objects.for_product(product).get(preset="showcase"), content=real_clip)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + product.get_absolute_url())
    link = page.locator(".product__media .sora-player__link")
    video = page.locator(".product__media video")
    assert link.is_visible()
    assert link.bounding_box()["y"] >= video.bounding_box()["y"] + video.bounding_box()["height"] - 1
    page.locator(".product__media").screenshot(path=str(artifacts_dir / "player-no-javascript-phone.png"))
    context.close()
