"""{% product_video %}: player markup, AI label, JSON-LD, escaping, and nothing before approval."""

from __future__ import annotations

import json
import re

import pytest
from django.template import engines
from django.test import RequestFactory

from sora_products import live_counter
from sora_products.models import ProductVideo, ReviewState
from tests.storefront.helpers import dress, ready_video

pytestmark = pytest.mark.django_db

HOSTILE = '</script><script>alert("x")</script><!-- & "quotes"'


def render(source: str, **context) -> str:
    request = RequestFactory().get("/shop/")
    return engines["django"].from_string("{% load sora_products %}" + source).render(context, request)


def video_tag(html: str) -> str:
    match = re.search(r"<video\b[^>]*>", html)
    assert match, html
    return match.group(0)


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, html
    return json.loads(match.group(1))


def test_player_is_muted_inline_looping_lazy_with_poster_label_and_aria_label():
    product = dress(name="Linen wrap dress")
    video = ready_video(product)

    html = render("{% product_video product %}", product=product)

    tag = video_tag(html)
    for attribute in (" muted", " autoplay", " loop", " playsinline", 'preload="none"'):
        assert attribute in tag, attribute
    assert f'poster="{video.poster.url}"' in tag
    assert f'data-src="{video.video_file.url}"' in tag and " src=" not in tag
    assert 'aria-label="AI-generated video: Linen wrap dress"' in tag
    assert 'width="720" height="1280"' in tag
    assert ">AI-generated video</figcaption>" in html
    assert "data-sora-sound" in html and "data-sora-play" in html
    assert f'<a class="sora-player__link" href="{video.video_file.url}">' in html  # plays without JavaScript
    assert "sora_products/player.js" in html and "sora_products/storefront.css" in html


def test_json_ld_video_object():
    product = dress(name="Linen wrap dress", description="Breezy linen, wrap front.")
    video = ready_video(product)

    data = json_ld(render("{% product_video product %}", product=product))

    assert data["@context"] == "https://schema.org" and data["@type"] == "VideoObject"
    assert data["name"] == "Linen wrap dress"
    assert data["description"] == "AI-generated video of Linen wrap dress. Breezy linen, wrap front."
    assert data["contentUrl"] == f"http://testserver{video.video_file.url}"
    assert data["thumbnailUrl"] == f"http://testserver{video.poster.url}"
    assert data["duration"] == "PT8S" and data["uploadDate"].startswith(str(video.completed_at.year))


def test_product_text_cannot_break_out_of_json_ld_or_attributes():
    product = dress(name=HOSTILE, description=HOSTILE)
    ready_video(product)

    html = render("{% product_video product %}", product=product)

    assert "<script>alert" not in html and "<!--" not in html
    assert html.count("</script>") == 4  # three asset scripts and the JSON-LD, nothing injected
    assert json_ld(html)["name"] == HOSTILE
    assert 'aria-label="AI-generated video: &lt;/script&gt;' in video_tag(html)


def test_preset_argument_and_compact_card_variant():
    product = dress()
    ready_video(product)
    wide = ready_video(product, "showcase_wide")

    html = render('{% product_video product preset="showcase_wide" %}', product=product)
    assert wide.video_file.url in html and 'width="1280" height="720"' in html

    card = render("{% product_video product compact=True %}", product=product)
    assert "sora-player--compact" in card and "data-sora-controls" not in card and "<a " not in card
    assert "application/ld+json" not in card
    assert ">AI-generated video</figcaption>" in card


def test_nothing_before_approval_when_approval_is_required(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": True}
    product = dress()
    video = ready_video(product, approved=False)

    assert render("{% product_video product %}", product=product).strip() == ""

    video.review_state = ReviewState.APPROVED
    video.save()
    product = type(product).objects.get(pk=product.pk)
    assert "<video" in render("{% product_video product %}", product=product)


def test_shown_without_approval_when_the_shop_turns_approval_off(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": False}
    product = dress()
    ready_video(product, approved=False)

    assert "<video" in render("{% product_video product %}", product=product)


def test_rejected_outdated_and_unfinished_videos_never_show(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": False}
    rejected, outdated, pending = dress(), dress(), dress()
    ProductVideo.objects.filter(pk=ready_video(rejected).pk).update(review_state=ReviewState.REJECTED)
    ProductVideo.objects.filter(pk=ready_video(outdated).pk).update(outdated=True)
    live_counter.changed()  # a direct update sends no signal

    for product in (rejected, outdated, pending):
        assert render("{% product_video product %}", product=product).strip() == ""


def test_label_can_be_turned_off_explicitly(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "AI_LABEL": False}
    product = dress(name="Linen wrap dress")
    ready_video(product)

    html = render("{% product_video product %}", product=product)

    assert "AI-generated" not in video_tag(html) and "figcaption" not in html
    assert 'aria-label="Video: Linen wrap dress"' in html


def test_assets_are_emitted_once_per_page():
    first, second = dress(), dress()
    ready_video(first)
    ready_video(second)

    html = render(
        "{% sora_products_assets %}{% product_video a %}{% product_video b %}{% try_on a %}", a=first, b=second
    )

    assert html.count("sora_products/player.js") == 1
    assert html.count("sora_products/storefront.css") == 1


def test_get_product_video_tag_for_template_conditions():
    with_video, without = dress(), dress()
    ready_video(with_video)
    source = "{% get_product_video p as v %}{% if v %}HAS{% else %}NONE{% endif %}"

    assert render(source, p=with_video) == "HAS"
    assert render(source, p=without) == "NONE"
