"""The "Product videos" entry in Oscar's dashboard navigation: the video list, the costs page and Generate.

The pages are the Django admin's; each child shows only to staff who may open it, and none when the
admin is not mounted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from sora_products.admin import permissions

VIDEOS = "admin:sora_products_productvideo_changelist"
COSTS = "admin:sora_products_spend_changelist"
# Generate works on the products the admin lists: select them and run "Generate video".
GENERATE = "admin:catalogue_product_changelist"

NEEDS: dict[str, tuple[str, ...]] = {
    VIDEOS: permissions.VIEW_VIDEOS,
    COSTS: (permissions.VIEW_COSTS,),
    GENERATE: (permissions.GENERATE,),
}
# The Generate page is the product list itself, so it also needs the right to see products.
ALSO_NEEDS: dict[str, tuple[str, ...]] = {GENERATE: ("catalogue.view_product", "catalogue.change_product")}
ENTRY_LABEL = "sora_products"


def can_open(user: Any, url_name: str | None, url_args: Any = None, url_kwargs: Any = None) -> bool:
    """Oscar's access_fn: active staff holding one of the page's permissions, when the page exists."""
    if url_name is None:
        return bool(user.is_active and user.is_staff)  # the heading: Oscar hides it when no child shows
    try:
        reverse(url_name, args=url_args, kwargs=url_kwargs)
    except NoReverseMatch:
        return False
    if not (user.is_active and user.is_staff):
        return False
    needs = [NEEDS.get(url_name, ()), *([ALSO_NEEDS[url_name]] if url_name in ALSO_NEEDS else [])]
    if not all(any(user.has_perm(permission) for permission in one_of) for one_of in needs):
        return False
    return url_name != GENERATE or product_admin_generates()


def product_admin_generates() -> bool:
    """Whether the product list offers "Generate video" (the admin swap is on, or the shop mixed it in)."""
    from django.contrib import admin

    from sora_products.admin import VideoProductAdminMixin
    from sora_products.contrib.oscar.registration import oscar_product_model

    model = oscar_product_model()
    return admin.site.is_registered(model) and isinstance(admin.site.get_model_admin(model), VideoProductAdminMixin)


def navigation_entry() -> dict[str, Any]:
    children = [
        {"label": _("Videos"), "url_name": VIDEOS, "access_fn": can_open},
        {"label": _("Generate videos"), "url_name": GENERATE, "access_fn": can_open},
        {"label": _("Video costs"), "url_name": COSTS, "access_fn": can_open},
    ]
    return {
        "label": _("Product videos"),
        "icon": "fas fa-film",
        "children": children,
        "access_fn": can_open,
        "sora_products": ENTRY_LABEL,
    }


def add_navigation() -> None:
    """Append the entry to OSCAR_DASHBOARD_NAVIGATION once, unless SORA_PRODUCTS["OSCAR"] turns it off."""
    from sora_products.conf import app_settings

    if not app_settings.OSCAR["DASHBOARD_NAVIGATION"]:
        return
    navigation = list(getattr(settings, "OSCAR_DASHBOARD_NAVIGATION", None) or [])
    if any(item.get("sora_products") == ENTRY_LABEL for item in navigation):
        return
    # A new list: the shop's settings may hold oscar.defaults' own list object.
    settings.OSCAR_DASHBOARD_NAVIGATION = [*navigation, navigation_entry()]
