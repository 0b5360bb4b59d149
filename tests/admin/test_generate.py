"""The "Generate video" action and button a shop gets on its product admin."""

from __future__ import annotations

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from sora_products.models import Origin, ProductVideo, VideoStatus
from sora_products.queues import CapturingQueue
from tests.admin.conftest import fail, finish, product_url
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def run_action(client, products, *, follow=False, **extra):
    data = {"action": "generate_videos", ACTION_CHECKBOX_NAME: [p.pk for p in products], **extra}
    return client.post(product_url("changelist"), data, follow=follow)


def preset_card(html: str, preset: str) -> str:
    match = re.search(rf'<label class="sora-preset[^"]*" data-preset="{preset}">(.*?)</label>', html, re.S)
    assert match, f"no card for {preset}"
    return match.group(1)


def test_the_action_is_offered_in_the_product_changelist(admin_client):
    make_product()
    response = admin_client.get(product_url("changelist"))
    assert b'<option value="generate_videos">Generate video</option>' in response.content


def test_the_confirmation_page_shows_the_count_the_estimate_and_the_budget_left(admin_client, no_auto):
    shirts = [make_product(name=f"Shirt {n}") for n in range(3)]
    response = run_action(admin_client, shirts)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Generate videos of 3 products" in html
    assert "Shirt 0" in html and "Shirt 2" in html
    showcase = preset_card(html, "showcase")
    assert "$2.40" in showcase and "3 videos to make" in showcase  # 3 × 8 s × $0.10
    assert "720x1280 · 8 s · sora-2" in showcase
    assert "$25.00" in html and "$300.00" in html  # daily and monthly caps, nothing used yet
    assert 'name="preset" value="showcase" checked' in html
    assert ProductVideo.objects.count() == 0, "nothing is asked for before the person confirms"


def test_a_routed_preset_shows_each_providers_price_in_the_order_they_are_tried(admin_client, no_auto, settings):
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "PROVIDERS": {
            "default": {},
            "runway": {"BACKEND": "sora_products.providers.runway.RunwayProvider", "API_KEY": "rk_test"},
        },
        "PRESETS": {
            "showcase": {"PROVIDER": [{"NAME": "default", "MODEL": "sora-2-pro"}, {"NAME": "runway"}], "SECONDS": 8},
            "worn": {"PROVIDER": [{"NAME": "runway", "MODEL": "veo3.1"}, "default"], "WEARABLE_ONLY": False},
        },
    }
    html = run_action(admin_client, [make_product(name="Shirt")]).content.decode()
    showcase = preset_card(html, "showcase")
    assert "$2.40" in showcase  # the first choice: 8 s × $0.30 at sora-2-pro
    route = re.findall(r"<li>(.*?)</li>", showcase.split("sora-preset__route")[1].split("</ol>")[0], re.S)
    assert [" ".join(item.split()) for item in route] == [
        "default (sora-2-pro): $2.40 a video",
        "runway (gen4.5): $1.28 a video",
    ]
    assert "runway (veo3.1): no price configured" in " ".join(preset_card(html, "worn").split())


