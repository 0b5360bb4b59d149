"""In a real Oscar shop: its product page carries the experiment mark, and Oscar's own "Add to basket" counts."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from sora_products.experiments.assignment import VISITOR_COOKIE
from sora_products.experiments.models import Exposure
from sora_products.models import ProductVideo
from tests.experiments.helpers import BROWSER, photo_vs_video, visitor_in
from tests.oscar_shop.conftest import oscar_product
from tests.videos import finish

pytestmark = pytest.mark.django_db


def test_oscars_basket_addition_reaches_the_experiment_the_visitor_was_shown():
    product = oscar_product(title="Linen shirt")
    finish(ProductVideo.objects.for_product(product).get())
    experiment = photo_vs_video()
    shopper = Client(HTTP_USER_AGENT=BROWSER)
    shopper.cookies[VISITOR_COOKIE] = visitor_in(experiment, "treatment")

    html = shopper.get(product.get_absolute_url()).content.decode()
    token = re.search(r'data-sora-token="([^"]+)"', html).group(1)
    report = {"items": [{"token": token, "events": ["impression"]}]}
    answer = shopper.post(reverse("sora_products:api:events"), json.dumps(report), content_type="application/json")
    assert answer.status_code == 202 and Exposure.objects.get().arm == "treatment"

    added = shopper.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    assert added.status_code == 302
    assert Exposure.objects.get().added_to_basket


def test_an_order_counts_for_the_experiment_over_its_products_and_a_variant_as_its_parent(rf):
    from django.contrib.contenttypes.models import ContentType
    from oscar.apps.checkout.signals import post_checkout
    from oscar.test.factories import create_order

    from sora_products.experiments.assignment import token_for
    from sora_products.experiments.events import record_conversion
    from sora_products.experiments.models import Goal, Scope
    from tests.oscar_shop.conftest import variant

    parent = oscar_product(title="Linen shirt", structure="parent")
    child = variant(parent, title="Linen shirt, M")
    experiment = photo_vs_video(
        scope=Scope.PRODUCT, content_type=ContentType.objects.get_for_model(parent), object_id=str(parent.pk),
        goal=Goal.ORDER,
    )  # fmt: skip
    who = visitor_in(experiment, "treatment")
    shopper = Client(HTTP_USER_AGENT=BROWSER)
    shopper.cookies[VISITOR_COOKIE] = who
    report = {"items": [{"token": token_for(experiment.pk, who, "treatment"), "events": ["impression"]}]}
    shopper.post(reverse("sora_products:api:events"), json.dumps(report), content_type="application/json")

    request = rf.post("/checkout/", HTTP_USER_AGENT=BROWSER)
    request.COOKIES[VISITOR_COOKIE] = who
    assert record_conversion(request, "add_to_basket", child) == 1  # the variant counts for its parent
    order = create_order(user=None)
    order.lines.update(product=child)
    post_checkout.send(sender=None, order=order, user=None, request=request, response=None)
    row = Exposure.objects.get()
    assert row.added_to_basket and row.ordered
