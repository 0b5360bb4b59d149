from django.urls import include, path

from sora_products import views
from sora_products.storefront import views as shopper_views

app_name = "sora_products"
urlpatterns = [
    path("webhooks/provider/", views.webhook, name="webhook"),
    path("webhooks/fal/<str:alias>/", views.fal_webhook, name="fal-webhook"),
    path("try-on/", shopper_views.try_on_form, name="try-on"),
    path("api/", include("sora_products.api.urls")),
]
