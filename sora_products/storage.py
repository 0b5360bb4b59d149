"""Where generated files go: the STORAGES alias named in settings, else the default storage."""

from __future__ import annotations

import uuid

from django.core.files.storage import Storage, storages
from django.core.files.storage.handler import InvalidStorageError


class StorageUnavailable(Exception):
    """The media storage did not read or take a file (down, refusing writes): the step is tried again later."""


def get_video_storage() -> Storage:
    """A callable, so migrations never freeze a storage backend (Wagtail renditions do the same)."""
    from sora_products.conf import app_settings

    try:
        return storages[app_settings.STORAGE]
    except InvalidStorageError:
        return storages["default"]


def _unique_name(folder: str, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"sora_products/{folder}/{uuid.uuid4().hex}.{extension}"


def reference_upload_to(instance: object, filename: str) -> str:
    return _unique_name("references", filename)


def video_upload_to(instance: object, filename: str) -> str:
    return _unique_name("videos", filename)


def poster_upload_to(instance: object, filename: str) -> str:
    return _unique_name("posters", filename)
