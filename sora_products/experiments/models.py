"""An experiment's definition and each enrolled visitor's row: which arm, and which events it has reached.

A visitor counts once per event however often it repeats (the row holds a flag per event, set at most
once), which is both the per-visitor cap and what the always-valid statistics need: visitors and
converted visitors per arm.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

VIDEO_ARM = "video:"


class Scope(models.TextChoices):
    PRODUCT = "product", _("One product")
    CATEGORY = "category", _("One category")
    SHOP = "shop", _("The whole shop")


class Goal(models.TextChoices):
    ADD_TO_BASKET = "add_to_basket", _("Add to basket")
    ORDER = "order", _("Order")


class ArmChoice(models.TextChoices):
    CONTROL = "control", _("Control")
    TREATMENT = "treatment", _("Treatment")


class Experiment(models.Model):
    """Shoppers split between two arms: each arm shows a preset's live video, or the photo only (no preset)."""

    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.SHOP)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("product type")
    )
    object_id = models.CharField(_("product id"), max_length=191, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    control_preset = models.CharField(
        _("control shows"), max_length=50, blank=True, help_text=_("A video preset, or empty for the photo only.")
    )
    treatment_preset = models.CharField(
        _("treatment shows"), max_length=50, default="showcase", blank=True, help_text=_("A video preset.")
    )
    control_video = models.ForeignKey(
        "sora_products.ProductVideo", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("control video"), help_text=_("One product's experiment only: this video (a remix, say)."),
    )  # fmt: skip
    treatment_video = models.ForeignKey(
        "sora_products.ProductVideo", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("treatment video"), help_text=_("One product's experiment only: this video (a remix, say)."),
    )  # fmt: skip
    treatment_share = models.FloatField(
        _("treatment share"), default=0.5, help_text=_("The share of visitors shown the treatment, between 0 and 1.")
    )
    goal = models.CharField(_("goal"), max_length=20, choices=Goal.choices, default=Goal.ADD_TO_BASKET)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    winner = models.CharField(_("kept arm"), max_length=10, choices=ArmChoice.choices, blank=True)

    class Meta:
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def running(self) -> bool:
        return self.ended_at is None

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from sora_products.conf import app_settings

        errors = {}
        if not 0 < self.treatment_share < 1:
            errors["treatment_share"] = _("Give a share between 0 and 1, for example 0.5 for half the visitors.")
        for name in ("control_preset", "treatment_preset"):
            value = getattr(self, name)
            if value and value not in app_settings.PRESETS:
                errors[name] = _("There is no video preset called “%(name)s”.") % {"name": value}
        if not (self.treatment_preset or self.treatment_video_id):
            errors["treatment_preset"] = _("The treatment shows a video: name its preset, or the video itself.")
        elif self.shows(ArmChoice.TREATMENT) == self.shows(ArmChoice.CONTROL):
            errors["treatment_preset"] = _("Both arms would show the same thing; pick another preset.")
        for name in ("control_video", "treatment_video"):
            video = getattr(self, name)
            if video is None:
                continue
            if self.scope != Scope.PRODUCT:
                errors[name] = _("A particular video can only be an arm of one product's experiment.")
            elif (video.content_type_id, video.object_id) != (self.content_type_id, self.object_id):
                errors[name] = _("This video is of another product.")
        if self.scope == Scope.PRODUCT and not (self.content_type_id and self.object_id):
            errors["object_id"] = _("Say which product: its type and id.")
        if self.scope == Scope.CATEGORY and not self.category.strip():
            errors["category"] = _("Say which category, as the products' category value.")
        if not errors and self.running and self.overlapping().exists():
            errors["scope"] = _("Another running experiment already covers this; end it first.")
        if errors:
            raise ValidationError(errors)

    def overlapping(self) -> models.QuerySet:
        """Running experiments over the same product, category or shop: the newer one would take all its visitors."""
        same = Experiment.objects.filter(ended_at__isnull=True, scope=self.scope).exclude(pk=self.pk)
        if self.scope == Scope.PRODUCT:
            return same.filter(content_type_id=self.content_type_id, object_id=self.object_id)
        if self.scope == Scope.CATEGORY:
            return same.filter(category__iexact=self.category.strip())
        return same

    def shows(self, arm: str) -> str:
        """What an arm shows: a preset, "video:<id>" for one particular video, or "" for the photo only."""
        video_id = self.treatment_video_id if arm == ArmChoice.TREATMENT else self.control_video_id
        if video_id:
            return f"{VIDEO_ARM}{video_id}"
        return self.treatment_preset if arm == ArmChoice.TREATMENT else self.control_preset


class Exposure(models.Model):
    """One visitor in one experiment: its arm and the first time it reached each event."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="exposures")
    visitor = models.CharField(max_length=32)
    arm = models.CharField(max_length=10, choices=ArmChoice.choices)
    seen_at = models.DateTimeField(auto_now_add=True)
    played = models.BooleanField(default=False)
    sound_on = models.BooleanField(default=False)
    tried_on = models.BooleanField(default=False)
    added_to_basket = models.BooleanField(default=False)
    ordered = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("experiment visitor")
        verbose_name_plural = _("experiment visitors")
        constraints = [models.UniqueConstraint(fields=["experiment", "visitor"], name="sora_exposure_once")]
        indexes = [models.Index(fields=["visitor"], name="sora_exposure_visitor")]

    def __str__(self) -> str:
        return f"{self.experiment_id}:{self.visitor}:{self.arm}"
