"""Fixtures for the demo shop's tests: photos are drawn once per run, then reused by every seed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from django.utils import translation

from demo_shop.catalog.management.commands import seed_demo
from demo_shop.catalog.photos import CATALOGUE, DemoProduct, photos_for


@pytest.fixture(scope="session")
def drawn_photos() -> dict[str, bytes]:
    """Every catalogue photo, drawn for real once: drawing is the slow part of seeding."""
    return photos_for(CATALOGUE)


@pytest.fixture
def media_root(settings, tmp_path):
    """Photos go to this test's own folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def cached_photos(monkeypatch, drawn_photos) -> list[list[str]]:
    """Make seed_demo reuse the session's photos; returns the slugs asked for on each call."""
    calls: list[list[str]] = []

    def fake_photos_for(products: Sequence[DemoProduct]) -> dict[str, bytes]:
        calls.append([p.slug for p in products])
        return {p.slug: drawn_photos[p.slug] for p in products}

    monkeypatch.setattr(seed_demo, "photos_for", fake_photos_for)
    return calls


@pytest.fixture
def seed(media_root, cached_photos) -> Callable[..., str]:
    """Run seed_demo with the cached photos and return what it printed."""
    from io import StringIO

    from django.core.management import call_command

    def run(*args: str) -> str:
        out = StringIO()
        call_command("seed_demo", *args, stdout=out)
        return out.getvalue()

    return run


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request in Japanese must not leave the next test speaking Japanese."""
    yield
    translation.deactivate()
