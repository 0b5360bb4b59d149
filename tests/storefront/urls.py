"""The demo's URLs plus local media through serve_media (HTTP Range), as DEBUG would wire them.

The live server's own media handler answers only under MEDIA_URL="/media/" and knows no Range,
so tests that want serve_media set MEDIA_URL to "/shop-media/" and ROOT_URLCONF to this module.
"""

from django.urls import path

from demo_shop.urls import urlpatterns as demo_urlpatterns
from sora_products.storefront.media import serve_media

MEDIA_URL = "/shop-media/"

urlpatterns = [path("shop-media/<path:path>", serve_media, name="media"), *demo_urlpatterns]
