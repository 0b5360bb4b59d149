"""The costs page: spend per day, budget used and left, spend by preset, provider and product, and failures.

It is the admin page of the Spend ledger, so it shows on the admin index to whoever may see costs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from sora_products.admin import display, permissions
from sora_products.admin.budget_left import BudgetLine, budget_lines
from sora_products.admin.charts import DayBar, spend_chart
from sora_products.admin.explain import explain, is_refusal
from sora_products.admin.ledger import ZERO, committed_sum
from sora_products.conf import app_settings
from sora_products.labels import preset_label
from sora_products.models import ProductVideo, Spend, SpendKind, VideoStatus

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
TOP_PRODUCTS = 10


def _amount(kind: str | None = None):
    return committed_sum(kind)


def _cents(value: Decimal | float | None) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Row:
    label: str
    total: Decimal
    videos: int
    share: int = 0  # percent of the period's total, for the bar behind the number

    @property
    def total_text(self) -> str:
        return display.money(self.total)


@dataclass
class Failures:
    failed: int = 0
    refused: int = 0
    waiting_for_budget: int = 0
    needs_person: int = 0
    billed_refusals: Decimal = ZERO
    by_reason: list[tuple[str, str, int]] = field(default_factory=list)
    recent: list[dict] = field(default_factory=list)


@dataclass
class CostReport:
    days: int
    since: datetime.date
    bars: list[DayBar]
    total: Decimal
    videos_made: int
    budget: list[BudgetLine]
    by_preset: list[Row]
    by_provider: list[Row]
    top_products: list[dict]
    failures: Failures

    @property
    def average(self) -> Decimal | None:
        made = sum((bar.settled for bar in self.bars), ZERO)
        return _cents(made / self.videos_made) if self.videos_made else None

    @property
    def chart(self) -> SafeString:
        return spend_chart(self.bars, _cap("DAILY"))


def _cap(key: str) -> Decimal | None:
    value = app_settings.BUDGET.get(key)
    return None if value is None else Decimal(str(value))


def _bars(spends, since: datetime.date, today: datetime.date) -> list[DayBar]:
    rows = spends.values("day").annotate(
        settled=_amount(SpendKind.SETTLED), open=_amount(SpendKind.RESERVED), loss=_amount(SpendKind.LOSS)
    )
    by_day = {row["day"]: row for row in rows}
    bars = []
    for offset in range((today - since).days + 1):
        day = since + datetime.timedelta(days=offset)
        row = by_day.get(day, {})
        bars.append(DayBar(day, _cents(row.get("settled")), _cents(row.get("open")), _cents(row.get("loss"))))
    return bars


def _rows(spends, fields: list[str], label, total: Decimal) -> list[Row]:
    grouped = (
        spends.values(*fields)
        .annotate(total=_amount(), videos=Count("video", distinct=True))
        .filter(total__gt=0)
        .order_by("-total")
    )
    return [
        Row(label(row), _cents(row["total"]), row["videos"], int(row["total"] * 100 / total) if total else 0)
        for row in grouped
    ]


def _top_products(spends, site_name: str) -> list[dict]:
    grouped = (
        spends.filter(video__isnull=False)
        .values("video__content_type", "video__object_id")
        .annotate(total=_amount(), videos=Count("video", distinct=True))
        .filter(total__gt=0)
        .order_by("-total")[:TOP_PRODUCTS]
    )
    rows = []
    for row in grouped:
        model = ContentType.objects.get_for_id(row["video__content_type"]).model_class()
        product = model._default_manager.filter(pk=row["video__object_id"]).first() if model else None
        rows.append(
            {
                "label": str(product) if product else _("Deleted product #%(id)s") % {"id": row["video__object_id"]},
                "url": display.admin_change_url(product, site_name) if product else "",
                "total_text": display.money(_cents(row["total"])),
                "videos": row["videos"],
            }
        )
    return rows


def _failures(since: datetime.date, spends, site_name: str) -> Failures:
    failed = ProductVideo.objects.filter(status=VideoStatus.FAILED).filter(
        Q(completed_at__date__gte=since) | Q(completed_at__isnull=True, created_at__date__gte=since)
    )
    summary = Failures()
    for row in failed.values("error_code").annotate(count=Count("pk")).order_by("-count"):
        sample = failed.filter(error_code=row["error_code"]).first()
        headline = explain(sample).headline if sample else ""
        summary.by_reason.append((row["error_code"] or "—", headline, row["count"]))
        summary.failed += row["count"]
        summary.refused += row["count"] if is_refusal(row["error_code"] or "") else 0
    summary.waiting_for_budget = ProductVideo.objects.filter(status=VideoStatus.BLOCKED).count()
    summary.needs_person = ProductVideo.objects.filter(status=VideoStatus.NEEDS_REVIEW).count()
    summary.billed_refusals = _cents(spends.filter(kind=SpendKind.LOSS).aggregate(total=_amount())["total"])
    for video in failed.select_related("content_type").order_by("-completed_at", "-pk")[:8]:
        summary.recent.append(
            {
                "video": video,
                "url": reverse(f"{site_name}:sora_products_productvideo_change", args=[video.pk]),
                "product": display.product_link(video, site_name),
                "headline": explain(video).headline,
                "message": video.error_message,
            }
        )
    return summary


def build_report(days: int = DEFAULT_PERIOD, *, site_name: str = "admin", today: datetime.date | None = None):
    """Everything the costs page shows, for the last ``days`` days up to today."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=days - 1)
    spends = Spend.objects.filter(day__gte=since, day__lte=today)
    bars = _bars(spends, since, today)
    total = sum((bar.total for bar in bars), ZERO)
    made = spends.filter(kind=SpendKind.SETTLED).values("video").distinct().count()
    return CostReport(
        days=days,
        since=since,
        bars=bars,
        total=total,
        videos_made=made,
        budget=budget_lines(today),
        by_preset=_rows(spends, ["preset"], lambda row: preset_label(row["preset"]), total),
        by_provider=_rows(spends, ["provider", "model"], lambda row: f"{row['provider']} · {row['model']}", total),
        top_products=_top_products(spends, site_name),
        failures=_failures(since, spends, site_name),
    )


