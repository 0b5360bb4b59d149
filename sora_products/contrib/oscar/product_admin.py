"""The video actions on Oscar's Product admin: its registered ModelAdmin, subclassed with VideoProductAdminMixin."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.contrib import admin

from sora_products.admin import VideoProductAdminMixin
from sora_products.contrib.oscar.registration import oscar_product_model


def add_video_actions(site: admin.AdminSite = admin.site) -> None:
    """Swap Oscar's ProductAdmin for a subclass with the mixin, unless SORA_PRODUCTS["OSCAR"] turns it off.

    A shop that already mixed it in (the README shows how) keeps its own class.
    """
    from sora_products.conf import app_settings

    if not app_settings.OSCAR["PRODUCT_ADMIN"] or not apps.is_installed("django.contrib.admin"):
        return
    model = oscar_product_model()
    if not site.is_registered(model):
        # Oscar's catalogue admin registers Product on import; admin autodiscovery may not have run yet.
        admin_module = f"{apps.get_containing_app_config(model.__module__).name}.admin"
        try:
            import_module(admin_module)
        except ModuleNotFoundError as exc:
            if exc.name != admin_module:  # an import error inside the shop's own admin module is the shop's to see
                raise
            return
    if not site.is_registered(model):
        return
    current = site.get_model_admin(model)
    if isinstance(current, VideoProductAdminMixin):
        return
    admin_class = type(current)
    video_admin = type(admin_class.__name__, (VideoProductAdminMixin, admin_class), {"__module__": __name__})
    site.unregister(model)
    site.register(model, video_admin)
