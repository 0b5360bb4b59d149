"""The storefront pages: list, filter, product page, language switching, and the blocks others fill."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from demo_shop.catalog.models import Product
from demo_shop.catalog.photos import CATALOGUE

pytestmark = pytest.mark.django_db

LIST_URL = reverse("catalog:list")


@pytest.fixture
def shop(seed):
    """The seeded demo catalogue, photos included."""
    seed()
    return {p.slug: p for p in Product.objects.all()}


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "the page has no <html lang>"
    return match.group(1)


def test_list_shows_every_product_with_name_colour_price_and_photo(client, shop):
    response = client.get(LIST_URL)

    assert response.status_code == 200
    html = response.content.decode()
    for spec in CATALOGUE:
        product = shop[spec.slug]
        assert spec.name in html
        assert f"${spec.price:.2f}" in html
        assert product.get_absolute_url() in html
        assert product.image.url in html
    assert html.count('class="product-card"') == len(CATALOGUE)


def test_list_filters_by_category(client, shop):
    response = client.get(LIST_URL, {"category": "shoes"})

    html = response.content.decode()
    shoes = [s for s in CATALOGUE if s.category == "shoes"]
    assert html.count('class="product-card"') == len(shoes)
    for spec in CATALOGUE:
        assert (spec.name in html) == (spec.category == "shoes"), spec.name
    assert re.search(r'href="/\?category=shoes" aria-current="page"', html)


def test_unknown_category_shows_everything(client, shop):
    html = client.get(LIST_URL, {"category": "spaceships"}).content.decode()
    assert html.count('class="product-card"') == len(CATALOGUE)


def test_empty_shop_says_so(client):
    html = client.get(LIST_URL).content.decode()
    assert "Nothing here yet." in html


def test_product_page_has_media_and_info_columns(client, shop):
    product = shop["linen-midi-dress"]

    response = client.get(product.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and product.name in html
    assert "$148.00" in html
    assert "Terracotta" in html and "Apparel" in html
    assert product.description in html
    assert f'src="{product.image.url}"' in html
    assert 'alt="Linen Midi Dress in Terracotta"' in html
    assert re.search(r'<form[^>]*action="/products/[^"]+/bag/"[^>]*>\s*<input[^>]*csrfmiddlewaretoken', html)
    assert "This is a demo shop, so nothing can be bought." in html  # "Add to bag" only counts for experiments


def test_product_without_photo_shows_a_placeholder(client):
    product = Product.objects.create(name="Plain Cap", slug="plain-cap", price="12.50", category="apparel")

    html = client.get(product.get_absolute_url()).content.decode()

    assert "No photo yet" in html
    assert "$12.50" in html
    assert "<img" not in html


def test_unknown_product_is_404(client):
    assert client.get(reverse("catalog:product", kwargs={"slug": "nope"})).status_code == 404


def test_pages_say_the_videos_are_ai_generated_and_load_nothing_from_the_internet(client, shop):
    for url in (LIST_URL, shop["daypack"].get_absolute_url()):
        html = client.get(url).content.decode()
        assert "AI-generated illustrations" in html
        assert not re.search(r'(src|href)="(https?:)?//', html), "nothing may load from the internet"
        assert '<link rel="stylesheet" href="/static/catalog/shop.css">' in html
    assert finders.find("catalog/shop.css")


def test_english_is_the_default(client):
    assert html_lang(client.get(LIST_URL)) == "en"


def test_accept_language_ja_renders_japanese(client, shop):
    response = client.get(shop["daypack"].get_absolute_url(), headers={"accept-language": "ja"})
    assert response.status_code == 200
    assert html_lang(response) == "ja"


def test_language_cookie_selects_japanese(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "ja"
    assert html_lang(client.get(LIST_URL)) == "ja"


def test_language_switcher_form_selects_japanese_and_back(client, shop):
    page = client.get(LIST_URL + "?category=bags").content.decode()
    form = re.search(r'<form class="lang-switch" action="([^"]+)" method="post">(.*?)</form>', page, re.S)
    assert form and form.group(1) == reverse("set_language")
    assert 'name="csrfmiddlewaretoken"' in form.group(2)
    assert 'name="next" value="/?category=bags"' in form.group(2)
    assert 'value="ja"' in form.group(2) and "日本語" in form.group(2)

    response = client.post(reverse("set_language"), {"language": "ja", "next": "/?category=bags"}, follow=True)

    assert response.redirect_chain[-1][0] == "/?category=bags"
    assert html_lang(response) == "ja"
    assert re.search(r'value="ja"[^>]*aria-pressed="true"', response.content.decode())

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert html_lang(response) == "en"


def render_child(source: str, **context) -> str:
    """Render a template that extends ours, the way sora_products' templates will."""
    request = RequestFactory().get("/")
    return engines["django"].from_string(source).render(context, request)


def test_detail_blocks_for_video_media_and_try_on(shop):
    product = shop["chore-jacket"]
    html = render_child(
        '{% extends "catalog/product_detail.html" %}'
        "{% block product_video %}<p>VIDEO-HERE</p>{% endblock %}"
        "{% block try_on %}<p>TRY-ON-HERE</p>{% endblock %}",
        product=product,
    )
    media = html.index('class="product__media"')
    info = html.index('class="product__info"')
    assert media < html.index("VIDEO-HERE") < html.index(product.image.url) < info
    assert info < html.index("TRY-ON-HERE")

    replaced = render_child(
        '{% extends "catalog/product_detail.html" %}{% block product_media %}<p>ONLY-MEDIA</p>{% endblock %}',
        product=product,
    )
    assert "ONLY-MEDIA" in replaced and product.image.url not in replaced


def test_card_media_block_is_rendered_per_product(shop):
    html = render_child(
        '{% extends "catalog/product_list.html" %}'
        "{% block card_media %}<p>CARD-{{ product.slug }}</p>{{ block.super }}{% endblock %}",
        products=Product.objects.all(),
        categories=[],
        current_category="",
    )
    for spec in CATALOGUE:
        assert f"CARD-{spec.slug}" in html
    assert html.count("<img") == len(CATALOGUE)