def test_confirming_asks_for_the_videos_and_shows_their_progress(
    admin_client, no_auto, django_capture_on_commit_callbacks
):
    shirts = [make_product(name=f"Shirt {n}") for n in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(admin_client, shirts, preset="showcase_wide", sora_confirm="1")
    videos = list(ProductVideo.objects.order_by("pk"))
    assert [(v.preset, v.origin, v.status) for v in videos] == [
        ("showcase_wide", Origin.ADMIN, VideoStatus.REQUESTED)
    ] * 2
    assert sorted(CapturingQueue.captured) == [v.pk for v in videos]
    assert response.status_code == 302
    assert response["Location"].endswith(f"?id__in={videos[0].pk}%2C{videos[1].pk}")
    page = admin_client.get(response["Location"])
    assert "Asked for 2 “Showcase, landscape” videos" in page.content.decode()
    assert page.content.count(b'data-sora-active="1"') >= 2


def test_a_video_that_exists_is_not_paid_again(admin_client):
    shirt = make_product()  # auto-generation already asked for its showcase video
    html = run_action(admin_client, [shirt]).content.decode()
    card = preset_card(html, "showcase")
    assert "0 videos to make" in card and "1 already made, not paid again" in card and "$0.00" in card
    response = run_action(admin_client, [shirt], preset="showcase", sora_confirm="1", follow=True)
    assert ProductVideo.objects.count() == 1
    assert "1 product already has this video" in response.content.decode()


def test_a_failed_video_is_asked_for_again(admin_client):
    shirt = make_product()
    video = fail(ProductVideo.objects.get())
    assert "1 video to make" in preset_card(run_action(admin_client, [shirt]).content.decode(), "showcase")
    run_action(admin_client, [shirt], preset="showcase", sora_confirm="1")
    video.refresh_from_db()
    assert video.status == VideoStatus.REQUESTED and video.error_code == ""


def test_the_worn_preset_on_a_lamp_says_why_it_cannot_be_made(admin_client, no_auto):
    lamp = make_product(name="Desk lamp", category="home")
    html = run_action(admin_client, [lamp]).content.decode()
    card = preset_card(html, "worn")
    assert "1 cannot be made" in card
    assert "“Desk lamp”: The “worn” video is only made for products that can be worn." in card
    response = run_action(admin_client, [lamp], preset="worn", sora_confirm="1", follow=True)
    assert ProductVideo.objects.count() == 0
    assert "The “worn” video is only made for products that can be worn." in response.content.decode()


def test_a_product_without_a_photo_is_named_before_anything_is_made(admin_client, no_auto):
    bare = make_product(name="Bare shirt", photo=b"")
    html = run_action(admin_client, [bare]).content.decode()
    assert "“Bare shirt”: The product has no photo; add one and save the product" in html
    run_action(admin_client, [bare], preset="showcase", sora_confirm="1")
    assert ProductVideo.objects.count() == 0


def test_an_estimate_above_the_budget_left_is_flagged(admin_client, no_auto, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "BUDGET": {"DAILY": "1.00"}}
    shirts = [make_product() for _ in range(2)]
    html = run_action(admin_client, shirts).content.decode()
    assert "More than the $1.00 left in the budget" in preset_card(html, "showcase")


def test_too_many_products_at_once_are_refused_with_a_reason(admin_client, no_auto, monkeypatch):
    monkeypatch.setattr("sora_products.admin.product.MAX_PRODUCTS", 1)
    monkeypatch.setattr("sora_products.admin.generate.MAX_PRODUCTS", 1)
    shirts = [make_product() for _ in range(2)]
    response = run_action(admin_client, shirts, follow=True)
    assert "Select at most 1 products at a time; you selected 2." in response.content.decode()


def test_the_change_page_has_a_generate_button_and_it_works_for_one_product(
    admin_client, no_auto, django_capture_on_commit_callbacks
):
    shirt = make_product(name="Oxford shirt")
    page = admin_client.get(product_url("change", shirt)).content.decode()
    button = product_url("generate_video", shirt)
    assert f'href="{button}" class="sora-generate-link"' in page
    confirm = admin_client.get(button)
    assert "Generate a video of 1 product" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(button, {"preset": "showcase", "sora_confirm": "1"})
    assert response["Location"] == product_url("change", shirt)
    assert ProductVideo.objects.for_product(shirt).get().preset == "showcase"


def test_the_inline_lists_the_products_videos_with_status_progress_player_and_cost(admin_client):
    shirt = make_product(name="Linen shirt")
    ready = finish(ProductVideo.objects.for_product(shirt).get())
    running = ProductVideo.objects.create(
        content_type=ready.content_type,
        object_id=ready.object_id,
        spec_key="x",
        preset="showcase_wide",
        provider="default",
        model="sora-2",
        size="1280x720",
        seconds=8,
        prompt="p",
        status=VideoStatus.IN_PROGRESS,
        progress=40,
        estimated_cost="0.80",
    )
    html = admin_client.get(product_url("change", shirt)).content.decode()
    assert 'class="js-inline-admin-formset inline-group sora-inline"' in html
    assert f'<video controls muted playsinline preload="none" poster="{ready.poster.url}">' in html
    assert f'<source src="{ready.video_file.url}" type="video/mp4">' in html
    assert f'data-sora-video="{running.pk}" data-sora-active="1"' in html
    assert 'aria-valuenow="40"' in html and "Generating" in html
    assert "$0.80" in html
    assert "sora_products/admin/progress.js" in html


def test_saving_the_product_page_with_the_inline_still_works(admin_client):
    shirt = make_product(name="Linen shirt")
    finish(ProductVideo.objects.for_product(shirt).get())
    page = admin_client.get(product_url("change", shirt))
    form = {
        "name": "Linen shirt, washed",
        "slug": shirt.slug,
        "description": shirt.description,
        "price": "59.00",
        "category": "apparel",
        "colour": "navy",
    }
    prefix = re.search(r'name="([\w-]+)-TOTAL_FORMS" value="(\d+)"', page.content.decode())
    for field in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        value = re.search(rf'name="{prefix.group(1)}-{field}" value="(\d*)"', page.content.decode()).group(1)
        form[f"{prefix.group(1)}-{field}"] = value
    response = admin_client.post(product_url("change", shirt), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    shirt.refresh_from_db()
    assert shirt.name == "Linen shirt, washed"


def test_products_that_cannot_be_made_share_one_message(admin_client, no_auto):
    lamps = [make_product(name=f"Desk lamp {number}", category="home") for number in range(7)]
    bare = make_product(name="Bare shirt", photo=b"")
    response = run_action(admin_client, [*lamps, bare], preset="worn", sora_confirm="1", follow=True)
    warnings = [m.message for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    (warning,) = warnings
    assert warning.startswith("8 products were not made.")
    named = ", ".join(f"“Desk lamp {number}”" for number in range(5))
    assert f"{named} and 2 more: The “worn” video" in warning
    assert "“Bare shirt”: The product has no photo" in warning
