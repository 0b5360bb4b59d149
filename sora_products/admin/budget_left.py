"""How much of each budget cap is used and left, from the ledger and SORA_PRODUCTS["BUDGET"]."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sora_products import budget
from sora_products.admin.display import money
from sora_products.conf import app_settings


@dataclass(frozen=True)
class BudgetLine:
    key: str
    label: str
    used: Decimal
    cap: Decimal | None

    @property
    def left(self) -> Decimal | None:
        return None if self.cap is None else max(self.cap - self.used, Decimal("0"))

    @property
    def used_text(self) -> str:
        return money(self.used)

    @property
    def cap_text(self) -> str:
        return money(self.cap) if self.cap is not None else ""

    @property
    def left_text(self) -> str:
        return money(self.left) if self.cap is not None else ""

    @property
    def percent_used(self) -> int:
        """0–100 for a bar; a cap of zero counts as fully used."""
        if self.cap is None:
            return 0
        if self.cap <= 0:
            return 100
        return min(int(self.used * 100 / self.cap), 100)


def _cap(key: str) -> Decimal | None:
    value = app_settings.BUDGET.get(key)
    return None if value is None else Decimal(str(value))


def budget_lines(today: datetime.date | None = None, *, shopper: bool = True) -> list[BudgetLine]:
    """Today, this month and (optionally) shoppers today: committed spend against each cap."""
    today = today or timezone.localdate()
    lines = [
        BudgetLine("daily", str(_("Today")), budget.committed_total(today), _cap("DAILY")),
        BudgetLine("monthly", str(_("This month")), budget.committed_total(today.replace(day=1)), _cap("MONTHLY")),
    ]
    if shopper:
        lines.append(
            BudgetLine(
                "shopper_daily",
                str(_("Shopper try-ons today")),
                budget.committed_total(today, shopper_only=True),
                _cap("SHOPPER_DAILY"),
            )
        )
    return lines


def smallest_left(lines: list[BudgetLine]) -> Decimal | None:
    """The tightest cap's room, which is what a new admin video can spend; None when nothing is capped."""
    lefts = [line.left for line in lines if line.left is not None]
    return min(lefts) if lefts else None
