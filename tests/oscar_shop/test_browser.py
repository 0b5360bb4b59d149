"""Oscar's pages in headless Chromium: the card player covers the image box only, and everything stays clickable."""

from __future__ import annotations

import pytest

from sora_products.models import ProductVideo
from tests.oscar_shop.conftest import oscar_product
from tests.videos import finish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def products_with_videos(count: int) -> list:
    made = []
    for number in range(count):
        product = oscar_product(title=f"Linen shirt {number}")
        finish(ProductVideo.objects.for_product(product).get())
        made.append(product)
    return made


def boxes(page) -> list[dict]:
    """Per card: the image box, the player, the "Add to basket" button, and what a click on the button hits."""
    return page.evaluate(
        """() => [...document.querySelectorAll('article.product_pod')].map(card => {
            const rect = el => {
                const r = el.getBoundingClientRect();
                return {x: r.x, y: r.y, w: r.width, h: r.height};
            };
            const media = card.querySelector('.sora-media-box'), player = card.querySelector('.sora-player--compact');
            const button = card.querySelector('form button, form [type=submit]');
            const b = button.getBoundingClientRect();
            const hit = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
            return {media: rect(media), player: rect(player), button: rect(button), buttonHit: button.contains(hit)};
        })"""
    )


def test_the_card_player_covers_the_image_box_only_and_a_click_on_it_opens_the_product(
    live_server, browser, artifacts_dir
):
    products = products_with_videos(3)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/catalogue/", wait_until="domcontentloaded")
    page.wait_for_selector(".sora-player--compact")
    page.screenshot(path=str(artifacts_dir / "oscar-catalogue.png"), full_page=True)
    cards = boxes(page)
    assert len(cards) == 3
    for card in cards:
        media, player = card["media"], card["player"]
        assert player["w"] > 100 and player["h"] > 100
        assert abs(player["x"] - media["x"]) < 1 and abs(player["y"] - media["y"]) < 1
        assert abs(player["w"] - media["w"]) < 1 and abs(player["h"] - media["h"]) < 1
        assert card["button"]["y"] >= player["y"] + player["h"]  # "Add to basket" is below the player
        assert card["buttonHit"], "the player covers the Add to basket button"
    # A click on the playing video reaches the image's link beneath it, as a click on the photo would.
    href = page.locator("article.product_pod .sora-media-box a").first.get_attribute("href")
    assert href in {product.get_absolute_url() for product in products}
    player = cards[0]["player"]
    page.mouse.click(player["x"] + player["w"] / 2, player["y"] + player["h"] / 2)
    page.wait_for_url(f"{live_server.url}{href}")


def test_the_product_page_shows_the_player_above_the_gallery(live_server, browser, artifacts_dir):
    (product,) = products_with_videos(1)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + product.get_absolute_url(), wait_until="domcontentloaded")
    player = page.wait_for_selector("figure.sora-player:not(.sora-player--compact)")
    page.screenshot(path=str(artifacts_dir / "oscar-product.png"), full_page=True)
    video_box = player.bounding_box()
    gallery_box = page.locator("#product_gallery").bounding_box()
    assert video_box["width"] > 200
    assert video_box["y"] + video_box["height"] <= gallery_box["y"] + 1
    assert page.get_by_text("AI-generated").first.is_visible()
