"""The queue leg in use is the one the environment asked for (CI runs both)."""

from __future__ import annotations

import os

import pytest
from django.db import connection


@pytest.mark.redis
def test_the_redis_leg_really_uses_the_redis_broker():
    from django_q.brokers import get_broker

    broker = get_broker()
    assert type(broker).__name__ == "Redis"
    assert broker.ping()


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_postgres_leg_really_uses_postgresql():
    assert connection.vendor == "postgresql"
    assert os.environ["DATABASE_URL"].startswith("postgres")
