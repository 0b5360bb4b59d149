"""Storefront JSON endpoints: ask for a try-on, follow a video, list live videos, estimate costs.

Shopper POSTs check CSRF for anonymous visitors too (DRF's SessionAuthentication only does it
for logged-in users), are throttled per session and per network, and never answer with a
provider's error text or anything from settings. A try-on's profile is shown only to a session
that asked for it.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponsePermanentRedirect
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.authentication import CSRFCheck, SessionAuthentication
from rest_framework.exceptions import APIException, NotFound, ParseError, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from sora_products import tryon
from sora_products.api.responses import (
    ErrorSerializer,
    InvalidSerializer,
    ProductVideosSerializer,
    TryOnAnswerSerializer,
    VideoStateSerializer,
    VideoStatesSerializer,
)
from sora_products.api.schema import documented
from sora_products.api.serializers import (
    LiveVideoSerializer,
    ShopperStateSerializer,
    TryOnAskSerializer,
)
from sora_products.api.throttles import (
    StatusThrottle,
    TryOnNetworkThrottle,
    TryOnSessionThrottle,
    client_ip,
)
from sora_products.catalog import is_registered
from sora_products.conf import app_settings
from sora_products.models import ProductVideo, TryOnRequest
from sora_products.storefront.shopper_state import shopper_state, unmade_state
from sora_products.storefront.watching import mark_all_watched, mark_watched


class TryOnThrottled(APIException):
    """429 with a sentence and Retry-After (DRF's exception handler adds the header from ``wait``)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "throttled"

    def __init__(self, wait: float | None) -> None:
        self.wait = math.ceil(wait) if wait else None
        minutes = max(1, math.ceil((self.wait or 60) / 60))
        detail = ngettext(
            "You have asked for a lot of videos in a short time. Please wait about %(minutes)d minute and try again.",
            "You have asked for a lot of videos in a short time. Please wait about %(minutes)d minutes and try again.",
            minutes,
        ) % {"minutes": minutes}
        super().__init__(detail)


def shopper_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus a machine-readable ``code`` next to every ``detail`` sentence."""
    if isinstance(exc, SuspiciousOperation):  # too many fields, a body too big: Django's own HTML 400 otherwise
        exc = ParseError(unreadable_message(), code="unreadable")
    if isinstance(exc, ParseError) and exc.get_codes() == "parse_error":
        exc = ParseError(unreadable_message(), code="unreadable")  # DRF's says "JSON parse error - Expecting value…"
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        codes = exc.get_codes() if isinstance(exc, APIException) else None
        response.data["code"] = codes if isinstance(codes, str) else "error"
    return response


def csrf_failure_message() -> str:
    return _("The page's security check failed. Reload the page and try again.")


def unreadable_message() -> str:
    return _("The request could not be read. Send the choices as JSON or as a form, then try again.")


def enforce_csrf(request: Request) -> None:
    """Django's CSRF check for every unsafe request, signed in or not."""
    django_request = request._request
    check = CSRFCheck(lambda _request: None)
    check.process_request(django_request)
    try:
        rejected = check.process_view(django_request, None, (), {})
    except MultiPartParserError:  # CSRF reads the form before DRF's content negotiation could refuse it
        raise ParseError(unreadable_message(), code="unreadable") from None
    if rejected is not None:
        raise PermissionDenied(csrf_failure_message(), code="csrf_failed")


class AppSessionAuthentication(SessionAuthentication):
    """DRF's session authentication with the app's CSRF refusal: a translated sentence, code ``csrf_failed``."""

    def enforce_csrf(self, request: Request) -> None:
        enforce_csrf(request)


def invalid(detail: str, errors: Any) -> Response:
    """400 with a sentence for the person and the serializer's errors per field for the program."""
    return Response({"detail": detail, "code": "invalid", "fields": errors}, status=status.HTTP_400_BAD_REQUEST)


def ensure_session_key(request: Request) -> str:
    session = request.session
    if not session.session_key:
        session.save()
    return session.session_key


class StorefrontAPIView(APIView):
    """JSON only (no browsable API), session auth, our error shape."""

    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser, FormParser]
    authentication_classes = [AppSessionAuthentication]
    permission_classes = [AllowAny]
    schema = AutoSchema()

    def get_exception_handler(self):
        return shopper_exception_handler

    def throttled(self, request: Request, wait: float | None) -> None:
        raise TryOnThrottled(wait)


def refusal(exc: tryon.TryOnRefused) -> Response:
    response = Response({"detail": str(exc), "code": exc.code}, status=exc.status_code)
    if getattr(exc, "retry_after", None):
        response["Retry-After"] = str(exc.retry_after)
    return response


def with_slash(path_info: str) -> str | None:
    """The address with a slash added, when that is a real endpoint (the catch-all hides Django's APPEND_SLASH)."""
    if path_info.endswith("/"):
        return None
    try:
        match = resolve(path_info + "/")
    except Resolver404:
        return None
    return path_info + "/" if match.url_name != "no-such-endpoint" else None


