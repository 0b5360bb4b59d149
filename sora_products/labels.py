"""The names people read for presets, shared by the admin and the models' own descriptions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sora_products.conf import app_settings

PRESET_LABELS = {
    "showcase": _("Showcase, portrait"),
    "showcase_wide": _("Showcase, landscape"),
    "worn": _("Worn by a model"),
}


def preset_label(name: str) -> str:
    """A person's name for a preset: the LABEL option, a built-in label, or the key made readable."""
    preset = app_settings.PRESETS.get(name) or {}
    label = preset.get("LABEL") or PRESET_LABELS.get(name)
    return str(label) if label else name.replace("_", " ").capitalize()
