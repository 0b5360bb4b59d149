"""Results a shop owner reads: rates with intervals, the lift in a sentence, and one action to keep the winner."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from sora_products.experiments.assignment import VISITOR_COOKIE
from sora_products.experiments.models import Exposure, Goal
from sora_products.experiments.results import results
from tests.experiments.helpers import BROWSER, photo_vs_video, visitor, visitor_in
from tests.storefront.helpers import dress, ready_video

pytestmark = pytest.mark.django_db


def fill(experiment, arm: str, visitors: int, converted: int, start: int = 0) -> None:
    Exposure.objects.bulk_create(
        Exposure(experiment=experiment, visitor=visitor(start + n), arm=arm, added_to_basket=n < converted)
        for n in range(visitors)
    )


LIFT = "The video arm adds between 0.8 and 2.2 percentage points to add-to-basket."
DROP = "The video arm takes between 0.8 and 2.2 percentage points off add-to-basket."


@pytest.mark.parametrize(
    ("control", "treatment", "sentence"),
    [
        ((50, 5), (50, 20), "Too few visitors yet: each arm needs at least 100 before anything is said."),
        ((4000, 200), (4000, 215), "No difference can be told apart yet."),
        ((20_000, 1000), (20_000, 1300), LIFT),
        ((20_000, 1300), (20_000, 1000), DROP),
    ],
    ids=["too-few", "undecided", "better", "worse"],
)
def test_the_sentence_says_what_the_counts_allow(control, treatment, sentence):
    experiment = photo_vs_video()
    fill(experiment, "control", *control)
    fill(experiment, "treatment", *treatment, start=100_000)
    found = results(experiment)
    assert found.sentence == sentence
    assert (found.control.visitors, found.treatment.conversions) == (control[0], treatment[1])


def test_an_order_goal_counts_orders_not_baskets():
    experiment = photo_vs_video(goal=Goal.ORDER)
    fill(experiment, "control", 200, 50)
    assert results(experiment).control.conversions == 0


def superuser_client() -> Client:
    user = get_user_model().objects.create_user("owner", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_shows_the_results_and_ending_keeps_the_winner_for_every_visitor():
    product = dress()
    shown = f'data-video-id="{ready_video(product).pk}"'
    experiment = photo_vs_video()
    fill(experiment, "control", 20_000, 1000)
    fill(experiment, "treatment", 20_000, 1300, start=100_000)
    admin = superuser_client()
    change = reverse("admin:sora_products_experiment_change", args=[experiment.pk])
    page = admin.get(change).content.decode()
    assert LIFT in page
    assert "5.0 % (4.5 % to 5.5 %)" in page and "The results favour:" in page

    ended = admin.post(reverse("admin:sora_products_experiment_end", args=[experiment.pk]), {"keep": "treatment"})
    assert ended.status_code == 302
    experiment.refresh_from_db()
    assert experiment.winner == "treatment" and experiment.ended_at is not None
    shopper = Client()
    shopper.cookies[VISITOR_COOKIE] = visitor_in(experiment, "control")
    html = shopper.get(product.get_absolute_url(), headers={"User-Agent": BROWSER}).content.decode()
    assert shown in html and "data-sora-experiment" not in html  # the control visitor sees the video; no counting
    assert "Ended, kept" in admin.get(reverse("admin:sora_products_experiment_changelist")).content.decode()


def test_a_new_experiment_is_checked_before_it_starts():
    admin = superuser_client()
    answer = admin.post(
        reverse("admin:sora_products_experiment_add"),
        {"name": "x", "scope": "category", "category": "", "control_preset": "showcase",
         "treatment_preset": "showcase", "treatment_share": "1.5", "goal": "add_to_basket"},
    )  # fmt: skip
    page = answer.content.decode()
    assert answer.status_code == 200
    for sentence in ("Give a share between 0 and 1", "Both arms would show the same thing", "Say which category"):
        assert sentence in page
