"""django-oscar out of the box: add ``sora_products.contrib.oscar`` after Oscar's apps.

It registers Oscar's (possibly forked) catalogue Product with ``OscarProductAdapter``, adds the
video pages to Oscar's dashboard navigation and the video actions to Oscar's Product admin, and
ships templates for Oscar's product page and product cards (``sora_products/oscar/``).
"""
