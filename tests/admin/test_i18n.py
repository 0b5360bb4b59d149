"""The admin pages render in Japanese (the strings are translated later; the pages must work)."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from sora_products.models import ProductVideo
from tests.admin.conftest import fail, finish, product_url, video_url
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def test_the_admin_pages_render_in_japanese(admin_client):
    ready = finish(ProductVideo.objects.for_product(make_product(name="リネンシャツ")).get())
    failed = fail(ProductVideo.objects.for_product(make_product()).get())
    headers = {"HTTP_ACCEPT_LANGUAGE": "ja"}
    pages = [
        video_url("changelist"),
        video_url("change", ready),
        video_url("change", failed),
        video_url("remix", ready),
        "/admin/sora_products/spend/",
        product_url("change", ready.product),
        product_url("generate_video", ready.product),
    ]
    for url in pages:
        response = admin_client.get(url, **headers)
        assert response.status_code == 200, url
        assert '<html lang="ja"' in response.content.decode(), url
    assert "リネンシャツ" in admin_client.get(video_url("changelist"), **headers).content.decode()
    data = {"action": "generate_videos", ACTION_CHECKBOX_NAME: [ready.object_id]}
    response = admin_client.post(product_url("changelist"), data, **headers)
    assert response.status_code == 200 and '<html lang="ja"' in response.content.decode()
