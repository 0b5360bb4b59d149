from django.urls import path

from sora_products import views

app_name = "sora_products"
urlpatterns = [
    path("webhooks/provider/", views.webhook, name="webhook"),
]
