"""Return on spend beside the costs page: cost per preset and product against the lift measured, hedged."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from sora_products.admin.returns import by_preset, by_product
from sora_products.experiments.models import Scope
from sora_products.models import Spend, SpendKind
from tests.experiments.helpers import photo_vs_video
from tests.experiments.test_results import fill
from tests.storefront.helpers import dress, ready_video

pytestmark = pytest.mark.django_db


def paid(video, amount: str) -> None:
    Spend.objects.create(
        video=video, kind=SpendKind.SETTLED, amount=Decimal(amount), settled_amount=Decimal(amount),
        provider="default", model="sora-2", preset=video.preset, day=datetime.date(2026, 12, 1),
    )  # fmt: skip


def test_each_preset_shows_its_cost_and_what_its_experiment_measured():
    shirt, lamp = dress(name="Shirt"), dress(name="Lamp", category="home")
    paid(ready_video(shirt), "40.00")
    paid(ready_video(lamp), "40.00")
    paid(ready_video(shirt, "showcase_wide"), "1.20")
    experiment = photo_vs_video()
    fill(experiment, "control", 20_000, 1000)
    fill(experiment, "treatment", 20_000, 1300, start=100_000)

    rows = {row.preset: row for row in by_preset()}
    assert rows["showcase"].spent == Decimal("80.00") and rows["showcase_wide"].measured == []
    (measured,) = rows["showcase"].measured
    assert measured.spent == Decimal("80.00")
    assert measured.sentence == (
        "$80.00 spent; among the 20000 visitors shown the videos they added between 150 and 450 add-to-baskets: "
        "$0.18 to $0.53 per extra one."
    )


def test_thin_data_says_so_and_a_product_names_where_its_lift_was_measured():
    shirt, lamp = dress(name="Shirt"), dress(name="Lamp", category="home")
    paid(ready_video(shirt), "0.80")
    paid(ready_video(lamp), "2.00")
    photo_vs_video(name="lamps", scope=Scope.CATEGORY, category="home")

    (measured,) = {row.preset: row for row in by_preset()}["showcase"].measured
    assert measured.spent == Decimal("2.00")  # only the category's videos
    assert measured.sentence == "Too little data yet: each arm needs 100 visitors before the return can be told."
    lamp_row, shirt_row = by_product()
    assert (lamp_row.label, lamp_row.note) == ("Lamp", "Measured across its category, not this product alone.")
    assert (shirt_row.label, shirt_row.note) == ("Shirt", "No experiment covers this product.")


def test_the_page_sits_beside_the_costs_page_for_those_who_may_see_costs():
    paid(ready_video(dress()), "0.80")
    owner = get_user_model().objects.create_user("owner", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(owner)
    costs = client.get(reverse("admin:sora_products_spend_changelist")).content.decode()
    url = reverse("admin:sora_products_spend_return")
    assert url in costs
    page = client.get(url).content.decode()
    assert "Return on spend" in page and "No experiment has tested this preset." in page
    clerk = get_user_model().objects.create_user("clerk", is_staff=True)
    client.force_login(clerk)
    assert client.get(url).status_code == 403
