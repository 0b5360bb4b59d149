"""The listing page: one query for all cards' videos, however many products have one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo_shop.catalog.models import Product
from sora_products.storefront import attach_videos, live_video
from tests.storefront.helpers import dress, ready_video

pytestmark = pytest.mark.django_db


def listing_queries(client, count: int) -> tuple[int, str]:
    Product.objects.all().delete()
    for number in range(count):
        ready_video(dress(name=f"Dress {number}"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("catalog:list"))
    html = response.content.decode()
    assert html.count("<video") == count
    return len(queries), html


def test_listing_query_count_does_not_grow_with_products(client, django_assert_max_num_queries):
    listing_queries(client, 3)  # warm: what a process reads once (and a shared cache keeps) is not counted
    three, _html = listing_queries(client, 3)
    twelve, html = listing_queries(client, 12)

    assert twelve == three
    assert html.count("sora-player--compact") == 12 and "application/ld+json" not in html
    # The same page again: no more queries (one fewer when a shared cache carries the live counter).
    with django_assert_max_num_queries(three):
        client.get(reverse("catalog:list"))


def test_attach_videos_then_lookups_are_free(django_assert_num_queries):
    products = [dress() for _ in range(4)]
    videos = {p.pk: ready_video(p) for p in products[:3]}
    products = list(Product.objects.filter(pk__in=[p.pk for p in products]).order_by("pk"))

    with django_assert_num_queries(1):
        attach_videos(products)
    with django_assert_num_queries(0):
        found = [live_video(p) for p in products]

    assert [v.pk if v else None for v in found] == [videos[p.pk].pk for p in products[:3]] + [None]


def test_prefetch_tag_fills_a_queryset_the_loop_reuses(django_assert_num_queries):
    from django.template import engines

    for _ in range(5):
        ready_video(dress())
    template = engines["django"].from_string(
        "{% load sora_products %}{% prefetch_product_videos products as videos %}"
        "{% for p in products %}{% product_video p compact=True %}{% endfor %}"
    )
    with django_assert_num_queries(2):  # the products, then their videos
        html = template.render({"products": Product.objects.all()})
    assert html.count("<video") == 5


def test_the_newest_of_several_live_videos_is_shown():
    product = dress()
    older = ready_video(product)
    newer = ready_video(product, "showcase_wide")
    type(newer).objects.filter(pk=newer.pk).update(preset="showcase", spec_key="x" * 64)

    assert live_video(Product.objects.get(pk=product.pk)).pk == newer.pk != older.pk
