import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rates():
    """The report and new-visitor counters live in the default cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()
