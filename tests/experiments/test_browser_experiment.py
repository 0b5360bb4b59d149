"""On the demo shop in Chromium: the video arm's impressions and plays are counted, the photo arm's plays are
not, and "Add to bag" reaches the experiment."""

from __future__ import annotations

import time

import pytest

from sora_products.experiments.assignment import VISITOR_COOKIE
from sora_products.experiments.models import Exposure
from sora_products.models import ProductVideo
from tests.experiments.helpers import BROWSER, photo_vs_video, visitor_in
from tests.storefront.helpers import dress, finish
from tests.storefront.urls import MEDIA_URL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for(check, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("the page's report did not arrive")


def shopper(browser, live_server, who: str, agent: str = BROWSER):
    context = browser.new_context(user_agent=agent, viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": VISITOR_COOKIE, "value": who, "url": live_server.url}])
    return context.new_page()


def test_the_video_arm_counts_impressions_and_plays_and_add_to_bag_reaches_the_experiment(
    live_server, browser, settings, real_clip, artifacts_dir
):
    settings.ROOT_URLCONF = "tests.storefront.urls"
    settings.MEDIA_URL = MEDIA_URL
    product = dress()
    finish(ProductVideo.objects.for_product(product).get(preset="showcase"), content=real_clip)
    experiment = photo_vs_video()
    watcher, reader = visitor_in(experiment, "treatment"), visitor_in(experiment, "control")

    video_page = shopper(browser, live_server, watcher)
    video_page.goto(live_server.url + product.get_absolute_url())
    row = wait_for(lambda: Exposure.objects.filter(visitor=watcher, played=True).first())
    assert row.arm == "treatment"
    video_page.screenshot(path=str(artifacts_dir / "experiment-video-arm.png"))

    photo_page = shopper(browser, live_server, reader)
    photo_page.goto(live_server.url + product.get_absolute_url())
    row = wait_for(lambda: Exposure.objects.filter(visitor=reader).first())
    assert row.arm == "control" and photo_page.locator(".product__media video").count() == 0

    photo_page.click("[data-add-to-bag]")
    photo_page.wait_for_selector(".message")
    assert Exposure.objects.get(visitor=reader).added_to_basket
    assert not Exposure.objects.get(visitor=watcher).added_to_basket

    headless = shopper(browser, live_server, visitor_in(experiment, "treatment", start=1000), agent="HeadlessChrome")
    headless.goto(live_server.url + product.get_absolute_url())
    headless.wait_for_timeout(1500)
    assert Exposure.objects.count() == 2  # a headless browser's own user agent counts as a bot


def test_the_results_and_return_pages_read_well_in_the_admin(live_server, browser, artifacts_dir):
    from django.contrib.auth import get_user_model

    from sora_products.models import Spend, SpendKind
    from tests.experiments.test_results import fill

    get_user_model().objects.create_user("owner", password="pw", is_staff=True, is_superuser=True)
    video = finish(ProductVideo.objects.for_product(dress()).get(preset="showcase"))
    Spend.objects.create(
        video=video, kind=SpendKind.SETTLED, amount=40, settled_amount=40, provider="default", model="sora-2",
        preset="showcase", day="2026-12-01",
    )  # fmt: skip
    experiment = photo_vs_video()
    fill(experiment, "control", 20_000, 1000)
    fill(experiment, "treatment", 20_000, 1300, start=100_000)

    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "owner")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/sora_products/experiment/{experiment.pk}/change/")
    verdict = page.text_content(".sora-verdict")
    assert verdict.strip() == "The video arm adds between 0.8 and 2.2 percentage points to add-to-basket."
    page.locator(".sora-experiment-results").screenshot(path=str(artifacts_dir / "experiment-results.png"))
    page.screenshot(path=str(artifacts_dir / "experiment-admin.png"), full_page=True)
    page.goto(f"{live_server.url}/admin/sora_products/spend/return/")
    returned = page.text_content("[data-preset=showcase] [data-return]")
    assert returned.startswith("$40.00 spent; among the 20000 visitors")
    page.screenshot(path=str(artifacts_dir / "return-on-spend.png"), full_page=True)


def test_a_card_below_the_fold_counts_only_once_scrolled_into_view(live_server, browser, settings, real_clip):
    from django.contrib.contenttypes.models import ContentType

    from sora_products.experiments.models import Scope

    settings.ROOT_URLCONF = "tests.storefront.urls"
    settings.MEDIA_URL = MEDIA_URL
    products = [dress(name=f"Dress {n:02}") for n in range(16)]
    for product in products:
        finish(ProductVideo.objects.for_product(product).get(preset="showcase"), content=real_clip)
    last = products[-1]
    experiment = photo_vs_video(
        scope=Scope.PRODUCT, content_type=ContentType.objects.get_for_model(last), object_id=str(last.pk)
    )
    who = visitor_in(experiment, "treatment")
    page = shopper(browser, live_server, who)
    page.goto(live_server.url + "/")
    card = page.locator("[data-sora-experiment]").locator("xpath=..")
    assert card.count() == 1 and card.bounding_box()["y"] > 900  # below the fold of a 900 px window
    page.wait_for_timeout(1500)  # a report would have gone after 0.2 s
    assert not Exposure.objects.filter(visitor=who).exists()
    card.scroll_into_view_if_needed()
    row = wait_for(lambda: Exposure.objects.filter(visitor=who, played=True).first())
    assert row.arm == "treatment"
