"""A shop admin meets a held video in a real browser: the drift in words and colours, and the one-click fix."""

from __future__ import annotations

import httpx
import pytest
from django.contrib.auth.models import User

from sora_products.models import ProductVideo, VideoStatus
from tests.factories import make_product
from tests.integration.helpers import drive

pytestmark = [
    pytest.mark.browser,
    pytest.mark.urls("tests.admin.urls"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


def test_a_held_video_is_fixed_with_one_click(stack, browser, artifacts_dir):
    ca = httpx.get(stack.emulator.url + "/_emulator/c2pa-ca.pem").text
    stack.apply(REQUIRE_APPROVAL=False, PROVENANCE={"TRUST_ANCHORS": ca})
    stack.emulator.configure(colour_drift=1.0)
    User.objects.create_superuser("boss", "boss@example.com", "correct horse")
    held = drive(ProductVideo.objects.for_product(make_product(name="Field jacket", colour="navy")).get().pk)
    assert held.status == VideoStatus.HELD

    page = browser.new_page(viewport={"width": 1440, "height": 1100})
    page.goto(f"{stack.live_server.url}/admin/login/?next=/admin/sora_products/productvideo/{held.pk}/change/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "correct horse")
    page.click("input[type=submit]")
    page.wait_for_selector(".sora-explain--warning")
    assert "looks different from its photo" in page.inner_text(".sora-explain--warning")
    swatches = page.query_selector_all(".sora-check .sora-swatch")
    colours = [swatch.evaluate("el => getComputedStyle(el).backgroundColor") for swatch in swatches]
    assert len(colours) == 2 and colours[0] != colours[1]
    assert "signed by sora-products emulator, valid" in page.inner_text(".sora-checks")
    page.screenshot(path=str(artifacts_dir / "admin-held-video.png"), full_page=True)

    stack.emulator.configure(colour_drift=0.0)
    page.click("text=Remix to fix the colour")
    page.wait_for_selector("text=Asked for a remix")
    remix = ProductVideo.objects.get(remixed_from=held)
    assert remix.remix_prompt == held.fix_prompt
    fixed = drive(remix.pk)
    assert fixed.status == VideoStatus.READY and fixed.is_live
    page.reload()
    page.wait_for_selector(".sora-check--good")
    page.screenshot(path=str(artifacts_dir / "admin-fixed-video.png"), full_page=True)
