"""How sora_products reads django-oscar's catalogue Product: title, description, primary image, class and categories."""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.db import models
from django.utils.html import strip_tags

from sora_products.catalog import ProductAdapter

COLOUR_ATTRIBUTES = ("colour", "color")


class OscarProductAdapter(ProductAdapter):
    """Oscar's Product (forked or not); its ProductImage rows are the photos, and variants share their parent's videos.

    A child product (variant) shows its parent's video and pays for none of its own, unless
    ``child_videos`` is true (SORA_PRODUCTS["OSCAR"]["CHILD_VIDEOS"]) and it has a photo of its own.
    """

    child_videos: bool | None = None

    def __init__(self, model: type[models.Model], **options: Any) -> None:
        super().__init__(model, **options)
        if self.image_model is None:
            # ProductImage's foreign key to the product is named "images" on the product side, in forks too.
            self.image_model = model._meta.get_field("images").related_model

    def shares_parent_videos(self, product: models.Model) -> bool:
        if not (getattr(product, "is_child", False) and product.parent_id):
            return False
        return not (self._child_videos() and self.primary_image_row(product) is not None)

    def _child_videos(self) -> bool:
        if self.child_videos is not None:
            return bool(self.child_videos)
        from sora_products.conf import app_settings

        return bool(app_settings.OSCAR["CHILD_VIDEOS"])

    def get_video_product(self, product: models.Model) -> models.Model:
        return product.parent if self.shares_parent_videos(product) else product

    def get_dependent_products(self, product: models.Model) -> list[models.Model]:
        """A parent's variants with videos of their own (CHILD_VIDEOS): their prompts quote the parent's text."""
        if not (getattr(product, "is_parent", False) and self._child_videos()):
            return []
        return [child for child in product.children.all() if not self.shares_parent_videos(child)]

    def primary_image_row(self, product: models.Model) -> models.Model | None:
        """The product's own first image by ``display_order`` (never its parent's), or None."""
        if product.pk is None:
            return None
        return product.images.order_by("display_order", "pk").first()

    def get_source_image(self, product: models.Model) -> File | None:
        """The photo Oscar shows for the product: its ``primary_image()``, which a forked catalogue may redefine.

        Oscar's "missing image" placeholder (a dict with ``is_missing``) is nothing to make a video from.
        """
        if product.pk is None:
            return None
        image = product.primary_image()
        if isinstance(image, dict) or image is None:
            return None
        original = getattr(image, "original", None)
        return original if original else None

    def get_product_for_image(self, image: models.Model) -> models.Model | None:
        return image.product

    def get_title(self, product: models.Model) -> str:
        return str(product.get_title() or "")

    def get_description(self, product: models.Model) -> str:
        description = product.description
        if not description and getattr(product, "is_child", False) and product.parent_id:
            description = product.parent.description
        return " ".join(strip_tags(description or "").split())

    def get_colour(self, product: models.Model) -> str:
        try:
            values = {value.attribute.code: value for value in product.get_attribute_values()}
        except Exception:  # attributes are optional in a fork; the colour is only a prompt hint
            return ""
        for code in COLOUR_ATTRIBUTES:
            if code in values:
                return str(values[code].value_as_text)
        return ""

    def category_names(self, product: models.Model) -> list[str]:
        """The product class, then each browsable category with its ancestors: what decides "wearable"."""
        names = []
        product_class = product.get_product_class()
        if product_class is not None:
            names += [product_class.name, product_class.slug]
        for category in product.get_categories():
            for node in category.get_ancestors_and_self():
                names += [node.name, node.slug]
        return [name for name in names if name]

    def get_category(self, product: models.Model) -> str:
        product_class = product.get_product_class()
        if product_class is not None and product_class.name:
            return product_class.name
        category = next(iter(product.get_categories()), None)
        return category.name if category is not None else ""

    def is_wearable(self, product: models.Model) -> bool:
        wearable = self.wearable_set()
        return any(name.strip().lower() in wearable for name in self.category_names(product))

    def snapshot(self, values: dict[str, Any]) -> tuple | None:
        return None  # the photos, the class and the categories live in other tables
