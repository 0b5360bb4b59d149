"""The ProductVideo admin: the list, the detail page, review and job actions, remix and live status."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sora_products import jobs
from sora_products.admin import checks, display, outage, permissions
from sora_products.admin.cards import video_cards
from sora_products.admin.explain import explain, storefront_note
from sora_products.admin.filters import PresetFilter, ProductSearchMixin, RemixFilter
from sora_products.admin.ledger import spent_subquery
from sora_products.admin.remix import RemixForm, remix_chain
from sora_products.admin.status import parse_ids, statuses
from sora_products.jobs import breaker
from sora_products.jobs.request import remixable
from sora_products.labels import preset_label
from sora_products.models import ProductVideo, ReviewState, VideoStatus


class ProductVideoAdmin(ProductSearchMixin, admin.ModelAdmin):
    """Every generated video: watch, review, retry, cancel and remix; rows change only through jobs."""

    list_display = [
        "video_label",
        "preview_column",
        "product_column",
        "status_column",
        "provider_model",
        "cost_column",
        "review_column",
        "created",
    ]
    list_display_links = ["video_label"]
    list_filter = [
        "status",
        "review_state",
        PresetFilter,
        "provider",
        "origin",
        RemixFilter,
        "outdated",
        "created_at",
    ]
    search_fields = ["prompt", "remix_prompt", "remote_id", "error_message", "=object_id"]
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = ["approve_videos", "reject_videos", "retry_videos", "cancel_videos", "resume_providers"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "product_column",
                    "preset",
                    "status",
                    "progress",
                    "review_state",
                    "reviewed_at",
                    "origin",
                    "remixed_from",
                    "outdated_column",
                ]
            },
        ),
        (
            gettext_lazy("Provider"),
            {"fields": ["provider", "model", "size", "seconds", "remote_id", "attempts", "expires_at"]},
        ),
        (gettext_lazy("Cost"), {"fields": ["estimated_cost", "actual_cost"]}),
        (gettext_lazy("Problem"), {"fields": ["error_code", "error_message"]}),
        (gettext_lazy("Try-on"), {"fields": ["profile"]}),
        (
            gettext_lazy("Files"),
            {"classes": ["collapse"], "fields": ["video_file", "poster", "reference_image", "video_bytes"]},
        ),
        (gettext_lazy("Times"), {"fields": ["created_at", "updated_at", "completed_at"]}),
    ]
    readonly_fields = [
        "product_column",
        "outdated_column",
        *[field.name for field in ProductVideo._meta.concrete_fields if field.name != "id"],
    ]

    class Media:
        css = {"all": ["sora_products/admin/admin.css"]}
        js = ["sora_products/admin/progress.js"]

    # --- permissions: rows change only through the state machine, never by editing fields --------

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ProductVideo | None = None) -> bool:
        return False

    def has_review_permission(self, request: HttpRequest) -> bool:
        return permissions.can_review(request)

    def has_generate_permission(self, request: HttpRequest) -> bool:
        return permissions.can_generate(request)

    def has_remix_permission(self, request: HttpRequest) -> bool:
        return permissions.can_remix(request)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_queryset(request).select_related("content_type").prefetch_related("product")
        return queryset.annotate(sora_spent=spent_subquery())

    def get_list_display(self, request: HttpRequest) -> list[str]:
        columns = list(super().get_list_display(request))
        if not permissions.can_see_costs(request):
            columns.remove("cost_column")
        return columns

    def get_fieldsets(self, request: HttpRequest, obj: ProductVideo | None = None) -> list:
        """Only the sections that say something about this video, and costs only for who may see them."""
        hidden = set()
        if not permissions.can_see_costs(request):
            hidden.add("estimated_cost")
        if obj is not None and not (obj.error_code or obj.error_message):
            hidden.add("error_code")
        if obj is not None and not obj.profile:
            hidden.add("profile")
        return [fieldset for fieldset in super().get_fieldsets(request, obj) if fieldset[1]["fields"][0] not in hidden]

    # --- columns ----------------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("video"), ordering="pk")
    def video_label(self, video: ProductVideo):
        remix = format_html(' <span class="sora-tag">{}</span>', _("remix")) if video.remixed_from_id else ""
        return format_html("#{} {}{}", video.pk, preset_label(video.preset), remix)

    @admin.display(description=gettext_lazy("preview"))
    def preview_column(self, video: ProductVideo):
        return display.preview(video, display.status_url(self.admin_site.name), size="small")

    @admin.display(description=gettext_lazy("product"))
    def product_column(self, video: ProductVideo):
        return display.product_link(video, self.admin_site.name)

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_column(self, video: ProductVideo):
        return format_html(
            "{}{}", display.live_status(video, display.status_url(self.admin_site.name)), outage.waiting_badge(video)
        )

    @admin.display(description=gettext_lazy("provider / model"), ordering="provider")
    def provider_model(self, video: ProductVideo):
        length = _("%(seconds)d s") % {"seconds": video.seconds}
        return format_html(
            '{} · {}<br><span class="sora-muted">{} · {}</span>', video.provider, video.model, length, video.size
        )

    @admin.display(description=gettext_lazy("cost"), ordering="actual_cost")
    def cost_column(self, video: ProductVideo):
        return display.live_field(video, display.status_url(self.admin_site.name), "cost", display.cost_text(video))

    @admin.display(description=gettext_lazy("created"), ordering="created_at")
    def created(self, video: ProductVideo):
        when = localtime(video.created_at)
        return format_html(
            '{}<br><span class="sora-muted">{}</span>',
            date_format(when, "SHORT_DATE_FORMAT"),
            date_format(when, "TIME_FORMAT"),
        )

    @admin.display(description=gettext_lazy("product changed?"))
    def outdated_column(self, video: ProductVideo) -> str:
        return display.outdated_note(video)

    @admin.display(description=gettext_lazy("review"), ordering="review_state")
    def review_column(self, video: ProductVideo):
        label, state = display.review_summary(video)
        endpoint = display.status_url(self.admin_site.name)
        return display.live_field(video, endpoint, "review", label, f"sora-review sora-review--{state}")

    # --- actions ----------------------------------------------------------------------------------

    @admin.action(description=gettext_lazy("Approve: show on the storefront"), permissions=["review"])
    def approve_videos(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        ready = [video for video in queryset if video.status == VideoStatus.READY]
        held = sum(video.status == VideoStatus.HELD for video in queryset)
        if held:
            messages.warning(
                request,
                ngettext(
                    "%(count)d video is held because its product looks different from the photo; open it to "
                    "look before you show it.",
                    "%(count)d videos are held because their product looks different from the photo; open each "
                    "to look before you show it.",
                    held,
                )
                % {"count": held},
            )
        for video in ready:
            jobs.approve(video, approved=True)
        self._count(
            request, len(ready), ngettext("Approved %(count)d video.", "Approved %(count)d videos.", len(ready))
        )
        skipped = queryset.count() - len(ready) - held
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(count)d video is not finished yet and was not approved; approve it when it is ready.",
                    "%(count)d videos are not finished yet and were not approved; approve them when they are ready.",
                    skipped,
                )
                % {"count": skipped},
            )

    @admin.action(description=gettext_lazy("Reject: keep off the storefront"), permissions=["review"])
    def reject_videos(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        videos = list(queryset)
        for video in videos:
            jobs.approve(video, approved=False)
        self._count(
            request, len(videos), ngettext("Rejected %(count)d video.", "Rejected %(count)d videos.", len(videos))
        )

    @admin.action(description=gettext_lazy("Retry failed or canceled videos"), permissions=["generate"])
    def retry_videos(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        done = sum(jobs.retry(video) for video in queryset)
        self._count(
            request, done, ngettext("Asked again for %(count)d video.", "Asked again for %(count)d videos.", done)
        )
        self._none_changed(request, done, jobs.NOT_RETRYABLE)

    @admin.action(description=gettext_lazy("Cancel videos being made"), permissions=["generate"])
    def cancel_videos(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        done = sum(jobs.cancel(video) for video in queryset)
        self._count(request, done, ngettext("Canceled %(count)d video.", "Canceled %(count)d videos.", done))
        self._none_changed(request, done, jobs.NOT_CANCELABLE)

    @admin.action(description=gettext_lazy("Resume the provider of the selected videos"), permissions=["generate"])
    def resume_providers(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        """After a quota was raised or an outage ended: clear the pause and send the waiting videos now."""
        providers = sorted(set(queryset.values_list("provider", flat=True)))
        for provider in providers:
            breaker.resume(provider)
        messages.success(
            request,
            ngettext(
                "Resumed the provider %(providers)s; its waiting videos go on now.",
                "Resumed the providers %(providers)s; their waiting videos go on now.",
                len(providers),
            )
            % {"providers": ", ".join(providers)},
        )

    def _count(self, request: HttpRequest, count: int, message: str) -> None:
        if count:
            messages.success(request, message % {"count": count})

    def _none_changed(self, request: HttpRequest, count: int, message: str) -> None:
        if not count:
            messages.warning(request, message)

    # --- extra pages --------------------------------------------------------------------------------

    def get_urls(self) -> list:
        def view(func):
            return self.admin_site.admin_view(func)

        return [
            path("status/", view(self.status_view), name="sora_products_productvideo_status"),
            path("<path:object_id>/act/", view(self.act_view), name="sora_products_productvideo_act"),
            path("<path:object_id>/remix/", view(self.remix_view), name="sora_products_productvideo_remix"),
            *super().get_urls(),
        ]

    def _url(self, name: str, video: ProductVideo) -> str:
        return reverse(f"{self.admin_site.name}:sora_products_productvideo_{name}", args=[quote(video.pk)])

    def _video(self, request: HttpRequest, object_id: str) -> ProductVideo:
        return get_object_or_404(self.get_queryset(request), pk=unquote(object_id))

    def status_view(self, request: HttpRequest) -> HttpResponse:
        """Progress of up to 100 videos (``?ids=1,2,3``) for the admin's progress bars."""
        permissions.require(permissions.can_see_videos(request))
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        ids = parse_ids(request.GET.get("ids", ""))
        # admin_view() already marks the response never_cache.
        return JsonResponse(statuses(ids, show_costs=permissions.can_see_costs(request)))

    def act_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The detail page's buttons: approve, reject, retry or cancel one video."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        operation = request.POST.get("operation", "")
        allowed = {
            "approve": permissions.can_review,
            "reject": permissions.can_review,
            "retry": permissions.can_generate,
            "cancel": permissions.can_generate,
        }
        permissions.require(operation in allowed and allowed[operation](request))
        video = self._video(request, object_id)
        if operation == "approve" and video.status == VideoStatus.HELD:
            # "Show it anyway" on the video's own page: the person is looking at it, unlike a bulk approve.
            jobs.approve(video, approved=True)
            messages.success(request, _("The video is shown although its colour differs from the photo."))
        else:
            getattr(self, f"{operation}_videos")(request, ProductVideo.objects.filter(pk=video.pk))
        return HttpResponseRedirect(self._url("change", video))

    def remix_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Ask for a changed copy of a finished video in plain words; the new video keeps the chain."""
        permissions.require(permissions.can_remix(request))
        video = self._video(request, object_id)
        form = RemixForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                new = jobs.remix(video, form.cleaned_data["change"])
            except ValueError as exc:
                form.add_error("change", str(exc))
            else:
                messages.success(
                    request,
                    _("Asked for a remix of video #%(old)d: “%(change)s”. Its progress shows below.")
                    % {"old": video.pk, "change": new.remix_prompt},
                )
                return HttpResponseRedirect(self._url("change", new))
        (card,) = video_cards([video], request, self.admin_site.name)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Remix video #%(id)d") % {"id": video.pk},
            "opts": self.opts,
            "original": video,
            "card": card,
            "form": form,
            "chain": remix_chain(video),
            "can_remix_now": remixable(video),
            "change_url": self._url("change", video),
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "sora_products/admin/remix.html", context)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        extra_context = {**(extra_context or {})}
        extra_context.setdefault("title", capfirst(self.opts.verbose_name_plural))
        outage.show_outages(request)
        if permissions.can_see_costs(request):
            extra_context["sora_costs_url"] = reverse(f"{self.admin_site.name}:sora_products_spend_changelist")
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        video = self.get_object(request, unquote(object_id))
        extra_context = {**(extra_context or {})}
        if video is not None:
            extra_context["sora"] = self._detail_context(request, video)
        return super().change_view(request, object_id, form_url, extra_context)

    def _detail_context(self, request: HttpRequest, video: ProductVideo) -> dict:
        (card,) = video_cards([video], request, self.admin_site.name)
        live = video.is_live
        endpoint = display.status_url(self.admin_site.name)
        card_large = display.preview(video, endpoint, size="large")
        return {
            "card": card,
            "preview": card_large,
            "status": display.live_status(video, endpoint, with_error=False),
            "prompt_is_change": bool(video.remix_prompt) and video.prompt == video.remix_prompt,
            "explanation": explain(video),
            "chain": remix_chain(video),
            "reference_url": display.file_url(video.reference_image),
            "is_live": live,
            "storefront_note": storefront_note(video, live=live),
            "can_approve": permissions.can_review(request)
            and (video.status == VideoStatus.HELD
                 or (video.status == VideoStatus.READY and video.review_state != ReviewState.APPROVED)),
            "is_held": video.status == VideoStatus.HELD,
            "checks": checks.summary(video),
            "can_reject": permissions.can_review(request) and video.review_state != ReviewState.REJECTED,
            "can_retry": permissions.can_generate(request)
            and video.status in (VideoStatus.FAILED, VideoStatus.CANCELED, VideoStatus.NEEDS_REVIEW),
            "can_cancel": permissions.can_generate(request) and video.is_active,
            "can_remix": permissions.can_remix(request) and remixable(video),
            "act_url": self._url("act", video),
            "remix_url": self._url("remix", video),
            "fix_prompt": video.fix_prompt if video.status == VideoStatus.HELD and remixable(video) else "",
        }
