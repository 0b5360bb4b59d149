"""Compact card players are remembered, but never past a change in anything they show."""

from __future__ import annotations

import itertools

import pytest
from django.core.files.storage import FileSystemStorage
from django.utils import translation

from sora_products import live_counter
from sora_products.models import ProductVideo
from sora_products.storefront import cards, live_video
from tests.storefront.helpers import dress, ready_video
from tests.storefront.test_player import HOSTILE, render, video_tag

pytestmark = pytest.mark.django_db

CARD = "{% product_video product compact=True %}"


def card_of(product) -> str:
    product.__dict__.pop("_sora_products_live_videos", None)  # a fresh page: look the video up again
    return render(CARD, product=product)


def test_same_card_twice_then_a_new_one_for_each_language_and_label_setting(settings):
    product = dress(name="Linen wrap dress")
    ready_video(product)

    english = card_of(product)
    assert card_of(product) == english
    with translation.override("ja"):
        japanese = card_of(product)
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "AI_LABEL": False}
    unlabelled = card_of(product)

    assert 'aria-label="AI-generated video: Linen wrap dress"' in video_tag(english)
    assert japanese != english and "AI-generated" not in japanese and "Linen wrap dress" in japanese
    assert "figcaption" not in unlabelled and 'aria-label="Video: Linen wrap dress"' in unlabelled


def test_a_new_title_or_a_new_video_file_makes_a_new_card():
    product = dress(name="Linen wrap dress")
    video = ready_video(product)
    before = card_of(product)

    product.name = "Linen wrap dress, long"
    product.save()
    ProductVideo.objects.filter(pk=video.pk).update(outdated=False, video_file="sora_products/videos/new.mp4")
    live_counter.changed()  # a direct update sends no signal
    after = card_of(product)

    assert "Linen wrap dress, long" in after and "sora_products/videos/new.mp4" in after
    assert before != after


def test_a_new_media_url_makes_a_new_card(settings):
    product = dress()
    ready_video(product)
    assert 'data-src="/media/' in card_of(product)

    settings.MEDIA_URL = "https://cdn.example.test/media/"

    assert 'data-src="https://cdn.example.test/media/sora_products/' in card_of(product)


def test_hostile_titles_are_escaped_in_the_remembered_card():
    product = dress(name=HOSTILE)
    ready_video(product)

    html = card_of(product) + card_of(product)

    assert "<script>" not in html and "</script><script>" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)" in html


class SignedURLStorage(FileSystemStorage):
    """Like S3 with query-string auth: every call gives a new link."""

    counter = itertools.count()

    def url(self, name: str | None) -> str:
        return f"https://bucket.example.test/{name}?signature={next(self.counter)}"


def test_storages_that_sign_each_link_are_asked_every_time(monkeypatch):
    product = dress()
    ready_video(product)
    storage = SignedURLStorage()
    for name in ("video_file", "poster"):
        monkeypatch.setattr(ProductVideo._meta.get_field(name), "storage", storage)
    video = live_video(product)

    first, second = cards.card_player(video, "Dress"), cards.card_player(video, "Dress")

    assert "signature=" in first and first != second
