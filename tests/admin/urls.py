"""The demo's URLs plus local media, so a browser test's live server can play stored videos."""

from django.urls import path

from demo_shop.urls import urlpatterns as demo_urlpatterns
from sora_products.views import serve_media

urlpatterns = [path("media/<path:path>", serve_media, name="media"), *demo_urlpatterns]
