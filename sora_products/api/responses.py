"""What the API answers, described for its OpenAPI schema; the views build these payloads as plain dicts."""

from __future__ import annotations

from rest_framework import serializers

from sora_products.api.serializers import LiveVideoSerializer, ShopperStateSerializer


class VideoStateSerializer(ShopperStateSerializer):
    """A video's state for the shopper, with where to poll it (null when there is nothing to poll)."""

    status_url = serializers.CharField(allow_null=True)
    profile = serializers.DictField(help_text="The try-on choices (height_cm, size, scene); empty for other videos.")


class VideoStatesSerializer(serializers.Serializer):
    videos = VideoStateSerializer(many=True)
    missing = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids asked for that are no try-on or live video."
    )


class TryOnAnswerSerializer(VideoStateSerializer):
    """The answer to an ask: the video's state and whether this ask started a new video."""

    new_generation = serializers.BooleanField()


class ProductVideosSerializer(serializers.Serializer):
    videos = LiveVideoSerializer(many=True)
    ai_label = serializers.BooleanField(help_text="Whether the shop labels its videos as AI-generated.")


class SkippedSerializer(serializers.Serializer):
    product = serializers.CharField()
    preset = serializers.CharField()
    reason = serializers.CharField()


class EstimateAnswerSerializer(serializers.Serializer):
    new = serializers.IntegerField(help_text="Videos that would be made.")
    existing = serializers.IntegerField(help_text="Videos that exist already and would not be paid again.")
    total = serializers.CharField(help_text="What the new videos cost, as a decimal string.")
    currency = serializers.CharField()
    unpriced = serializers.IntegerField(help_text="New videos whose provider and model have no known price.")
    skipped = SkippedSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    """Every refusal: a sentence for a person and a stable code for a program."""

    detail = serializers.CharField()
    code = serializers.CharField()


class InvalidSerializer(ErrorSerializer):
    fields = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="Per refused field, its sentences (a list, or an object by item for a list field).",
    )
