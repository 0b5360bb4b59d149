"""An outage is told at once: a banner for staff, a badge on waiting rows, one sentence for shoppers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sora_products.jobs import breaker
from sora_products.models import ProductVideo
from sora_products.storefront.shopper_state import delayed_message, shopper_state
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def mark_unreachable() -> None:
    for _ in range(3):
        breaker.record_failure("default", RuntimeError("connection refused"))


def test_the_shopper_is_told_videos_are_delayed_instead_of_starts_shortly():
    video = ProductVideo.objects.for_product(make_product()).get()
    assert "starts shortly" in shopper_state(video).message
    mark_unreachable()
    state = shopper_state(video)
    assert state.state == "delayed" and not state.done
    assert state.message == delayed_message() and "come back later" in state.message
    assert state.poll_after >= 15


def test_staff_see_a_banner_on_the_video_and_product_lists_and_a_badge_on_waiting_rows(admin_client):
    product = make_product()
    video = ProductVideo.objects.for_product(product).get()
    mark_unreachable()
    ProductVideo.objects.filter(pk=video.pk).update(error_code="provider_unreachable", error_message="down")
    for url in (
        reverse("admin:sora_products_productvideo_changelist"),
        reverse("admin:catalog_product_changelist"),
        reverse("admin:catalog_product_change", args=[product.pk]),
    ):
        html = admin_client.get(url).content.decode()
        assert "has been unreachable since" in html and "1 video is waiting" in html, url
        assert "checks every 30 seconds" in html
    html = admin_client.get(reverse("admin:sora_products_productvideo_changelist")).content.decode()
    assert "Waiting for the provider" in html


def test_resume_action_clears_the_outage(admin_client):
    product = make_product()
    mark_unreachable()
    video = ProductVideo.objects.for_product(product).get()
    response = admin_client.post(
        reverse("admin:sora_products_productvideo_changelist"),
        {"action": "resume_providers", "_selected_action": [video.pk]},
        follow=True,
    )
    assert "Resumed the provider default" in response.content.decode()
    assert breaker.outage("default") is None
    assert "has been unreachable" not in admin_client.get(reverse("admin:catalog_product_changelist")).content.decode()
