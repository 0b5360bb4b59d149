"""Video-generation backends behind one protocol; see ``base`` for the seam and ``openai`` for a backend.

No Django here: ``build_provider`` takes one plain options dict (a SORA_PRODUCTS["PROVIDERS"] entry).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from sora_products.providers.base import (
    MODERATION_CODES,
    QUOTA_CODES,
    AuthError,
    BadResponse,
    CreateRequest,
    DownloadIncomplete,
    DownloadResult,
    DownloadTooLarge,
    InvalidRequest,
    JobStatus,
    ModelCapabilities,
    ModerationRefused,
    NotFound,
    OutcomeUnknown,
    ProviderCapabilities,
    ProviderError,
    RateLimited,
    ReferenceUpload,
    RemoteJob,
    TransientError,
    VideoProvider,
)

DEFAULT_BACKEND = "sora_products.providers.openai.OpenAIVideosProvider"

__all__ = [
    "MODERATION_CODES",
    "QUOTA_CODES",
    "AuthError",
    "BadResponse",
    "CreateRequest",
    "DownloadIncomplete",
    "DownloadResult",
    "DownloadTooLarge",
    "InvalidRequest",
    "JobStatus",
    "ModelCapabilities",
    "ModerationRefused",
    "NotFound",
    "OutcomeUnknown",
    "ProviderCapabilities",
    "ProviderError",
    "RateLimited",
    "ReferenceUpload",
    "RemoteJob",
    "TransientError",
    "VideoProvider",
    "build_provider",
    "provider_class",
]


def provider_class(dotted_path: str) -> type[VideoProvider]:
    """Import a backend class from its dotted path, with an error that says which setting is wrong."""
    module_name, _, class_name = dotted_path.rpartition(".")
    try:
        cls = getattr(importlib.import_module(module_name), class_name) if module_name else None
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"The provider BACKEND {dotted_path!r} could not be imported: {exc}.") from exc
    if not (isinstance(cls, type) and issubclass(cls, VideoProvider)):
        raise ValueError(f"The provider BACKEND {dotted_path!r} is not a VideoProvider subclass.")
    return cls


def build_provider(options: Mapping[str, Any]) -> VideoProvider:
    """Build the backend named by ``options["BACKEND"]`` (the OpenAI protocol when absent)."""
    return provider_class(options.get("BACKEND") or DEFAULT_BACKEND).from_options(options)
