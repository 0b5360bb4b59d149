"""Provider instances by alias, built from SORA_PRODUCTS["PROVIDERS"] like Django's ``caches``."""

from __future__ import annotations

import logging
from typing import Any

from django.core.signals import setting_changed
from django.urls import reverse
from django.utils.translation import gettext as _

from sora_products.conf import FAL_BACKEND, SETTING_NAME, app_settings
from sora_products.providers import ProviderError, VideoProvider, build_provider
from sora_products.public_urls import public_url

logger = logging.getLogger(__name__)

_instances: dict[str, VideoProvider] = {}


def provider_options(alias: str) -> dict[str, Any]:
    options = dict(app_settings.PROVIDERS[alias])
    if options.get("EMULATOR") and not options.get("API_KEY"):
        options["API_KEY"] = "emulator"
    if options.get("BACKEND") == FAL_BACKEND and options.get("WEBHOOKS") and not options.get("WEBHOOK_URL"):
        # fal posts to the address given with each submit: the shop's public URL of this provider's endpoint.
        options["WEBHOOK_URL"] = public_url(reverse("sora_products:fal-webhook", kwargs={"alias": alias}))
    return options


def get_provider(alias: str) -> VideoProvider:
    """The provider named ``alias``; KeyError when settings do not define it."""
    if alias not in _instances:
        _instances[alias] = build_provider(provider_options(alias))
    return _instances[alias]


def reset_providers(*, setting: str = SETTING_NAME, **kwargs: Any) -> None:
    if setting == SETTING_NAME:
        for provider in _instances.values():
            provider.close()  # their connection pools would otherwise linger
        _instances.clear()


setting_changed.connect(reset_providers)


def try_delete_remote(video: Any, remote_id: str | None = None) -> None:
    """Ask the provider to drop a job of ``video`` (its own by default) we no longer want; a kept one costs no more."""
    remote_id = remote_id or video.remote_id
    try:
        get_provider(video.provider).delete(remote_id)
    except ProviderError:
        logger.info("Provider kept job %s of canceled video %s", remote_id, video.pk)


def refused_message(exc: Exception) -> str:
    return _(
        "The provider refused this video (%(reason)s). Photos with faces, real people or brand logos are "
        "often refused; try another photo or change the product text."
    ) % {"reason": str(exc)}
