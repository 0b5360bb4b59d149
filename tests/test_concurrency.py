"""Asking for the same video at the same moment makes one row (PostgreSQL: real concurrent transactions)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from sora_products import jobs
from sora_products.models import ProductVideo
from tests.factories import make_product
from tests.stack import run_concurrently


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_one_spec_make_one_row():
    assert connection.vendor == "postgresql"
    product = make_product()
    ProductVideo.objects.all().delete()
    results = []

    def ask() -> None:
        with transaction.atomic():
            results.append(jobs.request_video(product, "showcase"))

    assert run_concurrently(12, ask) == []
    assert ProductVideo.objects.count() == 1
    assert len({video.pk for video, _created in results}) == 1
    assert sum(created for _video, created in results) == 1
