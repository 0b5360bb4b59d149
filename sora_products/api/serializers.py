"""Shapes of the storefront API: a try-on ask in, a shopper's view of a video out.

Choices (sizes, scenes, height range) are read from settings at validation time, and every
error is a sentence a shopper can act on.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sora_products.conf import app_settings
from sora_products.specs import SpecError, TryOnProfile
from sora_products.storefront import product_ref, resolve_product_ref
from sora_products.storefront.shopper_state import file_url


@extend_schema_field({"type": "string", "example": "catalog.product:42"})
class ProductRefField(serializers.Field):
    """A "app_label.model:pk" reference to a registered product, turned into the product."""

    default_error_messages = {
        "not_found": gettext_lazy("This product was not found. Reload the page and try again."),
        "required": gettext_lazy("Say which product this is about."),
    }

    def to_internal_value(self, data: Any) -> Any:
        product = resolve_product_ref(data) if isinstance(data, str) and len(data) <= 250 else None
        if product is None:
            self.fail("not_found")
        return product

    def to_representation(self, value: Any) -> str:
        return product_ref(value)


class TryOnAskSerializer(serializers.Serializer):
    """A shopper's choices: no free text and no upload, only values the shop offers."""

    product = ProductRefField()
    height_cm = serializers.IntegerField(
        error_messages={
            "invalid": gettext_lazy("Choose a height in centimetres, as a whole number."),
            "required": gettext_lazy("Choose a height."),
            "null": gettext_lazy("Choose a height."),
            "max_string_length": gettext_lazy("Choose a height in centimetres, as a whole number."),
        }
    )
    size = serializers.CharField(
        max_length=20,
        error_messages={"required": gettext_lazy("Choose a size."), "blank": gettext_lazy("Choose a size.")},
    )
    scene = serializers.CharField(
        max_length=40,
        error_messages={"required": gettext_lazy("Choose a setting."), "blank": gettext_lazy("Choose a setting.")},
    )

    def validate_height_cm(self, value: int) -> int:
        options = app_settings.TRY_ON
        low, high = int(options["HEIGHT_MIN_CM"]), int(options["HEIGHT_MAX_CM"])
        if not low <= value <= high:
            raise serializers.ValidationError(
                _("Choose a height between %(low)d and %(high)d cm.") % {"low": low, "high": high}
            )
        return value

    def validate_size(self, value: str) -> str:
        sizes = list(app_settings.TRY_ON["SIZES"])
        if value not in sizes:
            raise serializers.ValidationError(
                _("Choose one of the sizes offered: %(sizes)s.") % {"sizes": ", ".join(sizes)}
            )
        return value

    def validate_scene(self, value: str) -> str:
        if value not in app_settings.TRY_ON["SCENES"]:
            raise serializers.ValidationError(_("Choose one of the settings offered."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["profile"] = TryOnProfile.from_choices(attrs["height_cm"], attrs["size"], attrs["scene"])
        except SpecError as exc:
            raise serializers.ValidationError(str(exc)) from None
        return attrs


class StandInSerializer(serializers.Serializer):
    """The nearest live video of the same size and scene that plays while the shopper's own one is not live."""

    video_id = serializers.IntegerField()
    # None when the stand-in is the product's showcase video (no try-on video is near enough).
    height_cm = serializers.IntegerField(allow_null=True)
    size = serializers.CharField(allow_null=True)
    scene = serializers.CharField(allow_null=True)
    src = serializers.CharField()
    poster = serializers.CharField(allow_blank=True)


class ShopperStateSerializer(serializers.Serializer):
    """The shopper's view of one video (sora_products.storefront.shopper_state.ShopperState) plus where to poll."""

    id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    state = serializers.CharField()
    done = serializers.BooleanField()
    ready = serializers.BooleanField()
    progress = serializers.IntegerField()
    message = serializers.CharField()
    video_url = serializers.CharField(allow_blank=True)
    poster_url = serializers.CharField(allow_blank=True)
    poll_after = serializers.FloatField()
    stand_in = StandInSerializer(allow_null=True)


class LiveVideoSerializer(serializers.Serializer):
    """A live video for shop tooling and headless storefronts: files, size, length, try-on profile."""

    id = serializers.IntegerField()
    preset = serializers.CharField()
    profile = serializers.DictField()
    size = serializers.CharField()
    seconds = serializers.IntegerField()
    completed_at = serializers.DateTimeField()
    video_url = serializers.SerializerMethodField()
    poster_url = serializers.SerializerMethodField()
    ai_generated = serializers.SerializerMethodField()

    def get_video_url(self, video: Any) -> str:
        return self._absolute(file_url(video.video_file))

    def get_poster_url(self, video: Any) -> str:
        return self._absolute(file_url(video.poster))

    def get_ai_generated(self, video: Any) -> bool:
        return True

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request and url else url


class EstimateSerializer(serializers.Serializer):
    """Staff tooling: what generating presets (and the common try-on buckets) for products would cost."""

    products = serializers.ListField(child=ProductRefField(), min_length=1, max_length=500)
    presets = serializers.ListField(child=serializers.CharField(max_length=50), required=False, default=list)
    try_on_common = serializers.BooleanField(required=False, default=False)

    def validate_presets(self, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in app_settings.PRESETS]
        if unknown:
            raise serializers.ValidationError(
                _("There is no video preset called %(names)s.") % {"names": ", ".join(f"“{n}”" for n in unknown)}
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("presets") and not attrs.get("try_on_common"):
            raise serializers.ValidationError(_("Name at least one preset, or ask for the common try-on videos."))
        return attrs
