"""Reading the Spend ledger the way the budget counts it: settled amounts, open holds and billed refusals."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Case, DecimalField, F, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from sora_products.models import ProductVideo, Spend, SpendKind

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def committed_sum(kind: str | None = None, prefix: str = "") -> Coalesce:
    """Sum of what counts against the budget (of one kind only, when given); ``prefix`` reaches Spend via a relation."""
    settled = When(
        **{f"{prefix}kind": SpendKind.SETTLED},
        then=Coalesce(F(f"{prefix}settled_amount"), F(f"{prefix}amount")),
    )
    held = When(**{f"{prefix}kind__in": [SpendKind.RESERVED, SpendKind.LOSS]}, then=F(f"{prefix}amount"))
    if kind == SpendKind.SETTLED:
        whens = [settled]
    elif kind is not None:
        whens = [When(**{f"{prefix}kind": kind}, then=F(f"{prefix}amount"))]
    else:
        whens = [settled, held]
    return Coalesce(Sum(Case(*whens, default=Value(ZERO), output_field=MONEY)), Value(ZERO), output_field=MONEY)


def spent_subquery() -> Subquery:
    """Per-video spend as a subquery, so a list can show it without a join that groups its rows."""
    per_video = (
        Spend.objects.filter(video=OuterRef("pk"))
        .order_by()
        .values("video")
        .annotate(total=committed_sum())
        .values("total")
    )
    return Coalesce(Subquery(per_video, output_field=MONEY), Value(ZERO), output_field=MONEY)


def spent_on(video: ProductVideo) -> Decimal:
    """What one video has cost so far; uses the list's annotation when the row has it."""
    annotated = getattr(video, "sora_spent", None)
    if annotated is not None:
        return Decimal(annotated)
    return Decimal(video.spends.aggregate(total=committed_sum())["total"] or ZERO)
