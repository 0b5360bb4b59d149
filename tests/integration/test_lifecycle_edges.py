"""The edges of a video's life: remix, the app's own attempt limit, stuck jobs, unknowable creates."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from sora_products import jobs
from sora_products.jobs.providers import get_provider
from sora_products.models import ProductVideo, Spend, SpendKind, VideoStatus
from tests.factories import make_product
from tests.integration.helpers import assert_ledger_identity, drive

pytestmark = pytest.mark.django_db


def new_video(**fields) -> ProductVideo:
    return ProductVideo.objects.for_product(make_product(**fields)).get()


def test_a_remix_is_a_new_paid_video_made_from_the_stored_one(provider):
    original = drive(new_video(colour="red").pk)
    assert original.status == VideoStatus.READY
    remix = jobs.remix(original, "make the jacket navy blue")
    assert (remix.remixed_from, remix.remix_prompt) == (original, "make the jacket navy blue")
    assert jobs.remix(original, "make the jacket navy blue") == remix  # asking twice: the same row
    remix = drive(remix.pk)
    # The red jacket came back navy: stored and paid, but held, since the product on sale is red.
    assert remix.status == VideoStatus.HELD, remix.error_message
    assert "drifted from the photo" in remix.hold_reason
    assert provider.stats()["remixes"] == 1 and provider.stats()["creates"] == 1
    assert remix.video_file.read() != original.video_file.read()
    assert list(original.remixes.all()) == [remix]
    assert_ledger_identity()


def test_only_a_finished_video_can_be_remixed():
    with pytest.raises(ValueError, match="Only a finished video"):
        jobs.remix(new_video(), "bluer")


def test_a_job_that_keeps_killing_its_worker_stops_at_the_apps_attempt_limit(provider, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "MAX_ATTEMPTS": 3}
    video = new_video()
    # Three claims whose workers died before the create went out (the reconcile found nothing).
    ProductVideo.objects.filter(pk=video.pk).update(attempts=3)
    video = drive(video.pk)
    assert (video.status, video.error_code) == (VideoStatus.FAILED, "too_many_attempts")
    assert "retry it by hand" in video.error_message
    assert provider.stats()["creates"] == 0
    assert jobs.retry(video)
    assert drive(video.pk).status == VideoStatus.READY  # a person's retry starts a fresh count


def test_a_job_stuck_at_the_provider_ends_with_a_reason(provider, settings):
    provider.configure(complete_after=60)
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "MAX_RUN_SECONDS": 5}
    video = new_video()
    jobs.process(video.pk)
    ProductVideo.objects.filter(pk=video.pk).update(submit_started_at=timezone.now() - datetime.timedelta(seconds=10))
    jobs.process(video.pk)
    video.refresh_from_db()
    assert (video.status, video.error_code) == (VideoStatus.FAILED, "stuck")
    assert Spend.objects.get(video=video).kind == SpendKind.RELEASED


def test_an_unknown_create_at_a_provider_without_a_list_is_parked_for_a_person(provider, monkeypatch):
    # The emulator always has a list endpoint; a provider without one (fal, Veo) is the fault to fake.
    provider.configure(drop_create_responses=1)
    real = get_provider("default")
    caps = real.capabilities()
    monkeypatch.setattr(
        type(real),
        "capabilities",
        lambda self: type(caps)(models=caps.models, webhooks=caps.webhooks, list_jobs=False, cancel=caps.cancel),
    )
    video = drive(new_video().pk)
    assert (video.status, video.error_code) == (VideoStatus.NEEDS_REVIEW, "outcome_unknown")
    assert "provider's dashboard" in video.error_message
    assert provider.stats()["creates"] == 1  # never resent


def test_cancel_releases_unspent_budget_and_ignores_late_results(provider):
    video = new_video()
    assert jobs.cancel(video)
    video.refresh_from_db()
    assert video.status == VideoStatus.CANCELED
    assert jobs.process(video.pk).status == VideoStatus.CANCELED
    assert provider.stats()["creates"] == 0
    assert_ledger_identity()


def test_canceling_a_job_the_provider_accepted_counts_it_as_spent(provider):
    provider.configure(complete_after=30)
    video = new_video()
    jobs.process(video.pk)
    assert jobs.cancel(ProductVideo.objects.get(pk=video.pk))
    assert Spend.objects.get(video=video).kind == SpendKind.LOSS
    assert_ledger_identity()


@pytest.fixture
def media_server(settings):
    """The shop's media folder over real HTTP, as a CDN or the shop itself would serve it to Runway."""
    import functools
    import http.server
    import threading

    class Media(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            return super().translate_path(path.removeprefix(settings.MEDIA_URL.rstrip("/")))

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Media, directory=str(settings.MEDIA_ROOT))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_on_runway_a_remix_is_a_video_to_video_task_fetched_from_the_shops_storage(
    provider, settings, media_server
):
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "PUBLIC_URL": media_server,
        "PROVIDERS": {
            "default": {
                "BACKEND": "sora_products.providers.runway.RunwayProvider",
                "BASE_URL": provider.url,
                "API_KEY": provider.api_key,
            }
        },
    }
    original = drive(new_video(colour="red").pk)
    assert original.status == VideoStatus.READY, original.error_message

    remix = drive(jobs.remix(original, "make the background navy blue, keep the jacket as in the photo").pk)

    assert remix.status == VideoStatus.READY, remix.error_message
    assert (remix.provider, remix.model) == ("default", "gen4.5")  # the row keeps the preset's model
    assert provider.stats()["requests"]["POST /v1/video_to_video"] == 1
    assert provider.stats()["creates_by_protocol"] == {"runway": 1}
    assert remix.video_file.read() != original.video_file.read()
    assert_ledger_identity()


def test_a_video_made_on_fals_queue_offers_no_remix_and_says_why(settings, video_emulator, admin_client):
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "PROVIDERS": {
            "default": {
                "BACKEND": "sora_products.providers.fal.FalProvider",
                "QUEUE_URL": video_emulator.tls_url,
                "VERIFY": video_emulator.ca_path,
                "API_KEY": video_emulator.api_key,
            }
        },
        "POLL_INTERVAL": 0.1,
    }
    video = drive(new_video().pk)
    assert video.status == VideoStatus.READY, video.error_message
    with pytest.raises(ValueError, match="cannot remix it"):
        jobs.remix(video, "bluer")
    page = admin_client.get(f"/admin/sora_products/productvideo/{video.pk}/change/").content.decode()
    assert "Remix…" not in page
