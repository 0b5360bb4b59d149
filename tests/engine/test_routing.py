"""A preset that lists providers in order: a video the first cannot take is made by the next, paid once."""

from __future__ import annotations

import socket
from decimal import Decimal

import pytest

from sora_products.emulator.testing import start_emulator
from sora_products.models import ProductVideo, ProviderHealth, Spend, SpendKind, VideoStatus
from tests.factories import make_product
from tests.integration.helpers import assert_ledger_identity, drive

pytestmark = pytest.mark.django_db(transaction=True)

ROUTE = [{"NAME": "first", "MODEL": "sora-2"}, {"NAME": "second", "MODEL": "sora-2-pro"}]


@pytest.fixture
def second_emulator():
    emulator = start_emulator()
    yield emulator
    emulator.stop()


@pytest.fixture
def routed(settings, video_emulator, second_emulator):
    """Preset "showcase" tries provider "first" (the session emulator), then "second" (another one)."""
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "PROVIDERS": {
            "first": {"BASE_URL": video_emulator.base_url, "API_KEY": video_emulator.api_key},
            "second": {"BASE_URL": second_emulator.base_url, "API_KEY": second_emulator.api_key},
        },
        "PRESETS": {"showcase": {"PROVIDER": ROUTE, "SIZE": "720x1280", "SECONDS": 8}},
        "POLL_INTERVAL": 0.1,
        "RECONCILE_GRACE_SECONDS": 1,
        "BACKOFF": {"FIRST_SECONDS": 0.1, "MAX_SECONDS": 1, "JITTER": 0.2},
        "OUTAGE": {"AFTER_FAILURES": 3, "PROBE_SECONDS": 1},
    }
    return video_emulator, second_emulator


def showcase(**fields) -> ProductVideo:
    return ProductVideo.objects.for_product(make_product(**fields)).get(preset="showcase")


def test_the_spec_key_names_the_first_choice_whoever_makes_the_video(routed):
    video = showcase()
    assert (video.provider, video.model, video.estimated_cost) == ("first", "sora-2", Decimal("0.80"))


def test_quota_at_the_first_provider_moves_the_video_to_the_second_paid_once_at_its_price(routed):
    first, second = routed
    first.configure(quota_exceeded=True)
    video = showcase()
    spec_key = video.spec_key

    video = drive(video.pk)

    assert video.status == VideoStatus.READY, video.error_message
    assert (video.provider, video.model, video.spec_key) == ("second", "sora-2-pro", spec_key)
    assert (first.stats()["creates"], second.stats()["creates"]) == (0, 1)
    spends = list(Spend.objects.filter(video=video).order_by("pk").values_list("kind", "provider", "amount"))
    assert spends == [(SpendKind.RELEASED, "first", Decimal("0.80")), (SpendKind.SETTLED, "second", Decimal("2.40"))]
    assert video.attempts == 1
    assert_ledger_identity()


def test_an_unreachable_first_provider_sends_new_videos_straight_to_the_second(routed, settings):
    _first, second = routed
    with socket.socket() as probe:  # a port nothing listens on: every connection is refused
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    providers = dict(settings.SORA_PRODUCTS["PROVIDERS"])
    providers["first"] = {"BASE_URL": f"http://127.0.0.1:{closed_port}/v1", "API_KEY": "sk-test"}
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "PROVIDERS": providers}

    video = drive(showcase().pk)

    assert video.status == VideoStatus.READY and video.provider == "second", video.error_message
    assert ProviderHealth.objects.get(provider="first").unreachable_since is not None
    # The next video does not knock on the first provider's door at all.
    later = drive(showcase(name="Second product").pk)
    assert later.provider == "second" and later.status == VideoStatus.READY
    assert later.attempts == 1 and second.stats()["creates"] == 2


def test_a_moderation_refusal_does_not_fall_through(routed):
    first, second = routed
    video = drive(showcase(description="[moderate] please").pk)
    assert (video.status, video.provider) == (VideoStatus.FAILED, "first")
    assert (first.stats()["creates"], second.stats()["creates"]) == (1, 0)
    assert_ledger_identity()


def test_an_unknown_outcome_does_not_fall_through(routed):
    first, second = routed
    first.configure(server_error_creates=1)  # a 5xx to the create: it may have been made
    video = drive(showcase().pk)
    assert video.status == VideoStatus.READY and video.provider == "first", video.error_message
    assert second.stats()["creates"] == 0


def test_a_shape_the_first_model_lacks_goes_to_one_that_makes_it(routed, settings):
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "PRESETS": {"showcase": {"PROVIDER": ROUTE, "SIZE": "1080x1920", "SECONDS": 8}},
    }
    first, second = routed
    video = drive(showcase().pk)
    assert (video.status, video.provider, video.model) == (VideoStatus.READY, "second", "sora-2-pro")
    assert (first.stats()["creates"], second.stats()["creates"]) == (0, 1)


def test_across_protocols_quota_at_fal_sends_the_video_to_runway(routed, settings):
    first, second = routed
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "PROVIDERS": {
            "fal": {
                "BACKEND": "sora_products.providers.fal.FalProvider",
                "QUEUE_URL": first.tls_url,
                "VERIFY": first.ca_path,
                "API_KEY": first.api_key,
            },
            "runway": {
                "BACKEND": "sora_products.providers.runway.RunwayProvider",
                "BASE_URL": second.url,
                "API_KEY": second.api_key,
            },
        },
        "PRESETS": {
            "showcase": {
                "PROVIDER": [
                    {"NAME": "fal", "MODEL": "fal-ai/veo3.1/fast/image-to-video"},
                    {"NAME": "runway", "MODEL": "gen4.5"},
                ],
                "SIZE": "720x1280",
                "SECONDS": 8,
            }
        },
    }
    first.configure(quota_exceeded=True)

    video = drive(showcase().pk)

    assert (video.status, video.provider, video.model) == (VideoStatus.READY, "runway", "gen4.5"), video.error_message
    assert second.stats()["creates_by_protocol"] == {"runway": 1} and first.stats()["creates"] == 0
    spends = list(Spend.objects.filter(video=video).order_by("pk").values_list("kind", "provider", "amount"))
    assert spends == [(SpendKind.RELEASED, "fal", Decimal("0.80")), (SpendKind.SETTLED, "runway", Decimal("0.96"))]
    assert video.actual_cost == Decimal("0.96")  # Runway's own charge settles it
    assert_ledger_identity()
