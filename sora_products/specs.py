"""What to generate for a product: VideoSpec, presets and the try-on profile."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from sora_products.catalog import ProductAdapter
from sora_products.conf import app_settings
from sora_products.prompts import clean_slot, render_prompt


class SpecError(ValueError):
    """A preset cannot be made for this product; the message says why, for a person."""


@dataclass(frozen=True)
class TryOnProfile:
    """A shopper's validated choices; free text never gets in here."""

    height_cm: int
    size: str
    scene: str

    @classmethod
    def from_choices(cls, height_cm: Any, size: Any, scene: Any) -> TryOnProfile:
        """Validate and bucket raw choices (form or JSON values) or raise SpecError."""
        options = app_settings.TRY_ON
        try:
            height = int(str(height_cm).strip())
        except (TypeError, ValueError):
            raise SpecError(_("Choose a height in centimetres.")) from None
        low, high = options["HEIGHT_MIN_CM"], options["HEIGHT_MAX_CM"]
        if not low <= height <= high:
            raise SpecError(_("Choose a height between %(low)d and %(high)d cm.") % {"low": low, "high": high})
        if size not in options["SIZES"]:
            raise SpecError(_("Choose one of the sizes offered."))
        if scene not in options["SCENES"]:
            raise SpecError(_("Choose one of the scenes offered."))
        return cls(height_cm=bucket_height(height), size=str(size), scene=str(scene))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def bucket_height(height_cm: int) -> int:
    """Round a height to the configured step so similar shoppers share one video."""
    options = app_settings.TRY_ON
    step = max(int(options["HEIGHT_STEP_CM"]), 1)
    low = options["HEIGHT_MIN_CM"]
    bucket = low + round((height_cm - low) / step) * step
    return min(max(bucket, low), options["HEIGHT_MAX_CM"])


@dataclass(frozen=True)
class VideoSpec:
    """Everything that decides a generated video; equal specs mean the same paid video."""

    preset: str
    provider: str
    model: str
    size: str
    seconds: int
    prompt: str
    source_key: str
    profile: dict[str, Any] = field(default_factory=dict)

    @property
    def spec_key(self) -> str:
        payload = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def width_height(self) -> tuple[int, int]:
        width, height = self.size.lower().split("x")
        return int(width), int(height)


def get_preset(name: str) -> dict[str, Any]:
    try:
        return app_settings.PRESETS[name]
    except KeyError:
        raise SpecError(_("There is no video preset called “%(name)s”.") % {"name": name}) from None


def preset_model(preset: dict[str, Any]) -> str:
    provider = app_settings.PROVIDERS.get(preset["PROVIDER"], {})
    return preset.get("MODEL") or provider.get("MODEL") or "sora-2"


def prompt_context(adapter: ProductAdapter, product: models.Model, profile: TryOnProfile | None) -> dict[str, Any]:
    limit = int(app_settings.PROMPT_TEXT_LIMIT)
    fields = adapter.get_prompt_fields(product)
    product_slots = {
        key: clean_slot(value, limit if key == "description" else min(limit, 120)) for key, value in fields.items()
    }
    return {"product": product_slots, "profile": profile.as_dict() if profile else None}


def build_spec(
    product: models.Model, adapter: ProductAdapter, preset_name: str, profile: TryOnProfile | None = None
) -> VideoSpec:
    """The VideoSpec of one preset for one product, or SpecError when it does not apply."""
    preset = get_preset(preset_name)
    if preset.get("WEARABLE_ONLY") and not adapter.is_wearable(product):
        raise SpecError(
            _("The “%(preset)s” video is only made for products that can be worn.") % {"preset": preset_name}
        )
    prompt = render_prompt(preset_name, prompt_context(adapter, product, profile))
    return VideoSpec(
        preset=preset_name,
        provider=preset["PROVIDER"],
        model=preset_model(preset),
        size=preset["SIZE"],
        seconds=int(preset["SECONDS"]),
        prompt=prompt,
        source_key=adapter.get_source_key(product),
        profile=profile.as_dict() if profile else {},
    )


def route_model(preset_name: str, alias: str) -> str:
    """The model the preset's route uses at provider ``alias``; SpecError when the route does not name it."""
    route = get_preset(preset_name)["ROUTE"]
    for entry in route:
        if entry["NAME"] == alias:
            return entry["MODEL"] or app_settings.PROVIDERS.get(alias, {}).get("MODEL") or "sora-2"
    raise SpecError(
        _("The “%(preset)s” video is made by %(providers)s, not by “%(provider)s”.")
        % {"preset": preset_name, "providers": ", ".join(f"“{entry['NAME']}”" for entry in route), "provider": alias}
    )


def with_provider(spec: VideoSpec, alias: str) -> VideoSpec:
    """The same video from another provider of its preset's route; a fallback moves on down the route from there."""
    return replace(spec, provider=alias, model=route_model(spec.preset, alias))


def auto_presets() -> list[str]:
    return [name for name, preset in app_settings.PRESETS.items() if preset.get("AUTO")]
