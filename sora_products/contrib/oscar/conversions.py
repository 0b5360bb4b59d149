"""Oscar's basket and checkout signals count as experiment conversions: no change to the shop's views."""

from __future__ import annotations

from typing import Any

from sora_products.experiments.events import record_conversion


def basket_added(sender: Any, product: Any = None, request: Any = None, **kwargs: Any) -> None:
    if request is not None and product is not None:
        record_conversion(request, "add_to_basket", product)


def order_placed(sender: Any, order: Any = None, request: Any = None, **kwargs: Any) -> None:
    if request is None or order is None:
        return
    for line in order.lines.select_related("product"):
        if line.product is not None:
            record_conversion(request, "order", line.product)


def connect() -> None:
    from oscar.apps.basket.signals import basket_addition
    from oscar.apps.checkout.signals import post_checkout

    basket_addition.connect(basket_added, dispatch_uid="sora_products_basket_added")
    post_checkout.connect(order_placed, dispatch_uid="sora_products_order_placed")
