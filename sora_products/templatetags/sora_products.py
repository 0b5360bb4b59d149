"""Storefront tags: ``{% product_video %}``, ``{% try_on %}`` and one-query prefetch for listings.

    {% load sora_products %}
    {% prefetch_product_videos products %}          {# once, before the loop: one query; prints nothing #}
    {% product_video product %}                     {# the live "showcase" video, or nothing #}
    {% product_video product preset="showcase_wide" compact=True schema=False %}
    {% product_video product compact=True prefetched_only=True %}  {# only on pages that prefetched #}
    {% try_on product %}                            {# the "see it worn" widget, when offered #}
"""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sora_products import tryon
from sora_products.catalog import get_adapter
from sora_products.conf import app_settings
from sora_products.experiments.assignment import Assignment, assignment_for, visitor_id
from sora_products.experiments.models import VIDEO_ARM
from sora_products.models import ProductVideo
from sora_products.specs import SpecError, TryOnProfile, bucket_height
from sora_products.storefront import DEFAULT_PRESET, LiveVideo, attach_videos, live_video, looked_up, product_ref
from sora_products.storefront.cards import CardSettings, aria_pattern, card_player
from sora_products.storefront.lookup import COLUMNS
from sora_products.storefront.schema_org import ld_json_script, video_object
from sora_products.storefront.shopper_state import shopper_state, unmade_state

register = template.Library()

ASSETS_FLAG = "_sora_products_assets"
CARD_SETTINGS = "sora_products.card_settings"
DEFAULT_HEIGHT_CM = 165


def _request(context: template.Context) -> HttpRequest | None:
    # A RequestContext carries it as an attribute: no walk through the context's dicts.
    request = getattr(context, "request", None)
    return request if request is not None else context.get("request")


@register.simple_tag(takes_context=True)
def sora_products_assets(context: template.Context) -> SafeString:
    """The app's CSS and JS, once per page; the other tags call this themselves when it wasn't used."""
    request = _request(context)
    if request is not None:
        if getattr(request, ASSETS_FLAG, False):
            return SafeString("")
        setattr(request, ASSETS_FLAG, True)
    return format_html(
        '<link rel="stylesheet" href="{}">\n<script src="{}" defer></script>\n<script src="{}" defer></script>\n'
        '<script src="{}" defer data-events-url="{}" data-flush-seconds="{}"></script>',
        static("sora_products/storefront.css"),
        static("sora_products/player.js"),
        static("sora_products/try_on.js"),
        static("sora_products/experiments.js"),
        reverse("sora_products:api:events"),
        app_settings.EXPERIMENTS.get("FLUSH_SECONDS") or 5,
    )


class PrefetchedVideos(dict):
    """{product pk: live video or None}; prints as nothing, so the tag works with and without ``as``."""

    def __str__(self) -> str:
        return ""

    def __html__(self) -> str:
        return ""


@register.simple_tag
def prefetch_product_videos(products: Any, preset: str = DEFAULT_PRESET) -> PrefetchedVideos:
    """Look up the live videos of every product in one query; ``as videos`` keeps {product pk: video or None}.

    Pass what the page loops over: a queryset, a list, a page, or search results (Oscar's listings hold
    haystack results whose ``.object`` is the product); ``{% product_video %}`` then finds the attached
    videos without another query.
    """
    return PrefetchedVideos(
        (str(product.pk), live_video(product, preset)) for product in attach_videos(products, preset)
    )


@register.simple_tag
def get_product_video(product: Any, preset: str = DEFAULT_PRESET) -> LiveVideo | None:
    """``{% get_product_video product as video %}``: the live video or None (prefetched when available).

    A LiveVideo: ``video.video_url``, ``video.poster_url``, ``video.width_height``, ``video.seconds``.
    """
    return live_video(product, preset)


def aria_label(title: str) -> str:
    return aria_pattern(bool(app_settings.AI_LABEL)) % {"title": title}


@register.simple_tag(takes_context=True)
def product_video(
    context: template.Context,
    product: Any,
    preset: str = DEFAULT_PRESET,
    compact: bool = False,
    schema: bool | None = None,
    lazy: bool = True,
    prefetched_only: bool = False,
) -> SafeString:
    """The live video of ``preset`` as a player with the AI label and VideoObject JSON-LD; nothing if none.

    ``compact=True`` is the card variant for listings (no buttons, no JSON-LD); it is built in Python,
    not from a template, because a listing renders it for every product. ``prefetched_only=True`` shows it
    only where the page looked its products up first (``prefetch_product_videos``), never at a query a
    card. For other card markup use ``{% get_product_video product as video %}`` and write your own.
    """
    if prefetched_only and not looked_up(product, preset):
        return SafeString("")
    request = _request(context)
    assignment = assignment_for(request, product)
    video = None
    if assignment is not None:
        shown = arm_video(request, product, assignment.shows, preset, compact=compact)
        # Counted only where both arms could be shown, so neither arm enrols visitors the other could not.
        other = arm_video(request, product, assignment.other, preset, compact=compact) if assignment.token else True
        if shown is None or other is None:  # here an arm has no video, or would cost a query: the normal page
            assignment = None
        elif shown == PHOTO_ONLY:
            return arm_marker(context, assignment)
        else:
            video = shown
    video = video or live_video(product, preset)
    if video is None or not video.video_name:
        return SafeString("")
    title = get_adapter(product).get_title(product)
    marker = arm_marker(context, assignment) if assignment is not None else SafeString("")
    if compact:
        return compact_card(context, video, title) + marker
    return render_player(context, product, video, title, lazy=lazy, schema=True if schema is None else schema) + marker


