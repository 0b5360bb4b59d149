"""The staff API: list, read and act on videos with the admin's permissions, over session or token auth."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import APIException, NotFound, ParseError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from sora_products import jobs, permissions
from sora_products.api.responses import ErrorSerializer, InvalidSerializer
from sora_products.api.schema import documented
from sora_products.api.staff_serializers import RemixSerializer, StaffVideoPageSerializer, StaffVideoSerializer
from sora_products.api.views import AppSessionAuthentication, StorefrontAPIView, invalid
from sora_products.conf import app_settings
from sora_products.models import ProductVideo, ReviewState, VideoStatus
from sora_products.storefront import resolve_product_ref

AUTHENTICATION_CLASSES = {"session": AppSessionAuthentication, "token": TokenAuthentication}


class Conflict(APIException):
    """409: the video is not in a state where this makes sense; the sentence says what would."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def staff_permission(permission: str | tuple[str, ...] | None, refusal: str) -> type[BasePermission]:
    """A DRF permission: active staff with ``permission`` (or any of several; None: any right to see videos)."""
    wanted = (permission,) if isinstance(permission, str) else permission

    class StaffPermission(BasePermission):
        @property
        def message(self) -> str:
            return _(refusal)

        def has_permission(self, request: Request, view: Any) -> bool:
            user = request.user
            if wanted is None:
                return permissions.user_sees_videos(user)
            return any(permissions.user_has(user, name) for name in wanted)

    return StaffPermission


SEE = staff_permission(None, gettext_noop("You don't have permission to see videos."))
REVIEW = staff_permission(
    permissions.REVIEW, gettext_noop("You don't have permission to approve or reject videos.")
)
GENERATE = staff_permission(
    permissions.GENERATE, gettext_noop("You don't have permission to generate or cancel videos.")
)
REMIX = staff_permission(permissions.REMIX, gettext_noop("You don't have permission to remix videos."))


