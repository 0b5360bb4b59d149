"""The storefront's experiment reports: POST the events a page gathered (and conversions), 202 with counts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from sora_products.api.responses import ErrorSerializer, InvalidSerializer
from sora_products.api.schema import documented
from sora_products.api.throttles import client_network
from sora_products.api.views import StorefrontAPIView, invalid
from sora_products.experiments.events import CONVERSIONS, EVENTS, record_conversion, record_report
from sora_products.storefront import resolve_product_ref

MAX_ITEMS = 200


class ReportItemSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=300)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENTS), min_length=1, max_length=len(EVENTS))


class ConversionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(CONVERSIONS))
    product = serializers.CharField(max_length=250, required=False, help_text="The product, as `app_label.model:id`.")


class ReportSerializer(serializers.Serializer):
    items = serializers.ListField(child=ReportItemSerializer(), required=False, max_length=MAX_ITEMS, default=list)
    conversions = serializers.ListField(child=ConversionSerializer(), required=False, max_length=10, default=list)


ReportAnswerSerializer = inline_serializer(
    "ExperimentReportAnswer", {"recorded": serializers.IntegerField(), "dropped": serializers.IntegerField()}
)


class ExperimentEventsView(StorefrontAPIView):
    """A page's experiment events. No CSRF check: every mark is signed for its visitor, and a conversion
    counts only for the visitor cookie a cross-site POST does not carry (SameSite=Lax)."""

    authentication_classes: list[Any] = []

    @documented(
        operation_id="experiment_events",
        request=ReportSerializer,
        responses={
            202: OpenApiResponse(ReportAnswerSerializer, "Taken; `dropped` counts events left out (bots, rates)."),
            400: OpenApiResponse(InvalidSerializer, "The report is not one experiments.js sends."),
            429: OpenApiResponse(ErrorSerializer),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = ReportSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(_("The experiment report could not be read."), serializer.errors)
        data = serializer.validated_data
        tally = record_report(request._request, data["items"], client_network(request))
        converted = sum(self.convert(request, item) for item in data["conversions"])
        body = {"recorded": tally.recorded + converted, "dropped": tally.dropped + len(data["conversions"]) - converted}
        return Response(body, status=status.HTTP_202_ACCEPTED)

    def convert(self, request: Request, item: dict[str, Any]) -> bool:
        """One conversion; a product that is gone is dropped, not a reason to lose the rest of the report."""
        product = None
        if item.get("product"):
            product = resolve_product_ref(item["product"])
            if product is None:
                return False
        return bool(record_conversion(request._request, item["kind"], product))