class NoSuchEndpoint(StorefrontAPIView):
    """Any other address under api/: a JSON 404 with a sentence, as a headless client expects, not an HTML page."""

    schema = None

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if request.method in ("GET", "HEAD") and with_slash(request.path_info):
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if with_slash(request.path_info):
            detail = _("This address ends with a slash: %(path)s") % {"path": request.path + "/"}
            raise NotFound(detail, code="not_found")
        raise NotFound(_("There is no such API address; see the schema at api/schema/."), code="not_found")


def state_payload(
    video: ProductVideo, request: Request, *, live: bool | None = None, asked: bool = True
) -> dict[str, Any]:
    """The shopper's view of a video; its try-on profile only for a session that asked (``asked``)."""
    data = absolute_urls(ShopperStateSerializer(shopper_state(video, live=live).as_dict()).data, request)
    data["status_url"] = reverse("sora_products:api:video-status", kwargs={"pk": video.pk})
    data["profile"] = video.profile if asked else {}
    return data


def asked_by(request: Request, ids: list[int]) -> set[int]:
    """Which of these videos this session asked for (one query; none without a session)."""
    session_key = request.session.session_key
    if not session_key:
        return set()
    asks = TryOnRequest.objects.filter(session_key=session_key, video_id__in=ids)
    return set(asks.values_list("video_id", flat=True))


def unmade_payload(ask: tryon.Ask, request: Request) -> dict[str, Any]:
    """An ask the generation policy did not make (yet): nothing to poll, a stand-in or the showcase to play."""
    profile = ask.profile.as_dict()
    data = absolute_urls(ShopperStateSerializer(unmade_state(ask.product, profile).as_dict()).data, request)
    data["status_url"] = None
    data["profile"] = profile
    return data


def absolute_urls(data: dict[str, Any], request: Request) -> dict[str, Any]:
    """The serializer's media paths as absolute URLs, as a headless client or another origin needs them."""
    for key in ("video_url", "poster_url"):
        if data[key]:
            data[key] = request.build_absolute_uri(data[key])
    if data["stand_in"]:
        for key in ("src", "poster"):
            if data["stand_in"][key]:
                data["stand_in"][key] = request.build_absolute_uri(data["stand_in"][key])
    return data


