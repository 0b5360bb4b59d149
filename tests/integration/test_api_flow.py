"""A headless back office: the whole life of a video over the JSON API alone, with a real qcluster worker."""

from __future__ import annotations

import time

import httpx
import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from sora_products.models import ProductVideo
from sora_products.storefront import product_ref
from tests.factories import make_product

pytestmark = [pytest.mark.worker]


def test_generate_follow_approve_and_list_over_the_api_only(stack):
    stack.apply(AUTO_GENERATE=False, REQUIRE_APPROVAL=True, API={"AUTHENTICATION": ["token"]})
    stack.start_worker()
    user = get_user_model().objects.create_user("backoffice", is_staff=True, is_superuser=True)
    api = httpx.Client(
        base_url=f"{stack.live_server.url}/videos/api/",
        headers={"Authorization": f"Token {Token.objects.create(user=user).key}"},
        timeout=30,
    )
    product = make_product(name="Canvas sneaker", category="shoes")
    assert not ProductVideo.objects.exists()

    preview = api.post("generate/", json={"products": [product_ref(product)], "preset": "showcase"}).json()
    assert preview["confirmed"] is False and preview["estimate"]["new"] == 1 and not ProductVideo.objects.exists()
    made = api.post("generate/", json={"products": [product_ref(product)], "preset": "showcase", "confirm": True})
    assert made.status_code == 202
    (video_id,) = made.json()["created"]

    deadline = time.monotonic() + 90
    while (detail := api.get(f"videos/{video_id}/").json())["status"] != "ready":
        assert detail["status"] not in ("failed", "canceled"), detail["error_message"]
        assert time.monotonic() < deadline, f"still {detail['status']}:\n{stack.worker_log()}"
        time.sleep(0.3)
    assert detail["video_url"] and detail["reference_url"] and detail["cost"]["actual"] == "0.80"

    listed = f"products/catalog.product/{product.pk}/videos/"
    assert api.get(listed).json()["videos"] == []  # approval is required: not live yet
    approved = api.post(f"videos/{video_id}/approve/")
    assert approved.status_code == 200 and approved.json()["review_state"] == "approved"
    (live,) = api.get(listed).json()["videos"]
    assert live["id"] == video_id and httpx.get(live["video_url"]).content[4:8] == b"ftyp"
    assert api.get("spend/", params={"days": 1}).json()["days"][0]["spent"] == "0.80"