class VideoPages(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int | None:
        self.page_size = int(app_settings.API.get("PAGE_SIZE") or 50)
        return super().get_page_size(request)


class StaffAPIView(StorefrontAPIView):
    """JSON, the app's error shape, and the authentication the shop chose in SORA_PRODUCTS["API"]."""

    def get_authenticators(self) -> list[Any]:
        names = app_settings.API.get("AUTHENTICATION") or ("session",)
        return [AUTHENTICATION_CLASSES[name]() for name in names if name in AUTHENTICATION_CLASSES]

    def video(self, pk: int) -> ProductVideo:
        video = ProductVideo.objects.select_related("content_type").filter(pk=pk).first()
        if video is None:
            raise NotFound(_("There is no such video."), code="not_found")
        return video

    def answer(self, video: ProductVideo, request: Request, code: int = status.HTTP_200_OK) -> Response:
        video.refresh_from_db()
        show_costs = permissions.user_has(request.user, permissions.VIEW_COSTS)
        context = {"request": request, "show_costs": show_costs}
        return Response(StaffVideoSerializer(video, context=context).data, status=code)


def _choices(raw: str, allowed: list[str], sentence: str) -> list[str]:
    values = [value.strip() for value in raw.split(",") if value.strip()]
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise ParseError(sentence % {"values": ", ".join(unknown), "allowed": ", ".join(allowed)}, code="invalid")
    return values


def filtered(queryset: models.QuerySet, params: Any) -> models.QuerySet:
    """The list's filters; a filter that cannot be read is a 400 with a sentence, never an empty page."""
    if params.get("status"):
        wanted = _choices(params["status"], list(VideoStatus.values), _("Unknown status %(values)s; use %(allowed)s."))
        queryset = queryset.filter(status__in=wanted)
    if params.get("review"):
        sentence = _("Unknown review state %(values)s; use %(allowed)s.")
        wanted = _choices(params["review"], list(ReviewState.values), sentence)
        queryset = queryset.filter(review_state__in=wanted)
    for name in ("preset", "provider"):
        if params.get(name):
            queryset = queryset.filter(**{name: params[name]})
    if params.get("product"):
        product = resolve_product_ref(params["product"]) if len(params["product"]) <= 250 else None
        if product is None:
            raise ParseError(_("There is no such product; name it as app_label.model:id."), code="invalid")
        queryset = ProductVideo.objects.for_product(product).filter(pk__in=queryset.values("pk"))
    for name, lookup in (("created_after", "created_at__date__gte"), ("created_before", "created_at__date__lte")):
        if params.get(name):
            day = _date(params[name])
            queryset = queryset.filter(**{lookup: day})
    return queryset


def _date(raw: str) -> datetime.date:
    try:
        day = parse_date(raw)
    except ValueError:
        day = None
    if day is None:
        raise ParseError(_("Give dates as YYYY-MM-DD, for example 2026-12-01."), code="invalid")
    return day


LIST_FILTERS = [
    OpenApiParameter("status", str, description="Comma-separated statuses, e.g. `ready,held`."),
    OpenApiParameter("review", str, description="Comma-separated review states: `pending`, `approved`, `rejected`."),
    OpenApiParameter("preset", str),
    OpenApiParameter("provider", str),
    OpenApiParameter("product", str, description="The product as `app_label.model:id`."),
    OpenApiParameter("created_after", datetime.date),
    OpenApiParameter("created_before", datetime.date),
]
REFUSALS = {
    401: OpenApiResponse(ErrorSerializer, "Not signed in (token authentication)."),
    403: OpenApiResponse(ErrorSerializer, "Not signed in, or without the permission this needs."),
}


class StaffVideoListView(StaffAPIView):
    """GET videos, newest first, filtered and paginated (``page``, ``page_size`` up to 200)."""

    permission_classes = [SEE]

    @documented(
        operation_id="staff_videos",
        parameters=LIST_FILTERS,
        responses={200: StaffVideoPageSerializer, 400: OpenApiResponse(ErrorSerializer), **REFUSALS},
    )
    def get(self, request: Request) -> Response:
        queryset = filtered(ProductVideo.objects.select_related("content_type"), request.query_params)
        queryset = queryset.prefetch_related("remixes").order_by("-created_at", "-pk")
        pages = VideoPages()
        page = pages.paginate_queryset(queryset, request, view=self)
        show_costs = permissions.user_has(request.user, permissions.VIEW_COSTS)
        data = StaffVideoSerializer(page, many=True, context={"request": request, "show_costs": show_costs}).data
        return pages.get_paginated_response(data)


class StaffVideoDetailView(StaffAPIView):
    """GET one video: status, progress, prompt, reference, remix chain, why it failed or is held, cost."""

    permission_classes = [SEE]

    @documented(
        operation_id="staff_video",
        responses={200: StaffVideoSerializer, 404: OpenApiResponse(ErrorSerializer), **REFUSALS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return self.answer(self.video(pk), request)


ACTION_RESPONSES = {
    200: StaffVideoSerializer,
    404: OpenApiResponse(ErrorSerializer),
    409: OpenApiResponse(ErrorSerializer, "The video is not in a state for this; the sentence says why."),
    **REFUSALS,
}


class StaffActionView(StaffAPIView):
    """POST one person's action on one video; 409 with a sentence when the video is not in a state for it."""

    operation_id = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)

        def post(self: StaffActionView, request: Request, pk: int) -> Response:
            video = self.video(pk)
            self.act(video)
            return self.answer(video, request)

        post.__doc__ = cls.__doc__  # each action its own operation in the schema, described by its class
        cls.post = documented(operation_id=cls.operation_id, request=None, responses=ACTION_RESPONSES)(post)

    def act(self, video: ProductVideo) -> None:
        raise NotImplementedError


class ApproveView(StaffActionView):
    """Approve a finished video: it goes live (a video held for its colour is shown anyway)."""

    permission_classes = [REVIEW]
    operation_id = "staff_approve"

    def act(self, video: ProductVideo) -> None:
        if video.status not in (VideoStatus.READY, VideoStatus.HELD):
            raise Conflict(_("This video is not finished yet; approve it when it is ready."))
        jobs.approve(video, approved=True)


class RejectView(StaffActionView):
    """Reject a video: it is kept off the storefront."""

    permission_classes = [REVIEW]
    operation_id = "staff_reject"

    def act(self, video: ProductVideo) -> None:
        jobs.approve(video, approved=False)


class RetryView(StaffActionView):
    """Ask again for a video that failed, was canceled or needs a person (a fresh job)."""

    permission_classes = [GENERATE]
    operation_id = "staff_retry"

    def act(self, video: ProductVideo) -> None:
        if not jobs.retry(video):
            raise Conflict(str(jobs.NOT_RETRYABLE))


class CancelView(StaffActionView):
    """Stop a video being made; results that arrive later are ignored and unspent budget is released."""

    permission_classes = [GENERATE]
    operation_id = "staff_cancel"

    def act(self, video: ProductVideo) -> None:
        if not jobs.cancel(video):
            raise Conflict(str(jobs.NOT_CANCELABLE))


class RemixView(StaffAPIView):
    """POST a change in plain words: a new video remixed from this one (201; 200 when that change was asked before)."""

    permission_classes = [REMIX]

    @documented(
        operation_id="staff_remix",
        request=RemixSerializer,
        responses={
            200: OpenApiResponse(StaffVideoSerializer, "This change was asked before: its video, not a second one."),
            201: OpenApiResponse(StaffVideoSerializer, "A new remix is being made."),
            400: OpenApiResponse(InvalidSerializer, "No change was said."),
            404: OpenApiResponse(ErrorSerializer),
            409: OpenApiResponse(ErrorSerializer, "Not finished, or its provider can't remix it."),
            **REFUSALS,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        video = self.video(pk)
        serializer = RemixSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(_("Say what should change, then try again."), serializer.errors)
        try:
            new, created = jobs.remix_or_existing(video, serializer.validated_data["change"])
        except ValueError as exc:
            raise Conflict(str(exc)) from None
        return self.answer(new, request, status.HTTP_201_CREATED if created else status.HTTP_200_OK)
