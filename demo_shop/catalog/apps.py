from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "demo_shop.catalog"
    label = "catalog"
    verbose_name = _("Catalog")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the shop's Product with sora_products, the way any shop would."""
        import sora_products

        from .models import Product

        if not sora_products.catalog.is_registered(Product):
            sora_products.register(Product, image_field="image", title_field="name", colour_field="colour")
