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
