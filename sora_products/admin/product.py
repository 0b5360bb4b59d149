"""What a shop adds to its own product admin: the "Generate video" action, a button, and the videos inline."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sora_products.admin import outage, permissions
from sora_products.admin.budget_left import budget_lines, smallest_left
from sora_products.admin.cards import video_cards
from sora_products.admin.display import money
from sora_products.admin.generate import MAX_PRODUCTS, Outcome, PresetPlan, generate, plan_all, too_many
from sora_products.admin.notices import warn_once
from sora_products.admin.prerender import prerender_try_on
from sora_products.labels import preset_label
from sora_products.models import Origin, ProductVideo
from sora_products.photo_check import photo_problem

GENERATE_TEMPLATE = "sora_products/admin/generate.html"
MAX_NAMED_SKIPS = 5


def _chosen_preset(request: HttpRequest, plans: Sequence[PresetPlan]) -> str:
    """The preset asked for, else the first one that would make something, else the first."""
    names = [plan.name for plan in plans]
    asked = request.POST.get("preset") or request.GET.get("preset")
    if asked in names:
        return asked
    return next((plan.name for plan in plans if plan.paid_count), names[0] if names else "")


def _report(request: HttpRequest, outcome: Outcome, preset: str) -> None:
    label = preset_label(preset)
    if outcome.created:
        messages.success(
            request,
            ngettext(
                "Asked for %(count)d “%(preset)s” video; its progress shows below.",
                "Asked for %(count)d “%(preset)s” videos; their progress shows below.",
                len(outcome.created),
            )
            % {"count": len(outcome.created), "preset": label},
        )
    if outcome.retried:
        messages.success(
            request,
            ngettext(
                "Asked again for %(count)d video that had failed or was canceled.",
                "Asked again for %(count)d videos that had failed or were canceled.",
                len(outcome.retried),
            )
            % {"count": len(outcome.retried)},
        )
    if outcome.existing:
        messages.info(
            request,
            ngettext(
                "%(count)d product already has this video, so it was not made again.",
                "%(count)d products already have this video, so they were not made again.",
                len(outcome.existing),
            )
            % {"count": len(outcome.existing)},
        )
    if outcome.skipped:
        messages.warning(request, skipped_summary(outcome.skipped))


def skipped_summary(skipped: Sequence) -> str:
    """One message for every product not made, grouped by reason, naming a few products of each."""
    by_reason: dict[str, list[str]] = {}
    for item in skipped:
        by_reason.setdefault(item.reason, []).append(f"“{item.product}”")
    parts = []
    for reason, names in by_reason.items():
        shown = ", ".join(names[:MAX_NAMED_SKIPS])
        if len(names) > MAX_NAMED_SKIPS:
            rest = len(names) - MAX_NAMED_SKIPS
            shown += " " + ngettext("and %(count)d more", "and %(count)d more", rest) % {"count": rest}
        parts.append(_("%(products)s: %(reason)s") % {"products": shown, "reason": reason})
    count = len(skipped)
    head = ngettext("%(count)d product was not made.", "%(count)d products were not made.", count) % {"count": count}
    return " ".join([head, *parts])


def _videos_url(model_admin: admin.ModelAdmin, request: HttpRequest, videos: Sequence[ProductVideo]) -> str | None:
    """The video list narrowed to these videos, where their progress shows; None without the right to see it."""
    if not videos or not permissions.can_see_videos(request):
        return None
    url = reverse(f"{model_admin.admin_site.name}:sora_products_productvideo_changelist")
    return f"{url}?{urlencode({'id__in': ','.join(str(video.pk) for video in videos)})}"


def generate_page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    products: Sequence[models.Model],
    *,
    hidden: Sequence[tuple[str, str]] = (),
    done_url: str | None = None,
    cancel_url: str = "",
) -> HttpResponse | None:
    """The confirmation page (preset, estimate, budget left); on confirm, the videos are asked for.

    Returns None after confirming when the caller should go back where it came from.
    """
    permissions.require(permissions.can_generate(request))
    if too_many(request, products):
        return None
    plans = plan_all(products)
    chosen = _chosen_preset(request, plans)
    if request.method == "POST" and request.POST.get("sora_confirm") and chosen:
        outcome = generate(products, chosen)
        _report(request, outcome, chosen)
        target = done_url or _videos_url(model_admin, request, outcome.started)
        return HttpResponseRedirect(target) if target else None
    lines = budget_lines(shopper=False)
    room = smallest_left(lines)
    for plan in plans:
        plan.over_budget = room is not None and plan.estimate.total > room
    opts = model_admin.opts
    count = len(products)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": ngettext("Generate a video of %(count)d product", "Generate videos of %(count)d products", count)
        % {"count": count},
        "opts": opts,
        "app_label": opts.app_label,
        "products": products[:12],
        "more_products": max(count - 12, 0),
        "product_count": count,
        "plans": plans,
        "chosen": chosen,
        "budget_lines": lines,
        "room_text": money(room) if room is not None else "",
        "hidden": hidden,
        "cancel_url": cancel_url,
        "can_see_costs": permissions.can_see_costs(request),
        "costs_url": reverse(f"{model_admin.admin_site.name}:sora_products_spend_changelist"),
        "media": model_admin.media,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, GENERATE_TEMPLATE, context)


@admin.action(description=gettext_lazy("Generate video"), permissions=["generate_video"])
def generate_videos(
    model_admin: admin.ModelAdmin, request: HttpRequest, queryset: models.QuerySet
) -> HttpResponse | None:
    """Admin action for any registered product model: confirm a preset and its cost, then ask for the videos."""
    products = list(queryset[: MAX_PRODUCTS + 1])
    hidden = [("action", "generate_videos"), *[(admin.helpers.ACTION_CHECKBOX_NAME, str(p.pk)) for p in products]]
    return generate_page(model_admin, request, products, hidden=hidden, cancel_url=request.get_full_path())


class VideoInlineFormSetMixin:
    """Gives the inline's template the rows it shows, built once with the request's permissions."""

    sora_request: HttpRequest | None = None
    sora_site_name = "admin"

    @cached_property
    def sora_cards(self) -> list:
        videos = [form.instance for form in self.initial_forms]
        return video_cards(videos, self.sora_request, self.sora_site_name)

    @cached_property
    def sora_all_url(self) -> str:
        if self.sora_request is None or not permissions.can_see_videos(self.sora_request):
            return ""
        return product_videos_url(self.instance, self.sora_site_name)


class ProductVideoInline(GenericTabularInline):
    """The product's videos on its change page: status, live progress, a player and the cost; read only."""

    model = ProductVideo
    template = "sora_products/admin/video_inline.html"
    fields = readonly_fields = ("preset",)
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name = gettext_lazy("video")
    verbose_name_plural = gettext_lazy("Videos")

    class Media:
        css = {"all": ["sora_products/admin/admin.css"]}
        js = ["sora_products/admin/progress.js"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # Shopper try-ons can number in the hundreds; the inline shows what the shop asked for.
        return super().get_queryset(request).exclude(origin=Origin.SHOPPER).order_by("-created_at")

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def get_formset(self, request: HttpRequest, obj: models.Model | None = None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        attrs = {"sora_request": request, "sora_site_name": self.admin_site.name}
        return type(formset.__name__, (VideoInlineFormSetMixin, formset), attrs)


class VideoProductAdminMixin:
    """Mix into a product ModelAdmin: the "Generate video" action, a change-page button and the videos inline.

    Everything shows only to staff with the app's permissions (``sora_products.generate_productvideo``
    to ask for videos, ``view_productvideo`` to see them).
    """

    video_inline: type[admin.options.InlineModelAdmin] | None = ProductVideoInline
    video_change_form_template = "sora_products/admin/product_change_form.html"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Django's own action machinery checks has_generate_video_permission() for the action.
        if self.actions is not None:
            self.actions = [*self.actions, *(a for a in (generate_videos, prerender_try_on) if a not in self.actions)]
        # A shop with its own change form keeps it and can include our button template.
        if self.change_form_template is None:
            self.change_form_template = self.video_change_form_template

    def has_generate_video_permission(self, request: HttpRequest) -> bool:
        return permissions.can_generate(request)

    def get_inlines(self, request: HttpRequest, obj: models.Model | None) -> list:
        inlines = list(super().get_inlines(request, obj))
        if obj is not None and self.video_inline is not None and self.video_inline not in inlines:
            inlines.append(self.video_inline)
        return inlines

    def get_urls(self) -> list:
        name = f"{self.opts.app_label}_{self.opts.model_name}_generate_video"
        view = self.admin_site.admin_view(self.generate_video_view)
        return [path("<path:object_id>/generate-video/", view, name=name), *super().get_urls()]

    def generate_video_url(self, obj: models.Model) -> str:
        name = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_generate_video"
        return reverse(name, args=[admin.utils.quote(obj.pk)])

    def generate_video_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The change page's "Generate video" button: the same confirmation, for one product."""
        permissions.require(self.has_generate_video_permission(request))
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        change_url = reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[admin.utils.quote(obj.pk)],
        )
        response = generate_page(self, request, [obj], done_url=change_url, cancel_url=change_url)
        return response or HttpResponseRedirect(change_url)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        outage.show_outages(request)
        return super().changelist_view(request, extra_context)

    def save_model(self, request: HttpRequest, obj: models.Model, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._warn_about_photo(request, obj)

    def _warn_about_photo(self, request: HttpRequest, obj: models.Model) -> None:
        problem = photo_problem(obj)
        if problem:
            warn_once(request, problem)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        outage.show_outages(request)
        if obj is not None and obj.pk is not None:
            self._warn_about_photo(request, obj)
        if obj is not None and self.has_generate_video_permission(request):
            context["sora_generate_url"] = self.generate_video_url(obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


def product_videos_url(product: models.Model, site_name: str = "admin") -> str:
    """The video list narrowed to one product, including its shopper try-ons."""
    content_type = ContentType.objects.get_for_model(product, for_concrete_model=True)
    url = reverse(f"{site_name}:sora_products_productvideo_changelist")
    return f"{url}?{urlencode({'content_type__id__exact': content_type.pk, 'object_id': product.pk})}"


__all__ = [
    "ProductVideoInline",
    "VideoProductAdminMixin",
    "generate_videos",
    "generate_page",
    "product_videos_url",
]
