"""A provider that says what a job costs (Runway's credits) moves the reservation, but never past a cap."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sora_products.models import ProductVideo, Spend, SpendKind, VideoStatus
from tests.factories import make_product
from tests.integration.helpers import assert_ledger_identity, drive

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def runway(settings, video_emulator):
    def configure(price: str, daily: str | None) -> None:
        settings.SORA_PRODUCTS = {
            **settings.SORA_PRODUCTS,
            "PROVIDERS": {
                "default": {
                    "BACKEND": "sora_products.providers.runway.RunwayProvider",
                    "BASE_URL": video_emulator.url,
                    "API_KEY": video_emulator.api_key,
                    "PRICES": {"gen4.5": {"*": price}},
                }
            },
            "BUDGET": {"DAILY": daily, "MONTHLY": None, "SHOPPER_DAILY": None},
            "POLL_INTERVAL": 0.1,
        }

    return configure


def made(**fields) -> ProductVideo:
    return drive(ProductVideo.objects.for_product(make_product(**fields)).get().pk)


def test_an_estimate_above_the_table_is_reserved_when_the_caps_allow(runway):
    runway("0.05", None)  # the table says 8 s x $0.05 = $0.40; Runway says 96 credits
    video = made()
    assert video.status == VideoStatus.READY, video.error_message
    spend = Spend.objects.get(video=video)
    assert (spend.kind, spend.amount, spend.settled_amount) == (SpendKind.SETTLED, Decimal("0.96"), Decimal("0.96"))
    assert_ledger_identity()


def test_an_estimate_a_cap_would_not_allow_cancels_the_task_before_it_is_made(runway, video_emulator):
    runway("0.05", "0.50")  # $0.40 fits the daily cap, $0.96 would not
    video = made()
    assert (video.status, video.error_code) == (VideoStatus.FAILED, "over_budget")
    assert "$0.96" in video.error_message and "canceled before it was made" in video.error_message
    assert Spend.objects.get(video=video).kind == SpendKind.RELEASED
    assert video_emulator.jobs()[-1].status == "cancelled"  # Runway refunds a canceled task
    assert_ledger_identity()