PHOTO_ONLY = "photo"


def arm_video(
    request: HttpRequest | None, product: Any, shows: str, own: str, *, compact: bool
) -> LiveVideo | str | None:
    """PHOTO_ONLY for the photo-only arm, the arm's live video when it can be shown, None when it cannot.

    A card shows another preset only when the listing looked it up, so an experiment adds no query per card;
    a particular video (a remix) is one query per page at most, and only one product's experiment names one.
    """
    if not shows:
        return PHOTO_ONLY
    if shows.startswith(VIDEO_ARM):
        video = particular_video(request, int(shows.removeprefix(VIDEO_ARM)))
    elif compact and shows != own and not looked_up(product, shows):
        return None
    else:
        video = live_video(product, shows)
    return video if video is not None and video.video_name else None


def particular_video(request: HttpRequest | None, pk: int) -> LiveVideo | None:
    """One live video by id as the tags use it, remembered for the rest of the request."""
    remembered = getattr(request, "_sora_arm_videos", None)
    if remembered is None:
        remembered = {}
        if request is not None:
            request._sora_arm_videos = remembered
    if pk not in remembered:
        row = ProductVideo.objects.live().filter(pk=pk).values_list(*COLUMNS[2:]).first()
        remembered[pk] = LiveVideo._make(row) if row else None
    return remembered[pk]


def arm_marker(context: template.Context, assignment: Assignment) -> SafeString:
    """An invisible mark beside what the arm shows; experiments.js reports it once its box is on screen."""
    if not assignment.token:
        return SafeString("")
    request = _request(context)
    return sora_products_assets(context) + format_html(
        '<span class="sora-experiment" hidden data-sora-experiment="{}" data-sora-arm="{}" data-sora-token="{}"'
        ' data-sora-visitor="{}"></span>',
        assignment.experiment_id,
        assignment.arm,
        assignment.token,
        visitor_id(request) if request is not None else "",
    )


def compact_card(context: template.Context, video: LiveVideo, title: str) -> SafeString:
    """A card player; the page's settings and asset check are done by the first card of each render."""
    page = context.render_context.get(CARD_SETTINGS)
    language = get_language() or ""
    if page is None or page.language != language:  # {% language %} may switch it mid-page
        page = CardSettings.now()
        context.render_context[CARD_SETTINGS] = page
        assets = sora_products_assets(context)
        if assets:
            return assets + card_player(video, title, page)
    return card_player(video, title, page)


def render_player(
    context: template.Context, product: Any, video: LiveVideo, title: str, *, lazy: bool, schema: bool
) -> SafeString:
    """The full player from the sora_products/player.html template (shops may override it)."""
    request = _request(context)
    width, height = video.width_height
    player = {
        "video_id": video.pk,
        "video_url": video.video_url,
        "poster_url": video.poster_url,
        "width": width,
        "height": height,
        "aria_label": aria_label(title),
        "ai_label": bool(app_settings.AI_LABEL),
        "compact": False,
        "buttons": True,
        "lazy": lazy,
        "schema": ld_json_script(video_object(video, title, get_adapter(product).get_description(product), request))
        if schema
        else "",
    }
    player_template = context.template.engine.get_template("sora_products/player.html")
    return player_template.render(
        context.new({"player": player, "player_assets": sora_products_assets(context)})
    )


def _scenes() -> list[tuple[str, str]]:
    labels = {"studio": _("Studio"), "street": _("City street")}
    return [(scene, labels.get(scene, scene.replace("_", " ").capitalize())) for scene in app_settings.TRY_ON["SCENES"]]


def _heights() -> list[int]:
    options = app_settings.TRY_ON
    low, high = int(options["HEIGHT_MIN_CM"]), int(options["HEIGHT_MAX_CM"])
    return sorted({bucket_height(height) for height in range(low, high + 1)})


