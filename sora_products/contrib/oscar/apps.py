from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SoraProductsOscarConfig(AppConfig):
    """Listed after Oscar's apps; Oscar's own app already holds the label ``oscar``."""

    name = "sora_products.contrib.oscar"
    label = "sora_products_oscar"
    verbose_name = _("Product videos for django-oscar")

    def ready(self) -> None:
        """Register Oscar's Product unless the shop registered it itself, join Oscar's dashboard, admin and signals."""
        from sora_products.contrib.oscar import conversions, dashboard, product_admin
        from sora_products.contrib.oscar.registration import register_oscar_product

        register_oscar_product()
        conversions.connect()  # add-to-basket and orders count for the storefront's experiments
        dashboard.add_navigation()
        product_admin.add_video_actions()
