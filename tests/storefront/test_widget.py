"""{% try_on %} on the demo product page, and the plain form that works without JavaScript."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from sora_products.models import ProductVideo, TryOnRequest
from sora_products.storefront import product_ref
from tests.storefront.helpers import dress, finish

pytestmark = pytest.mark.django_db

FORM_URL = reverse("sora_products:try-on")


def page(client: Client, product, query: str = "") -> str:
    response = client.get(product.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def widget(html: str) -> str:
    match = re.search(r'<section class="sora-try-on".*?</section>', html, re.S)
    assert match, "no try-on widget on the page"
    return match.group(0)


def form_post(client: Client, product, **choices):
    data = {"product": product_ref(product), "height_cm": "160", "size": "M", "scene": "street", **choices}
    return client.post(FORM_URL, data)


def test_widget_offers_bucketed_heights_sizes_and_scenes_with_a_fit_note(client):
    product = dress()

    html = widget(page(client, product))

    heights = re.findall(r'<option value="(\d+)"', html)
    assert heights[0] == "140" and heights[-1] == "200" and "160" in heights and "162" not in heights
    assert '<option value="165" selected>' in html
    assert re.findall(r'name="size" value="(\w+)"', html) == ["XS", "S", "M", "L", "XL"]
    assert 'value="M" checked' in html and 'value="studio" checked' in html
    assert "City street" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'action="{FORM_URL}"' in html and 'data-api-url="/videos/api/try-on/"' in html
    assert "not a guarantee of fit" in html
    assert "<textarea" not in html and 'type="file"' not in html and 'type="text"' not in html
    assert "sora_products/try_on.js" in page(client, product)


def test_widget_only_for_wearable_products_and_when_enabled(client, settings):
    assert 'class="sora-try-on"' not in page(client, dress(category="home"))

    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "TRY_ON": {"ENABLED": False}}
    assert 'class="sora-try-on"' not in page(client, dress())


def test_plain_form_redirects_back_and_shows_the_status(client):
    product = dress()

    response = form_post(client, product)

    video = ProductVideo.objects.get(preset="worn")
    assert response.status_code == 302
    assert response["Location"] == f"{product.get_absolute_url()}?try_on={video.pk}#sora-try-on"
    assert video.profile == {"height_cm": 160, "size": "M", "scene": "street"}
    assert TryOnRequest.objects.get().session_key == client.session.session_key

    html = widget(page(client, product, f"?try_on={video.pk}"))
    assert "Your video is in the queue" in html
    assert client.get(f"{product.get_absolute_url()}?try_on=²").status_code == 200  # a digit to isdigit, not int
    assert '<option value="160" selected>' in html and 'value="street" checked' in html
    assert "Check again" in html  # inside <noscript>
    state = json.loads(re.search(r'<script type="application/json">(.*?)</script>', html, re.S).group(1))
    assert state["status_url"] == reverse("sora_products:api:video-status", kwargs={"pk": video.pk})


def test_ready_video_plays_in_the_page_without_javascript(client, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": False}
    product = dress()
    form_post(client, product)
    video = finish(ProductVideo.objects.get(preset="worn"), approved=False)

    html = widget(page(client, product, f"?try_on={video.pk}"))

    assert "Your video is ready." in html
    box = r'<div class="sora-try-on__video" data-sora-video[^>]*><figure.*?<video\b[^>]*>'
    tag = re.search(box, html, re.S).group(0)
    assert f'src="{video.video_file.url}"' in tag and " controls" in tag and " muted" in tag
    assert "on a model 160 cm tall wearing size M" in tag


def test_refusals_come_back_as_sentences(client, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "TRY_ON": {"ENABLED": True, "MAX_PENDING_PER_SESSION": 1}}
    product = dress()
    form_post(client, product, height_cm="150")

    response = form_post(client, product, height_cm="170")

    assert response["Location"].endswith("?try_on_error=too_many_pending#sora-try-on")
    html = widget(page(client, product, "?try_on_error=too_many_pending"))
    assert "You already have 1 video being made." in html
    assert "Choose a height, a size and a setting" in widget(page(client, product, "?try_on_error=invalid"))


def test_error_codes_are_never_reflected(client):
    product = dress()

    html = page(client, product, '?try_on_error=<script>alert(1)</script>&try_on=1"><b>')

    assert "<script>alert(1)" not in html and "<b>" not in html
    assert "could not be requested" in widget(html)


def test_another_products_video_is_ignored(client):
    mine, other = dress(), dress()
    form_post(client, other)
    video = ProductVideo.objects.get(preset="worn")

    html = widget(page(client, mine, f"?try_on={video.pk}"))

    assert 'data-sora-result aria-live="polite" hidden' in html


def test_form_checks_csrf_and_the_same_rules(settings):
    browser = Client(enforce_csrf_checks=True)
    product = dress()
    assert form_post(browser, product).status_code == 403
    assert not ProductVideo.objects.filter(preset="worn").exists()

    html = page(browser, product)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert form_post(browser, product, csrfmiddlewaretoken=token).status_code == 302

    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "TRY_ON": {"ENABLED": False}}
    assert form_post(browser, product, csrfmiddlewaretoken=token).status_code == 404


def test_form_throttles_like_the_api(client, settings):
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "TRY_ON": {"ENABLED": True, "THROTTLE_RATES": {"session": "1/hour"}, "MAX_PENDING_PER_SESSION": 5},
    }
    product = dress()
    form_post(client, product)

    assert form_post(client, product, size="L")["Location"].endswith("?try_on_error=throttled#sora-try-on")
    assert ProductVideo.objects.filter(preset="worn").count() == 1