class TryOnView(StorefrontAPIView):
    """POST a product and choices: 200 with the video when its bucket is live, else 202 and a status URL."""

    throttle_classes = [TryOnNetworkThrottle, TryOnSessionThrottle]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # CSRF and "is it on" come before throttling, so neither a forged nor a useless ask counts.
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            enforce_csrf(request)
        if not tryon.is_enabled():
            raise NotFound(tryon.disabled_message(), code="try_on_disabled")
        super().initial(request, *args, **kwargs)

    def check_throttles(self, request: Request) -> None:
        """The network limit first; only then a session is started, so floods can't fill the session table."""
        for throttle in self.get_throttles():
            if isinstance(throttle, TryOnSessionThrottle):
                ensure_session_key(request)
            if not throttle.allow_request(request, self):
                self.throttled(request, throttle.wait())

    @documented(
        operation_id="try_on_ask",
        request=TryOnAskSerializer,
        responses={
            200: OpenApiResponse(TryOnAnswerSerializer, "The bucket's video is live (or a stand-in plays): watch it."),
            202: OpenApiResponse(TryOnAnswerSerializer, "The video is being made: poll `status_url`."),
            400: OpenApiResponse(InvalidSerializer, "A choice is missing or not offered, or the item can't be worn."),
            403: OpenApiResponse(ErrorSerializer, "The page's CSRF check failed."),
            404: OpenApiResponse(ErrorSerializer, "Try-on is off in this shop."),
            429: OpenApiResponse(ErrorSerializer, "Too many asks, too many pending videos, or the budget is spent."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = TryOnAskSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid(_("Some choices are missing or not offered; check them and try again."), serializer.errors)
        data = serializer.validated_data
        try:
            ask = tryon.request_try_on(
                data["product"],
                data["profile"],
                session_key=ensure_session_key(request),
                ip_hash=tryon.hash_ip(client_ip(request)),
            )
        except tryon.TryOnRefused as exc:
            return refusal(exc)
        payload = state_payload(ask.video, request) if ask.video is not None else unmade_payload(ask, request)
        payload["new_generation"] = ask.created
        if ask.video is not None and not payload["done"]:
            mark_watched(ask.video)  # the page that asked follows it from now on
        if payload["ready"] or ask.video is None:
            return Response(payload, status=status.HTTP_200_OK)
        headers = {"Location": payload["status_url"]} if not payload["done"] else {}
        return Response(payload, status=status.HTTP_202_ACCEPTED, headers=headers)


MAX_BATCH_IDS = 200


def shopper_visible(video: ProductVideo | None, *, live: bool | None = None) -> bool:
    """The storefront follows try-on videos and live ones; other videos are not its business."""
    if video is None:
        return False
    return video.preset == tryon.preset_name() or (live if live is not None else video.is_live)


def conditional(request: Request, payload: Any) -> Any:
    """200 with an ETag of the answer, or 304 when the poller already holds it (Django's If-None-Match rules)."""
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:32]
    etag = f'"{digest}"'
    response = Response(payload)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return get_conditional_response(request._request, etag=etag, response=response)


class VideoStatusView(StorefrontAPIView):
    """GET a try-on (or live) video's state, with an ETag: an unchanged state answers 304 to If-None-Match."""

    throttle_classes = [StatusThrottle]

    @documented(
        operation_id="video_status",
        responses={
            200: OpenApiResponse(VideoStateSerializer, "The video's state; poll again after `poll_after` seconds."),
            304: OpenApiResponse(description="The state is the one the If-None-Match ETag names."),
            404: OpenApiResponse(ErrorSerializer, "No such try-on or live video."),
            429: OpenApiResponse(ErrorSerializer, "Too many polls from this session."),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        video = ProductVideo.objects.filter(pk=pk).first()
        if not shopper_visible(video):
            raise NotFound(_("There is no such video."), code="not_found")
        asked = pk in asked_by(request, [pk])
        payload = state_payload(video, request, asked=asked)
        if not payload["done"] and asked:
            mark_watched(video)
        return conditional(request, payload)


class VideoStatusBatchView(StorefrontAPIView):
    """GET the states of up to 200 videos in one poll (``?ids=1,2,3``), with an ETag over all of them."""

    throttle_classes = [StatusThrottle]

    @documented(
        operation_id="video_status_batch",
        parameters=[
            OpenApiParameter(
                "ids", str, required=True, description=f"Comma-separated video ids, at most {MAX_BATCH_IDS}."
            )
        ],
        responses={
            200: OpenApiResponse(VideoStatesSerializer, "The states, in the order asked; unknown ids in `missing`."),
            304: OpenApiResponse(description="Every state is the one the If-None-Match ETag names."),
            400: OpenApiResponse(ErrorSerializer, "No ids, ids that are not numbers, or too many."),
            429: OpenApiResponse(ErrorSerializer, "Too many polls from this session."),
        },
    )
    def get(self, request: Request) -> Response:
        ids = self.requested_ids(request.query_params.get("ids", ""))
        found = {video.pk: video for video in ProductVideo.objects.filter(pk__in=ids)}
        live = set(ProductVideo.objects.live().filter(pk__in=ids).values_list("pk", flat=True))  # one query, not 200
        videos, missing, waiting = [], [], []
        asked = asked_by(request, list(found))
        for pk in ids:
            video = found.get(pk)
            if not shopper_visible(video, live=pk in live):
                missing.append(pk)
                continue
            payload = state_payload(video, request, live=pk in live, asked=pk in asked)
            if not payload["done"] and pk in asked:
                waiting.append(video)
            videos.append(payload)
        mark_all_watched(waiting)
        return conditional(request, {"videos": videos, "missing": missing})

    def requested_ids(self, raw: str) -> list[int]:
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        if not parts or not all(part.isascii() and part.isdigit() and len(part) <= 18 for part in parts):
            raise ParseError(_("Say which videos: ids=1,2,3 (numbers, separated by commas)."), code="invalid")
        if len(parts) > MAX_BATCH_IDS:
            raise ParseError(
                _("Ask for at most %(limit)d videos at a time.") % {"limit": MAX_BATCH_IDS}, code="too_many"
            )
        return list(dict.fromkeys(int(part) for part in parts))


class ProductVideosView(StorefrontAPIView):
    """GET the live videos of one product (content type "app_label.model" and product id)."""

    @documented(
        operation_id="product_videos",
        responses={
            200: OpenApiResponse(ProductVideosSerializer, "The product's live videos."),
            404: OpenApiResponse(ErrorSerializer, "No such registered product model."),
        },
    )
    def get(self, request: Request, content_type: str, object_id: str) -> Response:
        app_label, _dot, model_name = content_type.partition(".")
        try:
            ct = ContentType.objects.get_by_natural_key(app_label, model_name)
        except ContentType.DoesNotExist:
            ct = None
        model = ct.model_class() if ct else None
        if model is None or not is_registered(model):
            raise NotFound(_("There is no such product."), code="not_found")
        videos = ProductVideo.objects.live().filter(content_type=ct, object_id=object_id).order_by("preset", "-pk")
        serializer = LiveVideoSerializer(videos, many=True, context={"request": request})
        get_token(request._request)  # a headless storefront gets the CSRF cookie its try-on asks will need
        return Response({"videos": serializer.data, "ai_label": bool(app_settings.AI_LABEL)})
