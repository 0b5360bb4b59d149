"""Routes of the storefront API, included by sora_products.urls under "api/"."""

from django.urls import path, re_path

from sora_products.api import events, spending, staff, views
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
    path("events/", events.ExperimentEventsView.as_view(), name="events"),
    path("estimate/", spending.EstimateView.as_view(), name="estimate"),
    path("generate/", spending.GenerateView.as_view(), name="staff-generate"),
    path("spend/", spending.SpendView.as_view(), name="staff-spend"),
    path("videos/", staff.StaffVideoListView.as_view(), name="staff-videos"),
    path("videos/<int:pk>/", staff.StaffVideoDetailView.as_view(), name="staff-video"),
    path("videos/<int:pk>/approve/", staff.ApproveView.as_view(), name="staff-approve"),
    path("videos/<int:pk>/reject/", staff.RejectView.as_view(), name="staff-reject"),
    path("videos/<int:pk>/retry/", staff.RetryView.as_view(), name="staff-retry"),
    path("videos/<int:pk>/cancel/", staff.CancelView.as_view(), name="staff-cancel"),
    path("videos/<int:pk>/remix/", staff.RemixView.as_view(), name="staff-remix"),
    path("schema/", ApiSchemaView.as_view(), name="schema"),
    # Last: every other address under api/ answers a JSON 404 with a sentence.
    re_path(r"^[\s\S]*$", views.NoSuchEndpoint.as_view(), name="no-such-endpoint"),
]
