"""The video list at a laptop's 1366 px, in English and Japanese: every column readable, one message a row."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from sora_products.jobs import breaker
from sora_products.models import ProductVideo, VideoStatus
from tests.factories import make_product
from tests.storefront.helpers import finish

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def videos_in_every_state() -> None:
    states = [
        (VideoStatus.READY, "", ""),
        (VideoStatus.IN_PROGRESS, "", ""),
        (VideoStatus.BLOCKED, "budget_daily", "Today's video budget is used up; it starts when the budget allows."),
        (VideoStatus.REQUESTED, "provider_unreachable", "The video provider is unreachable; the video waits."),
        (VideoStatus.FAILED, "image_truncated", "The product photo is damaged (the file ends early); upload it again."),
    ]
    for n, (status, code, message) in enumerate(states):
        video = ProductVideo.objects.for_product(make_product(name=f"Linen overshirt number {n}", colour="sage")).get()
        if status == VideoStatus.READY:
            finish(video)
            continue
        ProductVideo.objects.filter(pk=video.pk).update(
            status=status, progress=40, error_code=code, error_message=message, completed_at=timezone.now()
        )


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_video_list_fits_a_laptop_screen(live_server, browser, artifacts_dir, transactional_db, language):
    videos_in_every_state()
    for _ in range(3):  # the provider is down: the banner is part of what must fit
        breaker.record_failure("default", RuntimeError("connection refused"))
    User.objects.create_superuser("boss", "boss@example.com", "correct horse")
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale=language,
                            extra_http_headers={"Accept-Language": language})
    page.goto(f"{live_server.url}/admin/login/?next=/admin/sora_products/productvideo/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "correct horse")
    page.click("input[type=submit]")
    page.wait_for_selector("#result_list")
    page.screenshot(path=str(artifacts_dir / f"admin-video-list-{language}.png"), full_page=True)
    width = page.evaluate("document.querySelector('#result_list').getBoundingClientRect().right")
    assert width <= 1366, f"the list is {width:.0f} px wide: it scrolls sideways at 1366 px"
    # The budget sentence appears once in its row, not in several columns.
    assert page.locator(".messagelist .warning").count() == 1, "one outage banner"
    budget_row = page.locator("#result_list tbody tr", has_text="budget")
    if language == "en":
        assert budget_row.inner_text().count("budget is used up") == 1


def test_the_spend_chart_stays_readable_on_a_phone(live_server, browser, artifacts_dir, transactional_db):
    from decimal import Decimal

    from django.db import transaction

    from sora_products import budget

    video = ProductVideo.objects.for_product(make_product(name="Charted product")).get()
    with transaction.atomic():
        budget.reserve(video, Decimal("0.80"))
    budget.settle(video, Decimal("0.80"))
    User.objects.create_superuser("boss", "boss@example.com", "correct horse")
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/sora_products/spend/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "correct horse")
    page.click("input[type=submit]")
    label = page.wait_for_selector(".sora-chart .sora-chart__label")
    height = label.bounding_box()["height"]
    page.screenshot(path=str(artifacts_dir / "admin-spend-phone.png"), full_page=True)
    assert height >= 9, f"chart labels are {height:.1f} px tall on a phone"
