"""Oscar's own pages with the documented templates: the product page, the catalogue and search listings."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from sora_products import live_counter
from sora_products.models import ProductVideo
from tests.oscar_shop.conftest import oscar_product, variant
from tests.videos import finish

pytestmark = pytest.mark.django_db

PLAYER = re.compile(r'<figure class="sora-player[^"]*"[^>]*data-video-id="(\d+)"')


def with_video(**kwargs):
    product = oscar_product(**kwargs)
    video = finish(ProductVideo.objects.for_product(product).get())
    return product, video


def players(html: str) -> list[int]:
    return [int(pk) for pk in PLAYER.findall(html)]


def test_the_product_page_shows_the_player_and_the_gallery(client):
    product, video = with_video(title="Linen shirt")
    response = client.get(product.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert players(html) == [video.pk]
    assert 'id="product_gallery"' in html  # Oscar's gallery stays below the video
    assert '"@type": "VideoObject"' in html


def test_the_catalogue_page_shows_a_card_player_per_product_inside_its_image_box(client):
    videos = [with_video()[1] for _ in range(3)]
    html = client.get("/catalogue/").content.decode()
    assert sorted(players(html)) == sorted(v.pk for v in videos)
    for card in re.findall(r'<article class="product_pod">.*?</article>', html, re.S):
        media, _sep, rest = card.partition('<div class="product_price')
        assert "sora-player--compact" in media and 'class="sora-media-box"' in media
        assert "sora-player" not in rest  # price and "Add to basket" are outside the player's box


def test_search_results_show_the_card_players(client):
    product, video = with_video(title="Seersucker shirt")
    oscar_product(title="Canvas tote")
    html = client.get("/search/", {"q": "Seersucker"}).content.decode()
    assert players(html) == [video.pk]


def test_prefetch_prints_nothing_with_or_without_as(client):
    product, video = with_video()
    from oscar.core.loading import get_model

    products = get_model("catalogue", "Product").objects.filter(pk=product.pk)
    plain = Template("{% load sora_products %}[{% prefetch_product_videos products %}]").render(
        Context({"products": products})
    )
    named = Template(
        "{% load sora_products %}[{% prefetch_product_videos products as videos %}]{{ videos|length }}"
    ).render(Context({"products": products}))
    assert plain == "[]"
    assert named == "[]1"


def test_a_variant_without_a_photo_shows_its_parents_video(client, parent_product):
    video = finish(ProductVideo.objects.for_product(parent_product).get())
    child = variant(parent_product, title="Linen shirt, large")
    response = client.get(child.get_absolute_url())
    assert response.status_code == 200
    assert players(response.content.decode()) == [video.pk]
    assert ProductVideo.objects.count() == 1  # the child caused no create


def oscar_templates_only(settings):
    """The same shop without our templates: Oscar's own pages, for the side-by-side query count."""
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": []}]


def catalogue_queries(client, settings, *, ours: bool) -> tuple[int, str]:
    if not ours:
        oscar_templates_only(settings)
    client.get("/catalogue/")  # warm: content types, sites, Oscar's caches
    live_counter.forget()
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/catalogue/").content.decode()
    return len(queries), html


@pytest.mark.parametrize("count", [5, 40])
def test_the_catalogue_pays_the_same_few_queries_for_5_or_40_products(client, settings, count):
    for _ in range(count):
        with_video()
    original = settings.TEMPLATES
    plain, _html = catalogue_queries(client, settings, ours=False)
    settings.TEMPLATES = original
    with_tags, html = catalogue_queries(client, settings, ours=True)
    assert len(players(html)) == count
    assert with_tags - plain <= 2, (plain, with_tags)


def test_the_product_page_offers_see_it_worn_for_clothing_and_not_for_books(client):
    shirt, _video = with_video(product_class="Clothing")
    book, _video = with_video(product_class="Books")
    assert "data-sora-try-on" in client.get(shirt.get_absolute_url()).content.decode()
    assert "data-sora-try-on" not in client.get(book.get_absolute_url()).content.decode()


def test_a_parent_with_variants_offers_see_it_worn_beside_its_variant_list(client, parent_product):
    finish(ProductVideo.objects.for_product(parent_product).get())
    variant(parent_product, title="Linen shirt, large")
    html = client.get(parent_product.get_absolute_url()).content.decode()
    assert "Variants:" in html and "data-sora-try-on" in html


def product_page_queries(client, settings, product, *, ours: bool) -> int:
    original = settings.TEMPLATES
    if not ours:
        oscar_templates_only(settings)
    client.get(product.get_absolute_url())
    live_counter.forget()
    with CaptureQueriesContext(connection) as queries:
        client.get(product.get_absolute_url())
    count = len(queries)
    settings.TEMPLATES = original
    return count


def test_recommended_product_cards_cost_no_query_each(client, settings):
    from oscar.core.loading import get_model

    recommendation = get_model("catalogue", "ProductRecommendation")
    product, video = with_video()

    def extra_queries(cards: int) -> int:
        while recommendation.objects.filter(primary=product).count() < cards:
            recommendation.objects.create(primary=product, recommendation=with_video()[0])
        ours = product_page_queries(client, settings, product, ours=True)
        return ours - product_page_queries(client, settings, product, ours=False)

    one, six = extra_queries(1), extra_queries(6)
    assert one == six, (one, six)  # the product's own video and "see it worn": a few queries, not one per card
    html = client.get(product.get_absolute_url()).content.decode()
    assert players(html) == [video.pk]  # recommended cards show Oscar's images: their page looked nothing up
