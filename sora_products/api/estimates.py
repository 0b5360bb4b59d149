"""Cost estimates for shop tooling: which videos a set of products and presets would add, and their price."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from sora_products import budget, tryon
from sora_products.catalog import get_adapter
from sora_products.models import ProductVideo
from sora_products.specs import SpecError, TryOnProfile, build_spec, with_provider
from sora_products.storefront import product_ref


def estimate_for(
    products: Iterable[models.Model],
    presets: Iterable[str],
    *,
    try_on_common: bool = False,
    provider: str | None = None,
) -> dict[str, Any]:
    """Count new and existing videos and price the new ones; presets that don't apply are listed, not priced."""
    wanted: list[tuple[models.Model, str, TryOnProfile | None]] = []
    for product in products:
        wanted.extend((product, preset, None) for preset in presets)
        if try_on_common:
            wanted.extend((product, tryon.preset_name(), profile) for profile in tryon.common_profiles())
    new, existing, skipped = [], 0, []
    for product, preset, profile in wanted:
        try:
            spec = build_spec(product, get_adapter(product), preset, profile)
            spec = with_provider(spec, provider) if provider else spec
        except SpecError as exc:
            skipped.append({"product": product_ref(product), "preset": preset, "reason": str(exc)})
            continue
        if ProductVideo.objects.for_product(product).filter(spec_key=spec.spec_key).exists():
            existing += 1
        else:
            new.append((spec.provider, spec.model, spec.size, spec.seconds))
    estimate = budget.estimate_many(new)
    return {
        "new": estimate.count,
        "existing": existing,
        "total": str(estimate.total),
        "currency": "USD",
        "unpriced": estimate.unknown,
        "skipped": _unique(skipped),
    }


def _unique(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    seen, result = set(), []
    for row in rows:
        key = (row["product"], row["preset"])
        if key not in seen:
            seen.add(key)
            result.append(row)
    return result
