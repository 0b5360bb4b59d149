"""The video page shows the trust checks: colour beside the player, why a video is held, and the fix."""

from __future__ import annotations

import httpx
import pytest

from sora_products.models import ProductVideo, VideoStatus
from tests.admin.conftest import video_url
from tests.factories import make_product
from tests.integration.helpers import drive

pytestmark = pytest.mark.django_db


@pytest.fixture
def trusting(provider, settings):
    ca = httpx.get(provider.url + "/_emulator/c2pa-ca.pem").text
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": False, "PROVENANCE": {"TRUST_ANCHORS": ca}}
    return provider


def made(**fields) -> ProductVideo:
    return drive(ProductVideo.objects.for_product(make_product(**fields)).get().pk)


def test_a_clean_video_shows_its_colour_score_and_content_credentials(admin_client, trusting):
    video = made()
    html = admin_client.get(video_url("change", video)).content.decode()
    assert f"Colour within ΔE {video.fidelity['delta_e']:.1f} of the photo (limit 3.0)" in html
    assert "Content Credentials: signed by sora-products emulator, valid." in html
    assert html.count('class="sora-swatch"') == 2
    assert "Remix to fix the colour" not in html


def test_a_held_video_says_what_drifted_and_one_click_remixes_it(
    admin_client, trusting, django_capture_on_commit_callbacks
):
    trusting.configure(colour_drift=1.0)
    video = made(name="Field jacket")
    assert video.status == VideoStatus.HELD
    html = admin_client.get(video_url("change", video)).content.decode()
    assert "Held for review: the product in the video looks different from its photo." in html
    assert "drifted from the photo" in html and "Not on the storefront: held" in html
    assert "Show it anyway" in html and "Remix to fix the colour" in html
    assert video.fix_prompt in html
    listing = admin_client.get(video_url("changelist")).content.decode()
    assert 'class="sora-status sora-status--held"' in listing and "Held for review" in listing
    with django_capture_on_commit_callbacks(execute=True):
        answer = admin_client.post(video_url("remix", video), {"change": video.fix_prompt})
    remix = ProductVideo.objects.get(remixed_from=video)
    assert answer.status_code == 302 and answer["Location"] == video_url("change", remix)
    trusting.configure(colour_drift=0.0)
    assert drive(remix.pk).status == VideoStatus.READY


def test_show_it_anyway_puts_a_held_video_on_the_storefront(admin_client, trusting):
    trusting.configure(colour_drift=1.0)
    video = made()
    answer = admin_client.post(video_url("act", video), {"operation": "approve"}, follow=True)
    assert "The video is shown although its colour differs from the photo." in answer.content.decode()
    video.refresh_from_db()
    assert video.status == VideoStatus.READY and video.is_live


def test_a_clip_without_credentials_says_none(admin_client, trusting):
    trusting.configure(sign_clips=False)
    html = admin_client.get(video_url("change", made())).content.decode()
    assert "Content Credentials: none." in html


def test_bulk_approve_leaves_held_videos_for_a_person_to_open(admin_client, trusting):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    trusting.configure(colour_drift=1.0)
    held = made()
    answer = admin_client.post(
        video_url("changelist"), {"action": "approve_videos", ACTION_CHECKBOX_NAME: [held.pk]}, follow=True
    )
    assert "1 video is held because its product looks different from the photo" in answer.content.decode()
    held.refresh_from_db()
    assert held.status == VideoStatus.HELD and not held.is_live
