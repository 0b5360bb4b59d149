"""Generating over the staff API spends nothing until confirmed; spend per day and the budget left."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sora_products.models import ProductVideo, Spend, SpendKind
from sora_products.storefront import product_ref
from tests.factories import make_product
from tests.storefront.test_staff_api import staff

pytestmark = pytest.mark.django_db

GENERATE_URL = reverse("sora_products:api:staff-generate")
SPEND_URL = reverse("sora_products:api:staff-spend")


def generate(client: Client, products, preset="showcase_wide", **extra):
    body = {"products": [product_ref(p) for p in products], "preset": preset, **extra}
    return client.post(GENERATE_URL, json.dumps(body), content_type="application/json")


def test_without_confirm_it_answers_the_estimate_and_budget_and_makes_nothing(
    settings, django_capture_on_commit_callbacks
):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "BUDGET": {"DAILY": Decimal("25.00"), "MONTHLY": None}}
    products = [make_product(), make_product()]
    before = ProductVideo.objects.count()
    maker = staff("generate_productvideo")

    with django_capture_on_commit_callbacks() as queued:
        preview = generate(maker, products)

    data = preview.json()
    assert preview.status_code == 200 and data["confirmed"] is False
    assert (data["estimate"]["new"], data["estimate"]["total"]) == (2, "1.60")
    assert data["budget_left"]["daily"] == {"used": "0.00", "cap": "25.00", "left": "25.00"}
    assert data["budget_left"]["monthly"]["cap"] is None
    assert ProductVideo.objects.count() == before and not Spend.objects.exists() and not queued


def test_with_confirm_it_asks_for_the_videos_once(django_capture_on_commit_callbacks):
    products = [make_product(), make_product()]
    maker = staff("generate_productvideo")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        made = generate(maker, products, confirm=True)
    data = made.json()
    assert made.status_code == 202 and data["confirmed"] and len(data["created"]) == 2 and data["existing"] == []
    assert len(queued) == 2
    again = generate(maker, products, confirm=True).json()
    assert again["created"] == [] and sorted(again["existing"]) == sorted(data["created"])


def test_a_preset_that_does_not_apply_is_skipped_with_the_reason_and_bad_input_is_a_400():
    maker = staff("generate_productvideo")
    lamp = make_product(name="Lamp", category="home")
    data = generate(maker, [lamp], preset="worn", confirm=True).json()
    assert data["created"] == [] and data["estimate"]["skipped"][0]["reason"]
    unknown = generate(maker, [lamp], preset="cinema")
    assert unknown.status_code == 400
    assert unknown.json()["fields"]["preset"] == ["There is no video preset called “cinema”."]
    empty = maker.post(GENERATE_URL, json.dumps({"preset": "showcase"}), content_type="application/json")
    assert empty.status_code == 400 and empty.json()["detail"] == "Name the products and a preset, then try again."


def test_generate_and_spend_need_their_permissions():
    product = make_product()
    before = ProductVideo.objects.count()
    refused = generate(staff("view_productvideo", "view_costs"), [product], confirm=True)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "You don't have permission to generate or cancel videos."
    assert ProductVideo.objects.count() == before
    assert generate(Client(), [product], confirm=True).status_code == 403
    spend = staff("generate_productvideo").get(SPEND_URL)
    assert spend.status_code == 403 and spend.json()["detail"] == "You don't have permission to see video costs."


def test_spend_per_day_counts_reservations_settled_spend_and_billed_refusals_not_releases(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "BUDGET": {"DAILY": Decimal("10.00")}}
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    common = {"provider": "default", "model": "sora-2", "preset": "showcase"}
    Spend.objects.create(amount=Decimal("0.80"), day=today, kind=SpendKind.RESERVED, **common)
    Spend.objects.create(amount=Decimal("0.80"), settled_amount=Decimal("0.40"), day=today, kind=SpendKind.SETTLED,
                         **common)  # fmt: skip
    Spend.objects.create(amount=Decimal("0.80"), day=yesterday, kind=SpendKind.RELEASED, **common)
    Spend.objects.create(amount=Decimal("0.80"), day=yesterday, kind=SpendKind.LOSS, **common)

    data = staff("view_costs").get(SPEND_URL, {"days": 3}).json()

    assert [row["spent"] for row in data["days"]] == ["0.00", "0.80", "1.20"]
    assert data["days"][-1]["day"] == today.isoformat()
    assert data["budget_left"]["daily"] == {"used": "1.20", "cap": "10.00", "left": "8.80"}
    for days in ("0", "367", "x", "²"):
        bad = staff("view_costs").get(SPEND_URL, {"days": days})
        assert bad.status_code == 400 and bad.json()["detail"] == "Ask for between 1 and 366 days."


def test_generate_can_start_at_another_provider_of_the_presets_route(settings):
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "PROVIDERS": {
            "first": {"BASE_URL": "http://127.0.0.1:9/v1", "API_KEY": "sk-first"},
            "second": {"BASE_URL": "http://127.0.0.1:9/v1", "API_KEY": "sk-second", "MODEL": "sora-2-pro"},
        },
        "PRESETS": {"showcase": {"PROVIDER": ["first", "second"], "SIZE": "720x1280", "SECONDS": 8}},
    }
    product = make_product()
    ProductVideo.objects.all().delete()
    maker = staff("generate_productvideo")

    preview = generate(maker, [product], preset="showcase", provider="second").json()
    assert preview["estimate"]["total"] == "2.40"  # sora-2-pro's price at 720x1280, not sora-2's 0.80
    made = generate(maker, [product], preset="showcase", provider="second", confirm=True).json()
    video = ProductVideo.objects.get(pk=made["created"][0])
    assert (video.provider, video.model) == ("second", "sora-2-pro")

    elsewhere = generate(maker, [product], preset="showcase", provider="runway")
    assert elsewhere.status_code == 400
    assert elsewhere.json()["fields"]["provider"] == [
        "The “showcase” video is made by “first”, “second”, not by “runway”."
    ]
