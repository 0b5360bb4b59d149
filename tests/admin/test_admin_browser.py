"""A shop admin generates a video in a real browser and watches it finish without reloading the page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from sora_products.models import ProductVideo, VideoStatus
from tests.factories import make_product

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.urls("tests.admin.urls"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


def test_generate_from_the_product_list_and_watch_it_finish(stack, browser, artifacts_dir):
    stack.apply(AUTO_GENERATE=False)
    stack.emulator.configure(complete_after=5.0)  # long enough to see the bar move
    User.objects.create_superuser("boss", "boss@example.com", "correct horse")
    product = make_product(name="Canvas sneaker", category="shoes", colour="white")
    stack.start_worker()

    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{stack.live_server.url}/admin/login/?next=/admin/catalog/product/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "correct horse")
    page.click("input[type=submit]")

    page.check(f"input[name=_selected_action][value='{product.pk}']")
    page.select_option("select[name=action]", "generate_videos")
    page.click("button[name=index]")
    page.wait_for_selector("text=Generate a video of 1 product")
    assert page.is_checked("input[name=preset][value=showcase]")
    page.click("input[type=submit][value='Generate videos']")

    try:
        page.wait_for_selector(".sora-progress")
        page.evaluate("window.soraNotReloaded = true")
        video = ProductVideo.objects.get()
        assert video.preset == "showcase"
        seen = set()
        page.expose_function("soraSeen", lambda value: seen.add(value))
        page.evaluate(
            "new MutationObserver(() => document.querySelectorAll('.sora-progress__label')"
            ".forEach(el => window.soraSeen(el.textContent)))"
            ".observe(document.body, {subtree: true, childList: true, characterData: true})"
        )
        page.wait_for_selector(".sora-progress__label:text('100%')", timeout=45_000)
        player = page.wait_for_selector(".sora-preview video", timeout=10_000)
        assert page.evaluate("window.soraNotReloaded") is True, "the page updated itself"
        assert player.get_attribute("poster")
        page.wait_for_function(
            "document.querySelector('.sora-preview video').readyState >= 1", timeout=10_000
        )  # the stored MP4 is served and its metadata loads
        assert page.inner_text(".sora-state .sora-status") == "Ready"
        video.refresh_from_db()
        assert video.status == VideoStatus.READY, video.error_message
        assert "100%" in seen
        assert any(0 < int(value.rstrip("%")) < 100 for value in seen), f"the bar moved: {sorted(seen)}"
    except Exception as exc:
        page.screenshot(path=str(artifacts_dir / "admin-generate-failed.png"))
        raise AssertionError(f"{exc}\nworker log:\n{stack.worker_log()}") from exc
    page.screenshot(path=str(artifacts_dir / "admin-generate.png"), full_page=False)


def test_a_video_page_left_open_shows_approve_when_the_video_finishes(stack, browser, artifacts_dir):
    stack.apply(REQUIRE_APPROVAL=True)
    stack.emulator.configure(complete_after=3.0)
    User.objects.create_superuser("boss", "boss@example.com", "correct horse")
    make_product(name="Wool scarf", colour="ochre")
    video = ProductVideo.objects.get()
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{stack.live_server.url}/admin/login/?next=/admin/sora_products/productvideo/{video.pk}/change/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "correct horse")
    page.click("input[type=submit]")
    try:
        page.wait_for_selector("button[value=cancel]")
        assert not page.query_selector("button[value=approve]")
        stack.start_worker()  # the video is made while the page stays open
        page.wait_for_selector("button[value=approve]", timeout=60_000)
        assert not page.query_selector("button[value=cancel]"), "no Cancel on a finished, paid video"
        assert page.inner_text(".sora-state .sora-status") == "Ready"
    except Exception as exc:
        page.screenshot(path=str(artifacts_dir / "admin-follow-failed.png"))
        raise AssertionError(f"{exc}\nworker log:\n{stack.worker_log()}") from exc
    page.screenshot(path=str(artifacts_dir / "admin-follow.png"))
