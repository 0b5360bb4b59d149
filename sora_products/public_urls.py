"""Absolute URLs of files in the shop's storage, for providers that fetch them (a video to edit, say).

Storages such as S3 give absolute (and, when private, pre-signed) URLs themselves; local storage gives
``/media/…``, which is joined to the PUBLIC_URL setting, the address the shop is reached at.
"""

from __future__ import annotations

from urllib.parse import urljoin

from django.db.models.fields.files import FieldFile

from sora_products.conf import app_settings


def public_url(path_or_url: str) -> str | None:
    """``path_or_url`` made absolute with PUBLIC_URL; None when it is relative and PUBLIC_URL is unset."""
    if path_or_url.startswith(("https://", "http://")):
        return path_or_url
    base = str(app_settings.PUBLIC_URL or "")
    if not base:
        return None
    return urljoin(base.rstrip("/") + "/", path_or_url.lstrip("/"))


def public_file_url(field_file: FieldFile | None) -> str | None:
    """Where a provider can download this stored file from, or None when there is no such address."""
    if not field_file or not field_file.name:
        return None
    try:
        url = field_file.url
    except ValueError:
        return None
    return public_url(url)
