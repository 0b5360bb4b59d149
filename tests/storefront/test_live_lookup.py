"""The storefront's reused live-video statement answers exactly what the ORM query answers."""

from __future__ import annotations

import datetime
import itertools
import random
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connection
from django.utils import timezone

from demo_shop.catalog.models import Product
from sora_products.models import ProductVideo, ReviewState, VideoStatus
from sora_products.storefront import lookup as live_lookup
from tests.testapp.models import Gadget

pytestmark = pytest.mark.django_db

_spec_keys = itertools.count()
NOW = timezone.now()


def row(content_type: ContentType, object_id: str, **fields) -> ProductVideo:
    values = {
        "preset": "showcase",
        "provider": "emulator",
        "model": "sora-2",
        "size": "720x1280",
        "seconds": 8,
        "prompt": "p",
        "spec_key": f"k{next(_spec_keys)}",
        "status": VideoStatus.READY,
        "review_state": ReviewState.APPROVED,
        "video_file": f"sora_products/videos/{object_id}.mp4",
        "completed_at": NOW,
    }
    values.update(fields)
    return ProductVideo.objects.create(content_type=content_type, object_id=object_id, **values)


def varied_catalogue(seed: int) -> dict[int, list[str]]:
    """Two product models, and for each product a random mix of videos the storefront must tell apart."""
    chooser = random.Random(seed)
    products = ContentType.objects.get_for_model(Product)
    gadgets = ContentType.objects.get_for_model(Gadget)
    catalogue = {
        products.pk: [str(number) for number in range(1, 14)],
        gadgets.pk: [str(uuid.uuid4()) for _ in range(6)],
    }
    for content_type_id, object_ids in catalogue.items():
        content_type = ContentType.objects.get_for_id(content_type_id)
        for object_id in object_ids:
            for _ in range(chooser.randint(0, 3)):
                row(
                    content_type,
                    object_id,
                    preset=chooser.choice(["showcase", "showcase", "showcase", "showcase_wide"]),
                    profile={} if chooser.random() < 0.8 else {"height_cm": 160, "size": "M", "scene": "studio"},
                    status=VideoStatus.READY if chooser.random() < 0.8 else VideoStatus.FAILED,
                    review_state=chooser.choice(
                        [ReviewState.APPROVED, ReviewState.APPROVED, ReviewState.PENDING, ReviewState.REJECTED]
                    ),
                    outdated=chooser.random() < 0.1,
                    completed_at=chooser.choice([None, NOW - datetime.timedelta(minutes=chooser.randint(0, 50))]),
                )
    return catalogue


def orm_rows(wanted: dict[int, list[str]], preset: str) -> list[tuple]:
    groups = sorted((content_type_id, sorted(set(ids))) for content_type_id, ids in wanted.items())
    return list(live_lookup.live_queryset(groups, preset, DEFAULT_DB_ALIAS))


@pytest.mark.parametrize("require_approval", [True, False])
def test_reused_statement_answers_like_the_orm_for_any_subset(settings, require_approval):
    catalogue = varied_catalogue(seed=7)
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": require_approval}
    chooser = random.Random(3)
    asked = 0
    for _ in range(40):
        wanted = {ct: chooser.sample(ids, chooser.randint(1, len(ids))) for ct, ids in catalogue.items()}
        if chooser.random() < 0.3:
            del wanted[chooser.choice(list(wanted))]
        for preset in ("showcase", "showcase_wide"):
            expected = orm_rows(wanted, preset)
            assert live_lookup.live_rows(wanted, preset) == expected
            asked += bool(expected)
    assert asked > 60  # most lookups did have live videos to find


def test_the_approval_rule_is_read_on_every_lookup_not_when_first_compiled(settings):
    products = ContentType.objects.get_for_model(Product)
    row(products, "1", review_state=ReviewState.PENDING)
    wanted = {products.pk: ["1", "2", "3"]}

    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": False}
    assert len(live_lookup.live_rows(wanted, "showcase")) == 1
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": True}
    assert live_lookup.live_rows(wanted, "showcase") == []


def test_rows_come_newest_first_with_undated_ones_last():
    products = ContentType.objects.get_for_model(Product)
    undated = row(products, "5", completed_at=None)
    older = row(products, "5", completed_at=NOW - datetime.timedelta(hours=1))
    newest = row(products, "5", completed_at=NOW)

    found = live_lookup.live_rows({products.pk: ["5"]}, "showcase")

    assert [values[2] for values in found] == [newest.pk, older.pk, undated.pk]
    assert found[0][-1] == newest.completed_at  # dates come back as datetimes, as from the ORM


def test_one_statement_per_padded_shape_each_call_with_its_own_ids():
    products = ContentType.objects.get_for_model(Product)
    for object_id in ("1", "2", "3", "4", "5"):
        row(products, object_id)
    live_lookup._statement.cache_clear()

    first = live_lookup.live_rows({products.pk: ["1", "2", "3"]}, "showcase")
    second = live_lookup.live_rows({products.pk: ["4", "5", "5", "9"]}, "showcase")

    assert sorted(values[1] for values in first) == ["1", "2", "3"]
    assert sorted(values[1] for values in second) == ["4", "5"]
    assert live_lookup._statement.cache_info().currsize == 1  # 3 and 3 distinct ids both pad to 4


def test_past_the_cached_size_the_plain_query_answers(monkeypatch):
    products = ContentType.objects.get_for_model(Product)
    for object_id in ("1", "2", "3"):
        row(products, object_id)
    monkeypatch.setattr(live_lookup, "MAX_CACHED_IDS", 2)
    live_lookup._statement.cache_clear()

    found = live_lookup.live_rows({products.pk: ["1", "2", "3"]}, "showcase")

    assert sorted(values[1] for values in found) == ["1", "2", "3"]
    assert live_lookup._statement.cache_info().currsize == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner, which has no statistics by default")
def test_sqlite_finds_a_listing_by_product_not_by_scanning_every_ready_video():
    products = ContentType.objects.get_for_model(Product)
    ProductVideo.objects.bulk_create(
        [
            ProductVideo(
                content_type=products, object_id=str(number), preset="showcase", provider="emulator", model="m",
                size="720x1280", seconds=8, prompt="p", spec_key=f"bulk{number}", status=VideoStatus.READY,
            )
            for number in range(2000)
        ]
    )
    statement = live_lookup._statement(DEFAULT_DB_ALIAS, "showcase", True, (64,))
    params = statement.params_for([(products.pk, [str(number) for number in range(48)])])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + statement.sql, params)
        plan = " ".join(str(step) for step in cursor.fetchall())

    assert "sora_products_product_live" in plan, plan


def test_a_listing_of_search_results_is_read_through_their_objects_and_stale_ones_are_left_out():
    from sora_products.storefront import listed_products

    product = Product.objects.create(name="Shirt", slug="shirt-results", description="", price=1)

    class Result:  # what haystack's SearchResult offers a template: .object, None when the row is gone
        def __init__(self, obj):
            self.object = obj

    assert listed_products([Result(product), Result(None), product]) == [product, product]
