"""Product save cost with auto-generation on vs the same model unregistered, 500 saves on SQLite.

Target: the median save with the app registered is at most 1.5x the unregistered one. Saves that
change a prompt input (a new description: a new video row and a queued task) are printed beside.
"""

from __future__ import annotations

import statistics
import time
from decimal import Decimal

from _django import setup, verdict

SAVES = 500


def main() -> None:
    setup("save")
    from django.conf import settings
    from django.core.files.base import ContentFile

    import sora_products
    from demo_shop.catalog.models import Product
    from sora_products.catalog import unregister
    from sora_products.conf import app_settings
    from tests.factories import photo_bytes

    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "QUEUE": "sora_products.queues.DjangoQ2Queue"}
    app_settings.reload()
    product = Product(name="Bench shirt", slug="bench", price=Decimal("10"), category="apparel", colour="navy")
    product.image.save("bench.jpg", ContentFile(photo_bytes()), save=False)
    product.save()

    def timed_save(change) -> float:
        change()
        start = time.perf_counter()
        product.save()
        return time.perf_counter() - start

    def new_price() -> None:
        product.price += Decimal("0.01")

    counter = iter(range(10**9))

    def new_description() -> None:
        product.description = f"Edition {next(counter)}"

    unregistered, registered, changed = [], [], []
    for _ in range(SAVES):
        # Interleaved, so the machine's state affects both sides alike.
        unregister(Product)
        unregistered.append(timed_save(new_price))
        sora_products.register(Product, image_field="image", title_field="name", colour_field="colour")
        registered.append(timed_save(new_price))
        changed.append(timed_save(new_description))

    base = statistics.median(unregistered)
    ratio = statistics.median(registered) / base
    ratio_changed = statistics.median(changed) / base
    print(f"product save, unregistered:                  median {base * 1e3:.3f} ms over {SAVES} saves")
    print(f"product save, registered, inputs unchanged:  median {statistics.median(registered) * 1e3:.3f} ms")
    print(f"product save, registered, new description:   median {statistics.median(changed) * 1e3:.3f} ms")
    print(f"ratio registered/unregistered (price edit):  {ratio:.2f}x  target <= 1.5x  {verdict(ratio <= 1.5)}")
    print(f"ratio with a new video row + queued task:    {ratio_changed:.2f}x  (for information)")


if __name__ == "__main__":
    main()
