"""Product models as other shops have them: UUID keys, photos in a related image model."""

import uuid

from django.db import models


class Gadget(models.Model):
    """A plain model with a UUID key and differently named fields."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    photo = models.ImageField(upload_to="gadgets/", blank=True)
    kind = models.CharField(max_length=50, blank=True)

    def __str__(self) -> str:
        return self.title


class Garment(models.Model):
    """A product whose photos live in GarmentImage rows, like django-oscar's."""

    title = models.CharField(max_length=200)
    colour = models.CharField(max_length=50, blank=True)
    category = models.CharField(max_length=50, default="apparel")

    def __str__(self) -> str:
        return self.title


class GarmentImage(models.Model):
    product = models.ForeignKey(Garment, related_name="images", on_delete=models.CASCADE)
    original = models.ImageField(upload_to="garments/")
    display_order = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"image {self.pk} of {self.product_id}"
