from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("videos/", include("sora_products.urls")),
    path("", include("demo_shop.catalog.urls")),
]

if settings.DEBUG:
    from sora_products.views import serve_media

    urlpatterns = [path("media/<path:path>", serve_media, name="media"), *urlpatterns]
