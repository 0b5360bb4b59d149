"""What pages report: each event counted once per visitor, in few writes, bots and floods left out."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sora_products.experiments import record_conversion
from sora_products.experiments.assignment import VISITOR_COOKIE, read_token, token_for
from sora_products.experiments.models import Exposure
from sora_products.storefront import product_ref
from tests.experiments.helpers import BROWSER, photo_vs_video, visitor
from tests.storefront.helpers import dress

pytestmark = pytest.mark.django_db

URL = reverse("sora_products:api:events")


def report(client: Client, items=(), conversions=(), agent: str = BROWSER):
    """POST a report as the page would: with the visitor cookie of its first mark, unless the client has one."""
    items = list(items)
    read = read_token(items[0]["token"]) if items else None
    if read and VISITOR_COOKIE not in client.cookies:
        client.cookies[VISITOR_COOKIE] = read[1]
    body = json.dumps({"items": items, "conversions": list(conversions)})
    return client.post(URL, body, content_type="application/json", headers={"User-Agent": agent})


def marks(experiment, who: str, arm: str, *events: str) -> dict:
    return {"token": token_for(experiment.pk, who, arm), "events": list(events)}


def test_a_report_counts_each_event_once_per_visitor_however_often_it_is_sent():
    experiment = photo_vs_video()
    who = visitor(1)
    first = report(Client(), [marks(experiment, who, "treatment", "impression", "play")])
    assert first.status_code == 202 and first.json() == {"recorded": 2, "dropped": 0}
    report(Client(), [marks(experiment, who, "treatment", "impression", "play", "sound_on")] * 3)
    row = Exposure.objects.get()
    assert (row.visitor, row.arm, row.played, row.sound_on, row.tried_on) == (who, "treatment", True, True, False)


def test_a_page_of_twenty_cards_is_a_handful_of_queries():
    experiments = [photo_vs_video(name=f"e{n}") for n in range(20)]
    items = [marks(experiment, visitor(1), "control", "impression", "play") for experiment in experiments]
    with CaptureQueriesContext(connection) as queries:
        assert report(Client(), items).json()["recorded"] == 40
    writes = [q for q in queries if q["sql"].startswith(("INSERT", "UPDATE"))]
    assert Exposure.objects.count() == 20 and len(writes) <= 2 and len(queries) <= 6


def test_forged_tokens_bots_mixed_visitors_and_ended_experiments_are_left_out():
    experiment = photo_vs_video()
    forged = {"token": marks(experiment, visitor(1), "control", "impression")["token"] + "x", "events": ["impression"]}
    assert report(Client(), [forged]).json() == {"recorded": 0, "dropped": 1}
    bot = report(Client(), [marks(experiment, visitor(2), "control", "impression")], agent="python-httpx/0.28")
    assert bot.json()["recorded"] == 0
    mixed = [marks(experiment, visitor(3), "control", "impression"), marks(experiment, visitor(4), "control", "play")]
    assert report(Client(), mixed).json() == {"recorded": 0, "dropped": 2}
    ended = photo_vs_video(name="over", ended_at="2026-01-01T00:00:00Z", winner="treatment")
    assert report(Client(), [marks(ended, visitor(5), "treatment", "impression")]).json()["recorded"] == 0
    assert not Exposure.objects.exists()


def test_a_visitor_that_reports_too_often_and_a_network_that_makes_too_many_visitors_are_capped(settings):
    options = settings.SORA_PRODUCTS.get("EXPERIMENTS", {})
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "EXPERIMENTS": {**options, "REPORTS_PER_MINUTE": 3, "NEW_VISITORS_PER_HOUR": 5},
    }
    experiment = photo_vs_video()
    answers = [report(Client(), [marks(experiment, visitor(1), "control", "impression")]).json() for _ in range(4)]
    assert [answer["dropped"] for answer in answers] == [0, 0, 0, 1]
    new = [report(Client(), [marks(experiment, visitor(n), "control", "impression")]).json() for n in range(10, 20)]
    assert sum(answer["recorded"] for answer in new) == 4  # five new visitors an hour from one network
    assert Exposure.objects.count() == 5


def test_a_bad_report_is_a_400_with_a_sentence():
    response = Client().post(URL, '{"items": [{"token": 1, "events": ["dance"]}]}', content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"] == "The experiment report could not be read."


def test_a_conversion_counts_for_the_experiments_the_visitor_was_shown_over_that_product(rf):
    product, other = dress(), dress(name="Lamp", category="home")
    experiment = photo_vs_video()
    from sora_products.experiments.models import Scope

    lamp_only = photo_vs_video(name="lamps", scope=Scope.CATEGORY, category="home")
    who = visitor(1)
    shown = [marks(experiment, who, "control", "impression"), marks(lamp_only, who, "treatment", "impression")]
    report(Client(), shown)
    request = rf.post("/bag/", HTTP_USER_AGENT=BROWSER)
    request.COOKIES[VISITOR_COOKIE] = who
    assert record_conversion(request, "add_to_basket", product) == 1
    assert list(Exposure.objects.filter(added_to_basket=True).values_list("experiment", flat=True)) == [experiment.pk]
    assert record_conversion(request, "add_to_basket", product) == 0  # once per visitor
    stranger = rf.post("/bag/", HTTP_USER_AGENT=BROWSER)
    stranger.COOKIES[VISITOR_COOKIE] = visitor(2)
    assert record_conversion(stranger, "add_to_basket", product) == 0  # never shown the experiment
    client = Client()
    client.cookies[VISITOR_COOKIE] = who
    answer = report(client, conversions=[{"kind": "add_to_basket", "product": product_ref(other)}])
    assert answer.json() == {"recorded": 1, "dropped": 0}
    assert Exposure.objects.get(experiment=lamp_only).added_to_basket


def test_the_demo_shops_add_to_bag_counts_as_an_add_to_basket():
    product = dress()
    experiment = photo_vs_video()
    who = visitor(1)
    report(Client(), [marks(experiment, who, "control", "impression")])
    client = Client()
    client.cookies[VISITOR_COOKIE] = who
    response = client.post(reverse("catalog:add-to-bag", args=[product.slug]), headers={"User-Agent": BROWSER})
    assert response.status_code == 302 and Exposure.objects.get().added_to_basket
    assert "Added to your bag" in client.get(response["Location"]).content.decode()


def test_a_report_for_another_visitors_cookie_or_a_play_never_seen_counts_nothing():
    experiment = photo_vs_video()
    someone_else = Client()
    someone_else.cookies[VISITOR_COOKIE] = visitor(9)
    assert report(someone_else, [marks(experiment, visitor(1), "control", "impression")]).json()["recorded"] == 0
    assert report(Client(), [marks(experiment, visitor(2), "treatment", "play", "try_on")]).json() == {
        "recorded": 0, "dropped": 2,
    }  # fmt: skip
    assert not Exposure.objects.exists()


def test_a_conversion_for_a_product_whose_own_experiment_ended_counts_for_no_other():
    from django.contrib.contenttypes.models import ContentType

    from sora_products.experiments.models import Scope

    product = dress()
    shop = photo_vs_video(name="shop")
    photo_vs_video(
        name="this dress", scope=Scope.PRODUCT, content_type=ContentType.objects.get_for_model(product),
        object_id=str(product.pk), ended_at="2026-11-01T00:00:00Z", winner="treatment",
    )  # fmt: skip
    who = visitor(1)
    report(Client(), [marks(shop, who, "control", "impression")])
    client = Client()
    client.cookies[VISITOR_COOKIE] = who
    client.post(reverse("catalog:add-to-bag", args=[product.slug]), headers={"User-Agent": BROWSER})
    assert not Exposure.objects.get().added_to_basket  # this dress's page shows the kept arm, not the shop's test


def test_an_unknown_product_in_a_conversion_drops_that_conversion_only():
    experiment = photo_vs_video()
    who = visitor(1)
    answer = report(
        Client(), [marks(experiment, who, "control", "impression")],
        conversions=[{"kind": "add_to_basket", "product": "catalog.product:999999"}],
    )  # fmt: skip
    assert answer.status_code == 202 and answer.json() == {"recorded": 1, "dropped": 1}
    assert Exposure.objects.filter(visitor=who).exists()
