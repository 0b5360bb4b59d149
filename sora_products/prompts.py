"""Prompt rendering: presets are Django templates, product text enters only sanitised slots."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.template import Context
from django.template.loader import get_template

_WHITESPACE = re.compile(r"\s+")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
# Characters that could close a quoted slot or open markup that reads like an instruction.
_SLOT_BREAKERS = str.maketrans(
    {'"': "'", "\u201c": "'", "\u201d": "'", "`": "'", "<": "(", ">": ")", "{": "(", "}": ")"}
)


def _clean_char(ch: str) -> str:
    """Separators become spaces; control, format, private and unassigned characters go."""
    category = unicodedata.category(ch)
    if category.startswith("Z") or ch in "\t\n\r\x0b\x0c\x85":
        return " "
    return "" if category.startswith("C") else ch


def clean_slot(value: Any, limit: int) -> str:
    """Product text made safe to quote: one line, no control characters or URLs, capped."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = "".join(_clean_char(ch) for ch in text)
    text = _URL.sub("", text).translate(_SLOT_BREAKERS)
    text = _WHITESPACE.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: max(limit - 1, 0)].rstrip() + "\u2026"
    return text


def template_name(preset: str) -> str:
    return f"sora_products/prompts/{preset}.txt"


def render_prompt(preset: str, context: dict[str, Any]) -> str:
    """Render the preset's prompt template as plain text (no HTML escaping) on one paragraph."""
    backend_template = get_template(template_name(preset))
    template = getattr(backend_template, "template", backend_template)
    text = template.render(Context(context, autoescape=False))
    lines = [line.strip() for line in text.splitlines()]
    return _WHITESPACE.sub(" ", " ".join(line for line in lines if line)).strip()
