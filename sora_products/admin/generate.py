"""What a "Generate video" click would make and cost, and making it: shared by the action and the button."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _

from sora_products import budget, jobs
from sora_products.admin.display import money
from sora_products.catalog import RegistrationError, get_adapter
from sora_products.conf import app_settings
from sora_products.labels import preset_label
from sora_products.models import Origin, ProductVideo, VideoStatus
from sora_products.specs import SpecError, VideoSpec, build_spec, preset_model

MAX_PRODUCTS = 100
"""One click asks for at most this many products' videos, so a stray "select all" cannot spend a fortune."""


def too_many(request, products) -> bool:
    """Tell staff when a selection passes MAX_PRODUCTS; True then, and nothing is asked for."""
    from django.contrib import messages

    if len(products) <= MAX_PRODUCTS:
        return False
    messages.error(
        request,
        _("Select at most %(limit)d products at a time; you selected %(count)d.")
        % {"limit": MAX_PRODUCTS, "count": len(products)},
    )
    return True

RETRYABLE = (VideoStatus.FAILED, VideoStatus.CANCELED)


@dataclass
class Skipped:
    product: models.Model
    reason: str

    @property
    def message(self) -> str:
        return _("“%(product)s”: %(reason)s") % {"product": self.product, "reason": self.reason}


@dataclass
class PresetPlan:
    """One preset over the selected products: what would be made, what exists, what cannot be made."""

    name: str
    label: str
    size: str = ""
    seconds: int = 0
    model: str = ""
    to_make: list[tuple[models.Model, VideoSpec]] = field(default_factory=list)
    to_retry: list[ProductVideo] = field(default_factory=list)
    existing: list[ProductVideo] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    estimate: budget.Estimate = budget.Estimate(0, Decimal("0"), 0)
    # With several providers in the preset's route: (provider, model, price of one video or "") in order.
    route_prices: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def paid_count(self) -> int:
        return len(self.to_make) + len(self.to_retry)

    @property
    def cost_text(self) -> str:
        return money(self.estimate.total)


def missing_photo_reason() -> str:
    return _("The product has no photo; add one and save the product, then generate again.")


def _check_product(product: models.Model, preset: str) -> VideoSpec | Skipped:
    try:
        adapter = get_adapter(product)
    except RegistrationError:
        return Skipped(product, _("This kind of product is not registered with sora_products."))
    if adapter.get_source_image(product) is None:
        return Skipped(product, missing_photo_reason())
    try:
        return build_spec(product, adapter, preset)
    except SpecError as exc:
        return Skipped(product, str(exc))


def _existing(products: Sequence[models.Model], specs: list[VideoSpec]) -> dict[tuple[str, str], ProductVideo]:
    if not products:
        return {}
    content_type = ContentType.objects.get_for_model(products[0], for_concrete_model=True)
    rows = ProductVideo.objects.filter(
        content_type=content_type,
        object_id__in=[str(product.pk) for product in products],
        spec_key__in=[spec.spec_key for spec in specs],
    )
    return {(row.object_id, row.spec_key): row for row in rows}


def plan_preset(products: Sequence[models.Model], preset: str) -> PresetPlan:
    """Build the spec of one preset for every product, without creating anything."""
    plan = PresetPlan(name=preset, label=preset_label(preset))
    options = app_settings.PRESETS.get(preset, {})
    plan.size, plan.seconds = options.get("SIZE", ""), int(options.get("SECONDS") or 0)
    plan.model = preset_model(options) if options else ""
    plan.route_prices = route_prices(options, plan.size, plan.seconds)
    checked = [(product, _check_product(product, preset)) for product in products]
    specs = [spec for _product, spec in checked if isinstance(spec, VideoSpec)]
    existing = _existing(products, specs)
    for product, outcome in checked:
        if isinstance(outcome, Skipped):
            plan.skipped.append(outcome)
            continue
        row = existing.get((str(product.pk), outcome.spec_key))
        if row is None:
            plan.to_make.append((product, outcome))
        elif row.status in RETRYABLE:
            plan.to_retry.append(row)
        else:
            plan.existing.append(row)
    plan.estimate = budget.estimate_many(
        [(spec.provider, spec.model, spec.size, spec.seconds) for _product, spec in plan.to_make]
        + [(row.provider, row.model, row.size, row.seconds) for row in plan.to_retry]
    )
    return plan


def route_prices(preset: dict, size: str, seconds: int) -> list[tuple[str, str, str]]:
    """Each provider of a routed preset with what one video costs there; empty for a single provider."""
    route = preset.get("ROUTE") or []
    if len(route) < 2:
        return []
    prices = []
    for entry in route:
        alias = entry["NAME"]
        model = entry["MODEL"] or app_settings.PROVIDERS.get(alias, {}).get("MODEL") or ""
        try:
            price = money(budget.estimate_cost(alias, model, size, seconds))
        except budget.UnknownPrice:
            price = ""
        prices.append((alias, model, price))
    return prices


def plan_all(products: Sequence[models.Model]) -> list[PresetPlan]:
    return [plan_preset(products, name) for name in app_settings.PRESETS]


@dataclass
class Outcome:
    created: list[ProductVideo] = field(default_factory=list)
    retried: list[ProductVideo] = field(default_factory=list)
    existing: list[ProductVideo] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def started(self) -> list[ProductVideo]:
        return self.created + self.retried


def generate(products: Sequence[models.Model], preset: str) -> Outcome:
    """Ask for one preset's video of each product; a failed or canceled one is retried, others kept."""
    outcome = Outcome()
    with transaction.atomic():
        for product in products:
            checked = _check_product(product, preset)
            if isinstance(checked, Skipped):
                outcome.skipped.append(checked)
                continue
            try:
                video, created = jobs.request_video(product, preset, origin=Origin.ADMIN)
            except SpecError as exc:
                outcome.skipped.append(Skipped(product, str(exc)))
                continue
            if created:
                outcome.created.append(video)
            elif video.status in RETRYABLE and jobs.retry(video):
                outcome.retried.append(video)
            else:
                outcome.existing.append(video)
    return outcome
