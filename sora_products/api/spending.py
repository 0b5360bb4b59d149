"""The staff API's money: generate videos (an estimate first, spending only on ``confirm``) and spend per day."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Case, DecimalField, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response

from sora_products import budget, jobs, permissions
from sora_products.api.estimates import estimate_for
from sora_products.api.responses import ErrorSerializer, EstimateAnswerSerializer, InvalidSerializer
from sora_products.api.schema import documented
from sora_products.api.serializers import EstimateSerializer, ProductRefField
from sora_products.api.staff import GENERATE, REFUSALS, StaffAPIView, staff_permission
from sora_products.api.views import invalid
from sora_products.conf import app_settings
from sora_products.models import Origin, Spend, SpendKind
from sora_products.specs import SpecError, route_model
from sora_products.storefront import product_ref

VIEW_COSTS = staff_permission(permissions.VIEW_COSTS, gettext_noop("You don't have permission to see video costs."))
GENERATE_OR_VIEW_COSTS = staff_permission(
    (permissions.GENERATE, permissions.VIEW_COSTS),
    gettext_noop("You don't have permission to generate videos or to see their costs."),
)
MAX_DAYS = 366


def budget_left(today: datetime.date | None = None) -> dict[str, Any]:
    """Each cap of SORA_PRODUCTS["BUDGET"]: what is committed against it and what is left (null: no cap)."""
    today = today or timezone.localdate()
    caps = app_settings.BUDGET
    lines = {
        "daily": (budget.committed_total(today), caps.get("DAILY")),
        "monthly": (budget.committed_total(today.replace(day=1)), caps.get("MONTHLY")),
        "shopper_daily": (budget.committed_total(today, shopper_only=True), caps.get("SHOPPER_DAILY")),
    }
    cents = Decimal("0.01")

    def line(used: Decimal, cap: Any) -> dict[str, str | None]:
        used = Decimal(used).quantize(cents)
        if cap is None:
            return {"used": str(used), "cap": None, "left": None}
        cap = Decimal(str(cap)).quantize(cents)
        return {"used": str(used), "cap": str(cap), "left": str(max(cap - used, Decimal("0.00")))}

    return {name: line(used, cap) for name, (used, cap) in lines.items()}


class GenerateSerializer(serializers.Serializer):
    products = serializers.ListField(child=ProductRefField(), min_length=1, max_length=500)
    preset = serializers.CharField(max_length=50)
    provider = serializers.CharField(
        max_length=50, required=False, allow_blank=True, help_text="A provider of the preset's route to start at."
    )
    confirm = serializers.BooleanField(required=False, default=False)

    def validate_preset(self, value: str) -> str:
        if value not in app_settings.PRESETS:
            raise serializers.ValidationError(_("There is no video preset called %(names)s.") % {"names": f"“{value}”"})
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("provider"):
            try:
                route_model(attrs["preset"], attrs["provider"])
            except SpecError as exc:
                raise serializers.ValidationError({"provider": str(exc)}) from None
        return attrs


CapSerializer = inline_serializer(
    "BudgetCap",
    {"used": serializers.CharField(), "cap": serializers.CharField(allow_null=True),
     "left": serializers.CharField(allow_null=True)},
)  # fmt: skip
BudgetLeftSerializer = inline_serializer(
    "BudgetLeft", {"daily": CapSerializer, "monthly": CapSerializer, "shopper_daily": CapSerializer}
)
GenerateAnswerSerializer = inline_serializer(
    "GenerateAnswer",
    {
        "confirmed": serializers.BooleanField(),
        "estimate": EstimateAnswerSerializer(),
        "budget_left": BudgetLeftSerializer,
        "created": serializers.ListField(child=serializers.IntegerField(), required=False),
        "existing": serializers.ListField(child=serializers.IntegerField(), required=False),
    },
)


class GenerateView(StaffAPIView):
    """POST products and a preset: without ``confirm`` only the estimate and the budget left; with it, the videos."""

    permission_classes = [GENERATE]

    @documented(
        operation_id="staff_generate",
        request=GenerateSerializer,
        responses={
            200: OpenApiResponse(GenerateAnswerSerializer, "Nothing was spent: the estimate and the budget left."),
            202: OpenApiResponse(GenerateAnswerSerializer, "Asked for: `created` are new, `existing` were there."),
            400: OpenApiResponse(InvalidSerializer),
            **REFUSALS,
        },
    )
    def post(self, request: Request) -> Response:
        serializer = GenerateSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(_("Name the products and a preset, then try again."), serializer.errors)
        products, preset = serializer.validated_data["products"], serializer.validated_data["preset"]
        provider = serializer.validated_data.get("provider") or None
        estimate = estimate_for(products, [preset], provider=provider)
        if not serializer.validated_data["confirm"]:
            return Response({"confirmed": False, "estimate": estimate, "budget_left": budget_left()})
        created, existing = [], []
        with transaction.atomic():
            for product in products:
                try:
                    video, new = jobs.request_video(product, preset, origin=Origin.ADMIN, provider=provider)
                except SpecError as exc:
                    estimate["skipped"].append({"product": product_ref(product), "preset": preset, "reason": str(exc)})
                    continue
                (created if new else existing).append(video.pk)
        answer = {"confirmed": True, "estimate": estimate, "budget_left": budget_left(), "created": created}
        return Response({**answer, "existing": existing}, status=status.HTTP_202_ACCEPTED)


class EstimateView(StaffAPIView):
    """POST products and presets: how many new videos that means and what they cost; nothing is spent."""

    permission_classes = [GENERATE_OR_VIEW_COSTS]

    @documented(
        operation_id="estimate",
        request=EstimateSerializer,
        responses={
            200: OpenApiResponse(EstimateAnswerSerializer, "How many new videos that means and what they cost."),
            400: OpenApiResponse(InvalidSerializer, "The request names unknown products or presets."),
            **REFUSALS,
        },
    )
    def post(self, request: Request) -> Response:
        serializer = EstimateSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(_("The estimate request is not valid."), serializer.errors)
        data = serializer.validated_data
        return Response(estimate_for(data["products"], data["presets"], try_on_common=data["try_on_common"]))


SpendAnswerSerializer = inline_serializer(
    "SpendAnswer",
    {
        "currency": serializers.CharField(),
        "days": inline_serializer("SpendDay", {"day": serializers.DateField(), "spent": serializers.CharField()},
                                  many=True),
        "budget_left": BudgetLeftSerializer,
    },
)  # fmt: skip


class SpendView(StaffAPIView):
    """GET what was committed per day (reserved, settled and billed refusals) and what each budget has left."""

    permission_classes = [VIEW_COSTS]

    @documented(
        operation_id="staff_spend",
        parameters=[OpenApiParameter("days", int, description=f"How many days back, 1–{MAX_DAYS} (default 30).")],
        responses={200: SpendAnswerSerializer, 400: OpenApiResponse(ErrorSerializer), **REFUSALS},
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("days", "30")
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_DAYS:
            raise ParseError(_("Ask for between 1 and %(max)d days.") % {"max": MAX_DAYS}, code="invalid")
        today = timezone.localdate()
        since = today - datetime.timedelta(days=int(raw) - 1)
        money = DecimalField(max_digits=12, decimal_places=2)
        committed = Case(
            When(kind__in=[SpendKind.RESERVED, SpendKind.LOSS], then="amount"),
            When(kind=SpendKind.SETTLED, then="settled_amount"),
            default=Decimal("0"),
            output_field=money,
        )
        rows = (
            Spend.objects.filter(day__gte=since)
            .values("day")
            .annotate(spent=Coalesce(Sum(committed), Decimal("0"), output_field=money))
        )
        spent = {row["day"]: row["spent"] for row in rows}
        days = [since + datetime.timedelta(days=n) for n in range((today - since).days + 1)]
        cents = Decimal("0.01")
        per_day = [{"day": day, "spent": str(Decimal(spent.get(day, 0)).quantize(cents))} for day in days]
        return Response({"currency": "USD", "days": per_day, "budget_left": budget_left(today)})
