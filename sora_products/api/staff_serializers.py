"""The staff API's view of a video: everything the admin's video page shows, costs only to those who may see them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from sora_products.models import ProductVideo
from sora_products.storefront.shopper_state import file_url


class StaffVideoSerializer(serializers.ModelSerializer):
    """One video for a back-office tool; ``cost`` is null without the view_costs permission."""

    product = serializers.SerializerMethodField()
    # Declared, not inferred: the model's small integer fields get a range from the database backend, and the
    # schema must be the same on SQLite and PostgreSQL.
    progress = serializers.IntegerField(min_value=0, max_value=100)
    seconds = serializers.IntegerField(min_value=1)
    status_label = serializers.CharField(source="get_status_display")
    reference_url = serializers.SerializerMethodField()
    video_url = serializers.SerializerMethodField()
    poster_url = serializers.SerializerMethodField()
    remixes = serializers.SerializerMethodField()
    cost = serializers.SerializerMethodField()

    class Meta:
        model = ProductVideo
        fields = [
            "id", "product", "preset", "status", "status_label", "progress", "review_state", "outdated",
            "provider", "model", "size", "seconds", "profile", "prompt", "remix_prompt", "remixed_from", "remixes",
            "reference_url", "video_url", "poster_url", "error_code", "error_message", "hold_reason", "fix_prompt",
            "fidelity", "cost", "created_at", "completed_at", "reviewed_at",
        ]  # fmt: skip

    def get_product(self, video: ProductVideo) -> str:
        """The product as "app_label.model:pk", as the storefront API names it."""
        return f"{video.content_type.app_label}.{video.content_type.model}:{video.object_id}"

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request and url else url

    def get_reference_url(self, video: ProductVideo) -> str:
        return self._absolute(file_url(video.reference_image))

    def get_video_url(self, video: ProductVideo) -> str:
        return self._absolute(file_url(video.video_file))

    def get_poster_url(self, video: ProductVideo) -> str:
        return self._absolute(file_url(video.poster))

    def get_remixes(self, video: ProductVideo) -> list[int]:
        """Ids of the videos remixed from this one."""
        return sorted(remix.pk for remix in video.remixes.all())

    def get_cost(self, video: ProductVideo) -> dict[str, Any] | None:
        """Estimated and actual USD, for people with view_costs only."""
        if not self.context.get("show_costs"):
            return None
        actual = video.actual_cost
        return {"estimated": str(video.estimated_cost), "actual": None if actual is None else str(actual)}


class RemixSerializer(serializers.Serializer):
    change = serializers.CharField(
        max_length=1000,
        error_messages={
            "required": gettext_lazy("Say what should change, for example “make the jacket navy blue”."),
            "blank": gettext_lazy("Say what should change, for example “make the jacket navy blue”."),
        },
    )


class StaffVideoPageSerializer(serializers.Serializer):
    """One page of the video list."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = StaffVideoSerializer(many=True)
