"""The ProductVideo admin: list, detail, review and job actions, remix, and the live status JSON."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.models import ContentType

from demo_shop.catalog.models import Product
from sora_products.models import Origin, ProductVideo, ReviewState, VideoStatus
from sora_products.queues import CapturingQueue
from tests.admin.conftest import fail, finish, video_url
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def showcase(**fields) -> ProductVideo:
    return ProductVideo.objects.for_product(make_product(**fields)).get()


def act(client, action: str, videos, **kwargs):
    data = {"action": action, ACTION_CHECKBOX_NAME: [v.pk for v in videos]}
    return client.post(video_url("changelist"), data, **kwargs)


def test_the_list_shows_status_preset_product_provider_duration_cost_review_and_date(admin_client):
    ready = finish(showcase(name="Canvas sneaker"))
    html = admin_client.get(video_url("changelist")).content.decode()
    for text in ("Canvas sneaker", "Showcase, portrait", "default · sora-2", "8 s", "$0.80", "Pending review", "Ready"):
        assert text in html, text
    assert f'href="{video_url("change", ready)}"' in html
    assert 'class="sora-costs-link"' in html


def test_the_list_filters_by_status_review_preset_and_remix(admin_client):
    ready = finish(showcase(name="Ready shirt"))
    failed = fail(showcase(name="Failed shirt"))
    cases = {
        "?status__exact=ready": ready,
        "?status__exact=failed": failed,
        "?preset=showcase&review_state__exact=pending&status__exact=failed": failed,
        "?remix=no&status__exact=ready": ready,
    }
    for query, expected in cases.items():
        response = admin_client.get(video_url("changelist") + query)
        assert [v.pk for v in response.context["cl"].result_list] == [expected.pk], query
    html = admin_client.get(video_url("changelist")).content.decode()
    for title in ("By status", "By review", "By preset", "By remix", "Showcase, landscape"):
        assert title in html, title


def test_search_finds_videos_by_product_name_and_by_prompt(admin_client):
    sneaker = showcase(name="Canvas sneaker")
    showcase(name="Wool coat")
    by_name = admin_client.get(video_url("changelist"), {"q": "sneaker"})
    assert [v.pk for v in by_name.context["cl"].result_list] == [sneaker.pk]
    by_prompt = admin_client.get(video_url("changelist"), {"q": "Wool"})
    assert len(by_prompt.context["cl"].result_list) == 1


def test_approve_makes_a_ready_video_live_and_leaves_unfinished_ones(admin_client, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": True}
    ready, waiting = finish(showcase()), showcase()
    assert not ProductVideo.objects.live().exists(), "nothing is live before a person approves it"
    response = act(admin_client, "approve_videos", [ready, waiting], follow=True)
    html = response.content.decode()
    assert "Approved 1 video." in html and "1 video is not finished yet and was not approved" in html
    assert list(ProductVideo.objects.live()) == [ready]
    waiting.refresh_from_db()
    assert waiting.review_state == ReviewState.PENDING


def test_reject_keeps_a_video_off_the_storefront(admin_client, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": False}
    ready = finish(showcase())
    assert ready.is_live
    act(admin_client, "reject_videos", [ready])
    ready.refresh_from_db()
    assert ready.review_state == ReviewState.REJECTED and not ready.is_live


def test_retry_asks_again_for_a_failed_video(admin_client, django_capture_on_commit_callbacks):
    failed = fail(showcase())
    CapturingQueue.captured.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = act(admin_client, "retry_videos", [failed], follow=True)
    failed.refresh_from_db()
    assert failed.status == VideoStatus.REQUESTED and failed.error_message == ""
    assert CapturingQueue.captured == [failed.pk]
    assert "Asked again for 1 video." in response.content.decode()


def test_cancel_stops_a_video_being_made_and_says_so_when_nothing_could_be(admin_client):
    running, ready = showcase(), finish(showcase())
    response = act(admin_client, "cancel_videos", [running], follow=True)
    running.refresh_from_db()
    assert running.status == VideoStatus.CANCELED
    assert "Canceled 1 video." in response.content.decode()
    response = act(admin_client, "cancel_videos", [ready], follow=True)
    assert "Only videos still being made or waiting for a person can be canceled." in response.content.decode()


def test_the_detail_page_shows_player_prompt_and_reference_side_by_side(admin_client):
    ready = finish(showcase(name="Canvas sneaker"))
    html = admin_client.get(video_url("change", ready)).content.decode()
    assert '<div class="sora-detail">' in html
    assert f'<source src="{ready.video_file.url}" type="video/mp4">' in html
    assert f'<img class="sora-reference" src="{ready.reference_image.url}"' in html
    assert "Canvas sneaker" in html and '<p class="sora-prompt">' in html
    assert 'value="approve"' in html and 'value="reject"' in html and video_url("remix", ready) in html
    assert 'name="_save"' not in html, "rows change through actions, never by editing fields"


def test_the_detail_page_explains_a_failure_in_plain_words(admin_client):
    failed = fail(showcase(), "moderation_blocked", "The provider refused this video (faces).")
    html = admin_client.get(video_url("change", failed)).content.decode()
    assert "The provider refused to make this video." in html
    assert "The provider refused this video (faces)." in html
    assert "Use a photo without faces, people or logos" in html
    assert 'value="retry"' in html and 'value="approve"' not in html


def test_the_detail_buttons_approve_retry_and_cancel(admin_client):
    ready, failed, running = finish(showcase()), fail(showcase()), showcase()
    for video, operation in ((ready, "approve"), (failed, "retry"), (running, "cancel")):
        response = admin_client.post(video_url("act", video), {"operation": operation})
        assert response["Location"] == video_url("change", video)
    states = {v.pk: (v.status, v.review_state) for v in ProductVideo.objects.all()}
    assert states[ready.pk] == (VideoStatus.READY, ReviewState.APPROVED)
    assert states[failed.pk][0] == VideoStatus.REQUESTED
    assert states[running.pk][0] == VideoStatus.CANCELED
    assert admin_client.post(video_url("act", ready), {"operation": "delete"}).status_code == 403
    assert admin_client.get(video_url("act", ready)).status_code == 405


def test_remix_creates_a_remixed_video_and_shows_the_chain(admin_client, django_capture_on_commit_callbacks):
    original = finish(showcase(name="Red roadster"))
    form = admin_client.get(video_url("remix", original)).content.decode()
    assert "What should change?" in form and "make the jacket navy blue" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(video_url("remix", original), {"change": "make this car blue instead of red"})
    remix = ProductVideo.objects.get(remixed_from=original)
    assert response["Location"] == video_url("change", remix)
    assert (remix.remix_prompt, remix.origin, remix.status) == (
        "make this car blue instead of red",
        Origin.ADMIN,
        VideoStatus.REQUESTED,
    )
    assert remix.pk in CapturingQueue.captured
    page = admin_client.get(response["Location"]).content.decode()
    assert "Change asked for" in page and "make this car blue instead of red" in page
    chain = page[page.index('class="sora-chain"') :]
    assert chain.index(f"#{original.pk}") < chain.index(f"#{remix.pk}")
    assert 'class="is-current"' in chain


def test_remix_says_what_is_wrong(admin_client):
    original = finish(showcase())
    response = admin_client.post(video_url("remix", original), {"change": "   "})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    unfinished = showcase()
    html = admin_client.get(video_url("remix", unfinished)).content.decode()
    assert "Only a finished video can be remixed." in html
    response = admin_client.post(video_url("remix", unfinished), {"change": "make it blue"})
    assert "Only a finished video can be remixed." in response.content.decode()
    assert not ProductVideo.objects.filter(remixed_from__isnull=False).exists()


def test_the_status_json_reports_progress_and_the_player_when_ready(admin_client):
    running, ready = showcase(), finish(showcase())
    ProductVideo.objects.filter(pk=running.pk).update(status=VideoStatus.IN_PROGRESS, progress=42)
    response = admin_client.get(video_url("status"), {"ids": f"{running.pk},{ready.pk},999999,abc"})
    assert response["Content-Type"] == "application/json" and "no-store" in response["Cache-Control"]
    by_id = {item["id"]: item for item in response.json()["videos"]}
    assert set(by_id) == {running.pk, ready.pk}
    assert by_id[running.pk] | {"player_fallback": ""} == by_id[running.pk] | {
        "status": "in_progress",
        "status_label": "Generating",
        "active": True,
        "progress": 42,
        "video_url": "",
        "player_fallback": "",
    }
    assert by_id[ready.pk]["video_url"] == ready.video_file.url
    assert by_id[ready.pk]["poster_url"] == ready.poster.url
    assert (by_id[ready.pk]["progress"], by_id[ready.pk]["active"], by_id[ready.pk]["cost"]) == (100, False, "$0.80")
    assert "key" not in response.content.decode().lower()


def test_a_video_of_a_deleted_product_still_shows(admin_client):
    video = showcase(name="Gone shirt")
    Product.objects.filter(pk=video.object_id).delete()
    html = admin_client.get(video_url("changelist")).content.decode()
    assert f"Deleted product #{video.object_id}" in html
    assert admin_client.get(video_url("change", video)).status_code == 200


def test_the_product_column_links_to_the_product_admin(admin_client):
    video = showcase(name="Linked shirt")
    html = admin_client.get(video_url("changelist")).content.decode()
    assert f'<a href="/admin/catalog/product/{video.object_id}/change/">Linked shirt</a>' in html
    assert ContentType.objects.get_for_model(Product) == video.content_type
