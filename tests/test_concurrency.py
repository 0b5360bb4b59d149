"""Asking for the same video at the same moment makes one row (PostgreSQL: real concurrent transactions)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from sora_products import jobs
from sora_products.models import ProductVideo
from tests.factories import make_product


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_one_spec_make_one_row():
    assert connection.vendor == "postgresql"
    product = make_product()
    ProductVideo.objects.all().delete()
    barrier = threading.Barrier(12)
    results, errors = [], []

    def ask():
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                results.append(jobs.request_video(product, "showcase"))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ProductVideo.objects.count() == 1
    assert len({video.pk for video, _created in results}) == 1
    assert sum(created for _video, created in results) == 1
