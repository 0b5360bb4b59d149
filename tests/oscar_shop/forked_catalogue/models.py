from oscar.apps.catalogue.abstract_models import AbstractProduct


class Product(AbstractProduct):
    """The shop's own Product: the image captioned "main" is its primary image, whatever its display order."""

    def primary_image(self):
        return self.images.filter(caption="main").first() or super().primary_image()


from oscar.apps.catalogue.models import *  # noqa: E402,F401,F403 - Oscar's fork layout: the rest stays Oscar's
