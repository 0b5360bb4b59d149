"""schema.org VideoObject JSON-LD for a product video, serialised the way ``json_script`` does it."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sora_products.storefront import LiveVideo

# The escapes of django.utils.html.json_script: no "<", ">" or "&" survives, so product text
# cannot close the script element or open a comment, whatever it contains.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def ld_json_script(data: dict[str, Any]) -> SafeString:
    """``<script type="application/ld+json">`` with json_script's escaping (its type is fixed to JSON)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 - escaped above


def absolute(url: str, request: HttpRequest | None) -> str:
    return request.build_absolute_uri(url) if request is not None and url else url


def video_object(video: LiveVideo, title: str, description: str, request: HttpRequest | None) -> dict[str, Any]:
    """The VideoObject fields search engines need: name, description, thumbnail, upload date, file, length.

    The description always says the video is AI-generated, as the player's label and the clip's own
    Content Credentials (trainedAlgorithmicMedia) do: the product's text alone would read as filmed."""
    generated = _("AI-generated video of %(title)s.") % {"title": title}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "name": title,
        "description": f"{generated} {description}"[:300].strip() if description else generated,
        "contentUrl": absolute(video.video_url, request),
        "duration": f"PT{int(video.seconds)}S",
    }
    if video.poster_url:
        data["thumbnailUrl"] = absolute(video.poster_url, request)
    if video.completed_at:
        data["uploadDate"] = video.completed_at.isoformat()
    return data
