"""The headline case in a real browser: a shopper asks to see a dress worn at 160 cm and watches it.

Headless Chromium (Playwright) on the demo shop served by the live server, a real qcluster worker
and the emulator rendering real H.264 MP4s; media is served by serve_media with HTTP Range.
"""

from __future__ import annotations

import pytest

from demo_shop.catalog.photos import CATALOGUE, photos_for
from sora_products.models import ProductVideo, TryOnRequest, VideoStatus
from tests.factories import make_product
from tests.storefront.urls import MEDIA_URL

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

RESULT_VIDEO = "[data-sora-video] video"
PLAYING = """(selector) => {
  const video = document.querySelector(selector);
  return !!video && !video.error && video.readyState >= 2 && video.currentTime > 0.3;
}"""


def ask_to_see_it_worn(page, url: str) -> None:
    page.goto(url)
    page.select_option("#sora-try-on-height", "160")
    page.check("input[name=size][value=M]", force=True)
    page.check("input[name=scene][value=street]", force=True)
    page.click("[data-sora-submit]")


def current_time(page) -> float:
    return page.evaluate(f"document.querySelector('{RESULT_VIDEO}').currentTime")


def test_shopper_sees_the_dress_worn_and_the_next_shopper_gets_it_at_once(
    stack, browser, settings, artifacts_dir
):
    settings.ROOT_URLCONF = "tests.storefront.urls"
    settings.MEDIA_URL = MEDIA_URL
    stack.apply(REQUIRE_APPROVAL=False)
    stack.emulator.configure(complete_after=2.0, poll_after_ms=200)
    stack.start_worker(workers=2)
    (spec,) = [p for p in CATALOGUE if p.slug == "linen-midi-dress"]
    product = make_product(
        name=spec.name, category="apparel", colour=spec.colour, photo=photos_for([spec])[spec.slug],
        description="A relaxed midi dress in washed linen with a tie waist.",
    )
    url = stack.live_server.url + product.get_absolute_url()
    showcase = stack.wait_until_terminal([ProductVideo.objects.get(preset="showcase").pk], timeout=60)[0]
    assert showcase.status == VideoStatus.READY, showcase.error_message

    first = browser.new_context(viewport={"width": 1280, "height": 900})
    page = first.new_page()
    ask_to_see_it_worn(page, url)

    page.wait_for_selector("[data-sora-progress]:not([hidden])", timeout=10_000)
    message = page.text_content("[data-sora-message]")
    assert "queue" in message or "being made" in message or "Asking" in message
    page.wait_for_function(PLAYING, arg=RESULT_VIDEO, timeout=60_000)
    assert page.is_hidden("[data-sora-progress]")
    before = current_time(page)
    page.wait_for_timeout(600)
    assert current_time(page) > before, "the video plays: currentTime advances"
    label = page.get_attribute(RESULT_VIDEO, "aria-label")
    assert label.startswith("AI-generated video") and "160 cm" in label
    assert page.is_visible("[data-sora-video] .sora-player__label")
    page.wait_for_function(PLAYING, arg=".product__media video", timeout=10_000)  # the showcase plays too
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header belongs at the top of a full-page shot
    page.screenshot(path=str(artifacts_dir / "try-on.png"), full_page=True)

    worn = ProductVideo.objects.get(preset="worn")
    assert worn.status == VideoStatus.READY
    assert worn.profile == {"height_cm": 160, "size": "M", "scene": "street"}
    creates = stack.emulator.stats()["creates"]

    second = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    other = second.new_page()
    ask_to_see_it_worn(other, url)
    other.wait_for_function(PLAYING, arg=RESULT_VIDEO, timeout=10_000)

    assert stack.emulator.stats()["creates"] == creates, "the second shopper paid for nothing"
    assert ProductVideo.objects.filter(preset="worn").count() == 1
    assert TryOnRequest.objects.filter(video=worn).count() == 2
    assert other.get_attribute(RESULT_VIDEO, "src").endswith(worn.video_file.name.rsplit("/", 1)[-1])

    calm = browser.new_context(reduced_motion="reduce")
    still = calm.new_page()
    still.goto(url)
    still.wait_for_selector(".product__media [data-sora-player][data-sora-bound]")
    facts = still.evaluate(
        "() => { const v = document.querySelector('.product__media video');"
        " return {paused: v.paused, autoplay: v.autoplay}; }"
    )
    assert facts == {"paused": True, "autoplay": False}, "no autoplay for prefers-reduced-motion"
    for context in (first, second, calm):
        context.close()
