"""Oscar's URLs as its docs show them, plus ours."""

from django.apps import apps
from django.contrib import admin
from django.urls import include, path

from sora_products.views import serve_media

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("videos/", include("sora_products.urls")),
    # Media served by Django with Range support, as our README says for a shop without a CDN (tests, browser).
    path("media/<path:path>", serve_media, name="media"),
    path("", include(apps.get_app_config("oscar").urls[0])),
]