class CostsAdmin(admin.ModelAdmin):
    """The Spend ledger's admin entry is the costs page; the ledger itself is never edited by hand."""

    def has_view_permission(self, request: HttpRequest, obj: Spend | None = None) -> bool:
        return permissions.can_see_costs(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Spend | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Spend | None = None) -> bool:
        return False

    def get_urls(self) -> list:
        return [
            path("", self.admin_site.admin_view(self.costs_view), name="sora_products_spend_changelist"),
            path("return/", self.admin_site.admin_view(self.returns_view), name="sora_products_spend_return"),
        ]

    def returns_view(self, request: HttpRequest) -> HttpResponse:
        """Per preset and per product: what the videos cost and what experiments measured they return."""
        from sora_products.admin.returns import by_preset, by_product

        permissions.require(permissions.can_see_costs(request))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Return on spend"),
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "presets": by_preset(),
            "products": by_product(),
            "costs_url": reverse(f"{self.admin_site.name}:sora_products_spend_changelist"),
            "experiments_url": reverse(f"{self.admin_site.name}:sora_products_experiment_changelist"),
            "site_name": self.admin_site.name,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "sora_products/admin/returns.html", context)

    def costs_view(self, request: HttpRequest) -> HttpResponse:
        """Spend and budget at a glance, for people with the ``view_costs`` permission."""
        permissions.require(permissions.can_see_costs(request))
        try:
            days = int(request.GET.get("days", DEFAULT_PERIOD))
        except ValueError:
            days = DEFAULT_PERIOD
        days = days if days in PERIODS else DEFAULT_PERIOD
        report = build_report(days, site_name=self.admin_site.name)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Video costs"),
            "subtitle": _("Last %(days)d days") % {"days": days},
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "report": report,
            "periods": PERIODS,
            "total_text": display.money(report.total),
            "average_text": display.money(report.average),
            "billed_text": display.money(report.failures.billed_refusals),
            "breakdowns": [(_("By preset"), report.by_preset), (_("By provider and model"), report.by_provider)],
            "videos_url": reverse(f"{self.admin_site.name}:sora_products_productvideo_changelist"),
            "returns_url": reverse(f"{self.admin_site.name}:sora_products_spend_return"),
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "sora_products/admin/costs.html", context)

    class Media:
        css = {"all": ["sora_products/admin/admin.css"]}