def _asked_video(request: HttpRequest | None, product: Any) -> ProductVideo | None:
    """The try-on video named by ``?try_on=`` after the plain form's redirect, if it is this product's."""
    raw = request.GET.get("try_on", "") if request is not None else ""
    if not (raw.isascii() and raw.isdigit()):  # "²".isdigit() is True, int("²") raises
        return None
    return ProductVideo.objects.for_product(product).filter(pk=int(raw), preset=tryon.preset_name()).first()


def _unmade_profile(request: HttpRequest | None) -> dict[str, Any] | None:
    """The choices of an ask the generation policy did not make, from the plain form's redirect, if valid."""
    if request is None or "try_on_height" not in request.GET:
        return None
    get = request.GET
    try:
        profile = TryOnProfile.from_choices(get.get("try_on_height"), get.get("try_on_size"), get.get("try_on_scene"))
    except SpecError:
        return None
    return profile.as_dict()


def _try_on_player(title: str, state: Any = None, profile: dict | None = None) -> dict[str, Any]:
    label = aria_label(title)
    if profile:
        label = _("%(label)s, on a model %(height)s cm tall wearing size %(size)s") % {
            "label": label,
            "height": profile.get("height_cm"),
            "size": profile.get("size"),
        }
    return {
        "video_id": state.id if state else "",
        "video_url": state.video_url if state else "",
        "poster_url": state.poster_url if state else "",
        "aria_label": label,
        "ai_label": bool(app_settings.AI_LABEL),
        "compact": False,
        "buttons": True,
        "lazy": False,
        "schema": "",
    }


def _stand_in_player(title: str, stand_in: dict[str, Any]) -> dict[str, Any]:
    """The player of the nearest live video that plays while the shopper's own is not live."""
    player = _try_on_player(title, profile={"height_cm": stand_in["height_cm"], "size": stand_in["size"]})
    return {**player, "video_id": stand_in["video_id"], "video_url": stand_in["src"], "poster_url": stand_in["poster"]}


@register.inclusion_tag("sora_products/try_on.html", takes_context=True)
def try_on(context: template.Context, product: Any) -> dict[str, Any]:
    """The "see it worn" widget for wearable products when TRY_ON["ENABLED"]; nothing otherwise."""
    adapter = get_adapter(product)
    product = adapter.get_video_product(product)  # a variant is tried on as the product it shares videos with
    if not tryon.offers_try_on(product, adapter):
        return {"offered": False}
    request = _request(context)
    options = app_settings.TRY_ON
    sizes = list(options["SIZES"])
    scenes = _scenes()
    choice = {
        "height_cm": bucket_height(DEFAULT_HEIGHT_CM),
        "size": tryon.middle(sizes, 1)[0] if sizes else "",
        "scene": scenes[0][0] if scenes else "",
    }
    title = adapter.get_title(product)
    video = _asked_video(request, product)
    state = shopper_state(video) if video is not None else None
    if video is not None:
        choice.update({key: video.profile.get(key, value) for key, value in choice.items()})
    else:
        unmade = _unmade_profile(request)
        if unmade is not None:
            video = tryon.bucket_video(product, TryOnProfile(**unmade))  # made since the redirect?
            state = shopper_state(video) if video is not None else unmade_state(product, unmade)
            choice.update(unmade)
    result_player, shown_key = None, ""
    if state is not None and state.ready:
        result_player, shown_key = _try_on_player(title, state, video.profile), str(state.id)
    elif state is not None and state.stand_in and state.stand_in["height_cm"] is None:  # the showcase video
        result_player = {**_stand_in_player(title, state.stand_in), "aria_label": aria_label(title)}
        shown_key = f"stand-in-{state.stand_in['video_id']}"
    elif state is not None and state.stand_in:
        result_player, shown_key = _stand_in_player(title, state.stand_in), f"stand-in-{state.stand_in['video_id']}"
    error_code = request.GET.get("try_on_error", "") if request is not None else ""
    initial = {"state": state.as_dict() if state else None}
    if state is not None and video is not None:
        initial["status_url"] = reverse("sora_products:api:video-status", kwargs={"pk": video.pk})
        initial["profile"] = video.profile
    return {
        "offered": True,
        "assets": sora_products_assets(context),
        "csrf_token": context.get("csrf_token"),
        "product_ref": product_ref(product),
        "form_url": reverse("sora_products:try-on"),
        "api_url": reverse("sora_products:api:try-on"),
        "heights": _heights(),
        "sizes": sizes,
        "scenes": scenes,
        "choice": choice,
        "state": state,
        "error": tryon.refusal_message(error_code[:40]) if error_code else "",
        "result_player": result_player,
        "shown_key": shown_key,
        "template_player": _try_on_player(title),
        "aria_template": _try_on_player(title, profile={"height_cm": "{height}", "size": "{size}"})["aria_label"],
        "aria_plain": aria_label(title),
        "check_again_url": request.get_full_path() if request is not None else "",
        "initial_state": initial,
    }
