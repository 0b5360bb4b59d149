"""The "Pre-render try-on videos" action: staff name a budget, see what it buys and whom it serves, then confirm."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import admin, messages
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sora_products import jobs
from sora_products.admin import permissions
from sora_products.admin.display import money
from sora_products.admin.generate import MAX_PRODUCTS, too_many
from sora_products.conf import app_settings
from sora_products.models import Origin
from sora_products.tryon_plan import PrerenderPlan, plan_prerender

TEMPLATE = "sora_products/admin/prerender.html"
DEFAULT_BUDGET = Decimal("20.00")


def _budget(request: HttpRequest) -> tuple[Decimal, str]:
    """The budget asked for, and a sentence when it could not be read."""
    raw = (request.POST.get("sora_budget") or "").strip().lstrip("$")
    if not raw:
        return DEFAULT_BUDGET, ""
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return DEFAULT_BUDGET, _("Enter the budget as a number of dollars, for example 20 or 12.50.")
    if value <= 0 or value > Decimal("100000"):
        return DEFAULT_BUDGET, _("Enter a budget above $0 and at most $100,000.")
    return value.quantize(Decimal("0.01")), ""


def plan_sentence(plan: PrerenderPlan, amount: Decimal) -> str:
    count = len(plan.to_make)
    return ngettext(
        "%(budget)s buys %(count)d video at %(each)s; it serves an estimated %(share)s of shoppers at once "
        "(now %(now)s).",
        "%(budget)s buys %(count)d videos at %(each)s each; they serve an estimated %(share)s of shoppers at "
        "once (now %(now)s).",
        count,
    ) % {
        "budget": money(amount),
        "count": count,
        "each": money(plan.per_video),
        "share": f"{plan.coverage:.0%}",
        "now": f"{plan.coverage_before:.0%}",
    }


@admin.action(description=gettext_lazy("Pre-render try-on videos within a budget"), permissions=["generate_video"])
def prerender_try_on(
    model_admin: admin.ModelAdmin, request: HttpRequest, queryset: models.QuerySet
) -> HttpResponse | None:
    """Plan the try-on buckets a budget buys for the selected products; make them once staff confirm."""
    permissions.require(permissions.can_generate(request))
    products = list(queryset[: MAX_PRODUCTS + 1])
    if too_many(request, products):
        return None
    amount, problem = _budget(request)
    plan = plan_prerender(products, amount)
    if request.POST.get("sora_confirm") and not problem and plan.to_make:
        preset = app_settings.TRY_ON["PRESET"]
        with transaction.atomic():
            for product, profile in plan.to_make:
                jobs.request_video(product, preset, profile=profile, origin=Origin.COMMAND)
        messages.success(request, plan_sentence(plan, amount) + " " + _("They are being made."))
        return None
    opts = model_admin.opts
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Pre-render try-on videos"),
        "opts": opts,
        "products": products,
        "plan": plan,
        "budget": amount,
        "problem": problem,
        "sentence": plan_sentence(plan, amount) if plan.products else "",
        "mix_from_history": plan.mix is not None and plan.mix.source == "history",
        "hidden": [
            ("action", "prerender_try_on"),
            *[(admin.helpers.ACTION_CHECKBOX_NAME, str(p.pk)) for p in products],
        ],
        "cancel_url": request.get_full_path(),
        "media": model_admin.media,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, TEMPLATE, context)
