"""A/B experiments on the storefront: does a video sell? ``stats`` is the always-valid arithmetic (no Django).

A shop's basket view calls ``record_conversion(request, "add_to_basket", product)`` (and ``"order"`` after
checkout); ``contrib.oscar`` does it from Oscar's signals. In the browser: ``SoraExperiments.convert(...)``.
"""

from __future__ import annotations

from typing import Any


def record_conversion(request: Any, kind: str, product: Any = None) -> int:
    """This visitor converted: counts for the running experiments over ``product`` it was shown (see events)."""
    from sora_products.experiments.events import record_conversion as record

    return record(request, kind, product)
