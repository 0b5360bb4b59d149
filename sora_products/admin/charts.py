"""Spend per day as an inline SVG bar chart, drawn on the server: no script, no external service."""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sora_products.admin.display import money

WIDTH, HEIGHT = 760, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 14, 30
SEGMENTS = (("settled", "sora-bar--settled"), ("open", "sora-bar--open"), ("loss", "sora-bar--loss"))


@dataclass(frozen=True)
class DayBar:
    day: datetime.date
    settled: Decimal = Decimal("0")
    open: Decimal = Decimal("0")
    loss: Decimal = Decimal("0")

    @property
    def total(self) -> Decimal:
        return self.settled + self.open + self.loss


def _n(value: float) -> str:
    """A coordinate with one decimal, formatted before format_html turns it into text."""
    return f"{value:.1f}"


def nice_step(top: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that splits 0..top into about ``ticks`` parts."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _tooltip(bar: DayBar) -> str:
    return _("%(day)s: %(total)s (made %(settled)s, being made %(open)s, refused but billed %(loss)s)") % {
        "day": date_format(bar.day, "DATE_FORMAT"),
        "total": money(bar.total),
        "settled": money(bar.settled),
        "open": money(bar.open),
        "loss": money(bar.loss),
    }


def spend_chart(bars: Sequence[DayBar], daily_cap: Decimal | None = None) -> SafeString:
    """Stacked bars (made / being made / billed refusals) per day, with the daily cap as a dashed line."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    highest = max((float(bar.total) for bar in bars), default=0.0)
    cap = float(daily_cap) if daily_cap is not None else None
    # Show the cap line only when it is in the bars' range; a far-away cap would flatten every bar.
    show_cap = cap is not None and 0 < cap <= max(highest, 0.01) * 3
    step = nice_step(max(highest, cap if show_cap else 0.0, 1.0))
    top = step * math.ceil(max(highest, cap if show_cap else 0.0, 1.0) / step)

    def y(value: float) -> float:
        return TOP + plot_h - (value / top) * plot_h

    parts: list[SafeString] = []
    tick = 0.0
    while tick <= top + 1e-9:
        parts.append(
            format_html(
                '<line class="sora-chart__grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="sora-chart__label" x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                _n(y(tick)),
                _n(y(tick)),
                LEFT - 6,
                _n(y(tick) + 4),
                money(Decimal(str(round(tick, 2)))),
            )
        )
        tick += step
    slot = plot_w / max(len(bars), 1)
    bar_w = max(slot * 0.7, 1.0)
    label_every = max(1, math.ceil(len(bars) / 8))
    for index, bar in enumerate(bars):
        x = LEFT + index * slot + (slot - bar_w) / 2
        base = 0.0
        rects: list[SafeString] = []
        for field, css in SEGMENTS:
            value = float(getattr(bar, field))
            if value <= 0:
                continue
            rects.append(
                format_html(
                    '<rect class="sora-bar {}" x="{}" y="{}" width="{}" height="{}"/>',
                    css,
                    _n(x),
                    _n(y(base + value)),
                    _n(bar_w),
                    _n(max(y(base) - y(base + value), 0.5)),
                )
            )
            base += value
        # An invisible full-height target, so the tooltip works on days with no spend too.
        rects.append(
            format_html(
                '<rect class="sora-chart__hit" x="{}" y="{}" width="{}" height="{}"/>', _n(x), TOP, _n(bar_w), plot_h
            )
        )
        parts.append(format_html("<g><title>{}</title>{}</g>", _tooltip(bar), mark_safe("".join(rects))))
        last = len(bars) - 1
        # Every few days, and always the last day, but never two labels on top of each other.
        if index == last or (index % label_every == 0 and last - index >= label_every / 2):
            parts.append(
                format_html(
                    '<text class="sora-chart__label" x="{}" y="{}" text-anchor="middle">{}</text>',
                    _n(LEFT + index * slot + slot / 2),
                    HEIGHT - 10,
                    date_format(bar.day, "n/j"),
                )
            )
    if show_cap:
        parts.append(
            format_html(
                '<line class="sora-chart__cap" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="sora-chart__cap-label" x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                _n(y(cap)),
                _n(y(cap)),
                WIDTH - RIGHT - 4,
                _n(y(cap) - 5),
                _("daily cap %(cap)s") % {"cap": money(daily_cap)},
            )
        )
    if highest == 0:
        parts.append(
            format_html(
                '<text class="sora-chart__empty" x="{}" y="{}" text-anchor="middle">{}</text>',
                _n(LEFT + plot_w / 2),
                _n(TOP + plot_h / 2),
                _("Nothing spent in this period."),
            )
        )
    # Every piece above comes from format_html, so joining them keeps the escaping.
    return format_html(
        '<svg class="sora-chart" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg">{}</svg>',
        WIDTH,
        HEIGHT,
        _("Spend per day"),
        mark_safe("".join(parts)),
    )
