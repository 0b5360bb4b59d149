"""Routes of the storefront API, included by sora_products.urls under "api/"."""

from django.urls import path

from sora_products.api import views
from sora_products.api.schema import ApiSchemaView

app_name = "api"
urlpatterns = [
    path("try-on/", views.TryOnView.as_view(), name="try-on"),
    path("videos/status/", views.VideoStatusBatchView.as_view(), name="video-status-batch"),
    path("videos/<int:pk>/status/", views.VideoStatusView.as_view(), name="video-status"),
    path(
        "products/<str:content_type>/<str:object_id>/videos/",
        views.ProductVideosView.as_view(),
        name="product-videos",
    ),
    path("estimate/", views.EstimateView.as_view(), name="estimate"),
    path("schema/", ApiSchemaView.as_view(), name="schema"),
]
