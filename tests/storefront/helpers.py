"""Builders for storefront tests: products and videos in any state, without a provider."""

from __future__ import annotations

from tests.factories import make_product
from tests.videos import FAKE_MP4, finish, ready_video

__all__ = ["FAKE_MP4", "dress", "finish", "ready_video"]


def dress(**fields):
    """A wearable product with a photo (apparel is wearable for the default adapter)."""
    fields.setdefault("name", "Linen wrap dress")
    fields.setdefault("category", "apparel")
    fields.setdefault("colour", "sage")
    return make_product(**fields)
