"""Only staff with the app's permissions generate, review, remix or see costs; others see less or nothing."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from sora_products.models import ProductVideo, ReviewState
from tests.admin.conftest import finish, login, product_url, staff_user, video_url
from tests.factories import make_product

pytestmark = pytest.mark.django_db

COSTS = "/admin/sora_products/spend/"


@pytest.fixture
def video():
    return finish(ProductVideo.objects.for_product(make_product(name="Linen shirt")).get())


def test_staff_without_the_apps_permissions_get_no_action_no_button_and_403s(plain_staff_client, video):
    product = video.product
    changelist = plain_staff_client.get(product_url("changelist")).content.decode()
    assert "generate_videos" not in changelist
    change = plain_staff_client.get(product_url("change", product)).content.decode()
    assert "sora-generate-link" not in change and "sora-inline" not in change, "no button, no videos inline"
    for url in (
        product_url("generate_video", product),
        video_url("remix", video),
        video_url("status") + f"?ids={video.pk}",
        COSTS,
    ):
        assert plain_staff_client.get(url).status_code == 403, url
    assert plain_staff_client.post(video_url("act", video), {"operation": "approve"}).status_code == 403
    assert plain_staff_client.get(video_url("changelist")).status_code == 403
    assert "/admin/sora_products/" not in plain_staff_client.get("/admin/").content.decode()


def test_a_forged_action_post_makes_nothing(plain_staff_client, no_auto):
    product = make_product()
    data = {"action": "generate_videos", ACTION_CHECKBOX_NAME: [product.pk], "preset": "showcase", "sora_confirm": "1"}
    plain_staff_client.post(product_url("changelist"), data)
    assert not ProductVideo.objects.exists()


def test_the_action_itself_refuses_people_without_the_permission(rf, plain_staff_client, no_auto):
    from django.contrib import admin
    from django.core.exceptions import PermissionDenied

    from demo_shop.catalog.models import Product
    from sora_products.admin import generate_videos

    request = rf.post("/")
    request.user = staff_user("other")
    with pytest.raises(PermissionDenied):
        generate_videos(admin.site._registry[Product], request, Product.objects.all())


def test_a_viewer_sees_videos_and_progress_but_cannot_act_or_see_costs(viewer_client, video):
    html = viewer_client.get(video_url("changelist")).content.decode()
    assert "Linen shirt" in html
    for action in ("approve_videos", "reject_videos", "retry_videos", "cancel_videos"):
        assert action not in html
    assert "$0.80" not in html and "sora-costs-link" not in html, "costs are for view_costs only"
    status = viewer_client.get(video_url("status"), {"ids": video.pk})
    assert status.status_code == 200 and "cost" not in status.json()["videos"][0]
    detail = viewer_client.get(video_url("change", video)).content.decode()
    assert 'value="approve"' not in detail and video_url("remix", video) not in detail
    assert viewer_client.get(video_url("remix", video)).status_code == 403
    assert viewer_client.get(COSTS).status_code == 403
    data = {"action": "approve_videos", ACTION_CHECKBOX_NAME: [video.pk]}
    viewer_client.post(video_url("changelist"), data)
    video.refresh_from_db()
    assert video.review_state == ReviewState.PENDING
    change = viewer_client.get(product_url("change", video.product)).content.decode()
    assert "sora-inline" in change and "sora-generate-link" not in change


def test_each_permission_opens_only_its_own_door(video):
    reviewer = login(staff_user("reviewer", "view_productvideo", "review_productvideo"))
    assert "approve_videos" in reviewer.get(video_url("changelist")).content.decode()
    assert reviewer.post(video_url("act", video), {"operation": "approve"}).status_code == 302
    assert reviewer.post(video_url("act", video), {"operation": "retry"}).status_code == 403
    assert reviewer.get(video_url("remix", video)).status_code == 403

    remixer = login(staff_user("remixer", "view_productvideo", "remix_productvideo"))
    assert remixer.get(video_url("remix", video)).status_code == 200
    assert remixer.post(video_url("act", video), {"operation": "approve"}).status_code == 403

    generator = login(staff_user("generator", "generate_productvideo"))
    assert "generate_videos" in generator.get(product_url("changelist")).content.decode()
    assert generator.get(product_url("generate_video", video.product)).status_code == 200
    assert generator.get(COSTS).status_code == 403

    accountant = login(staff_user("accountant", "view_costs"))
    assert accountant.get(COSTS).status_code == 200
    assert f'href="{COSTS}"' in accountant.get("/admin/").content.decode()


def test_people_who_are_not_staff_are_sent_to_the_login_page(client, video):
    for url in (COSTS, video_url("status"), video_url("remix", video)):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_no_page_or_json_ever_shows_the_provider_key(admin_client, settings, video):
    secret = "sk-live-do-not-show-7f3a"
    provider = {"BASE_URL": "http://127.0.0.1:9/v1", "API_KEY": secret, "EMULATOR": False}
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "PROVIDERS": {"default": provider}}
    urls = [
        video_url("changelist"),
        video_url("change", video),
        video_url("remix", video),
        video_url("status") + f"?ids={video.pk}",
        COSTS,
        product_url("change", video.product),
        product_url("generate_video", video.product),
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert secret not in response.content.decode(), url
