"""Rows the app keeps: one ProductVideo per product and spec, try-on requests, spend, webhooks."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from sora_products.storage import get_video_storage, poster_upload_to, reference_upload_to, video_upload_to


class VideoStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SUBMITTING = "submitting", _("Submitting")
    QUEUED = "queued", _("Queued at provider")
    IN_PROGRESS = "in_progress", _("Generating")
    STORING = "storing", _("Saving video")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    BLOCKED = "blocked", _("Waiting for budget")
    CANCELED = "canceled", _("Canceled")
    NEEDS_REVIEW = "needs_review", _("Needs a person")
    SUPERSEDED = "superseded", _("Superseded")
    HELD = "held", _("Held: the product looks different")


ACTIVE_STATUSES = (
    VideoStatus.REQUESTED,
    VideoStatus.SUBMITTING,
    VideoStatus.QUEUED,
    VideoStatus.IN_PROGRESS,
    VideoStatus.STORING,
    VideoStatus.BLOCKED,
)
TERMINAL_STATUSES = (
    VideoStatus.READY,
    VideoStatus.FAILED,
    VideoStatus.CANCELED,
    VideoStatus.NEEDS_REVIEW,
    VideoStatus.SUPERSEDED,
    VideoStatus.HELD,
)
# Not yet sent to the provider: nothing is reserved or paid, so a change of inputs can still drop it.
UNSENT_STATUSES = (VideoStatus.REQUESTED, VideoStatus.BLOCKED)


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Origin(models.TextChoices):
    AUTO = "auto", _("Product saved")
    ADMIN = "admin", _("Shop admin")
    SHOPPER = "shopper", _("Shopper try-on")
    COMMAND = "command", _("Command line")


class ProductVideoQuerySet(models.QuerySet):
    def for_product(self, product: models.Model) -> ProductVideoQuerySet:
        content_type = ContentType.objects.get_for_model(product, for_concrete_model=True)
        return self.filter(content_type=content_type, object_id=str(product.pk))

    def active(self) -> ProductVideoQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)

    def live(self) -> ProductVideoQuerySet:
        """Videos a shopper may see: stored, current, and approved when approval is required."""
        from sora_products.conf import app_settings

        qs = self.filter(status=VideoStatus.READY, outdated=False)
        if app_settings.REQUIRE_APPROVAL:
            qs = qs.filter(review_state=ReviewState.APPROVED)
        return qs.exclude(review_state=ReviewState.REJECTED)


class ProductVideo(models.Model):
    """A derived video of one product for one spec; the row is the source of truth for its job."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("product type"))
    object_id = models.CharField(_("product id"), max_length=191)
    product = GenericForeignKey("content_type", "object_id")

    preset = models.CharField(_("preset"), max_length=50)
    provider = models.CharField(_("provider"), max_length=50)
    model = models.CharField(_("model"), max_length=100)
    size = models.CharField(_("size"), max_length=20)
    seconds = models.PositiveSmallIntegerField(_("seconds"))
    prompt = models.TextField(_("prompt"))
    profile = models.JSONField(_("try-on profile"), default=dict, blank=True)
    spec_key = models.CharField(_("spec key"), max_length=64, editable=False)
    source_key = models.CharField(_("source key"), max_length=500, blank=True)
    source_hash = models.CharField(_("photo hash"), max_length=64, blank=True)
    inputs_key = models.CharField(_("product inputs key"), max_length=64, blank=True, editable=False)

    reference_image = models.FileField(
        _("reference image"), upload_to=reference_upload_to, storage=get_video_storage, blank=True, max_length=255
    )
    reference_hash = models.CharField(_("reference hash"), max_length=64, blank=True)

    status = models.CharField(_("status"), max_length=20, choices=VideoStatus.choices, default=VideoStatus.REQUESTED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    remote_id = models.CharField(_("provider job id"), max_length=200, null=True, blank=True, unique=True)
    remixed_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="remixes", verbose_name=_("remixed from")
    )
    remix_prompt = models.TextField(_("change asked for"), blank=True)
    origin = models.CharField(_("asked for by"), max_length=20, choices=Origin.choices, default=Origin.AUTO)

    video_file = models.FileField(
        _("video"), upload_to=video_upload_to, storage=get_video_storage, blank=True, max_length=255
    )
    poster = models.FileField(
        _("poster"), upload_to=poster_upload_to, storage=get_video_storage, blank=True, max_length=255
    )
    video_bytes = models.PositiveBigIntegerField(_("video size in bytes"), null=True, blank=True)
    fidelity = models.JSONField(
        _("product fidelity"),
        default=dict,
        blank=True,
        help_text=_("How far the product's colour drifted from the photo."),
    )
    hold_reason = models.TextField(_("why it is held"), blank=True)
    fix_prompt = models.TextField(_("suggested remix"), blank=True)
    provenance = models.JSONField(
        _("content credentials"), default=dict, blank=True, help_text=_("The C2PA manifest read from the stored video.")
    )

    error_code = models.CharField(_("error code"), max_length=100, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    submit_started_at = models.DateTimeField(_("submit started"), null=True, blank=True)
    next_check_at = models.DateTimeField(_("next check"), null=True, blank=True, db_index=True)
    watched_until = models.DateTimeField(
        _("watched until"), null=True, blank=True, help_text=_("A shopper is waiting on this video: polled faster.")
    )
    waits = models.PositiveSmallIntegerField(
        _("waits in a row"), default=0, help_text=_("Provider failures in a row; each doubles the wait.")
    )

    estimated_cost = models.DecimalField(_("estimated cost"), max_digits=10, decimal_places=2, default=Decimal("0"))
    actual_cost = models.DecimalField(_("actual cost"), max_digits=10, decimal_places=2, null=True, blank=True)

    review_state = models.CharField(
        _("review"), max_length=20, choices=ReviewState.choices, default=ReviewState.PENDING
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    outdated = models.BooleanField(
        _("outdated"), default=False, help_text=_("The product changed after this video was asked for.")
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    expires_at = models.DateTimeField(_("provider link expires"), null=True, blank=True)

    objects = ProductVideoQuerySet.as_manager()

    class Meta:
        verbose_name = _("product video")
        verbose_name_plural = _("product videos")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "spec_key"], name="sora_products_unique_video"
            ),
        ]
        indexes = [
            # Status last: SQLite, which keeps no statistics unless ANALYZE runs, then prefers this index to
            # the status one for the storefront's lookup instead of scanning every ready video.
            models.Index(fields=["content_type", "object_id", "preset", "status"], name="sora_products_product_live"),
            models.Index(fields=["status"], name="sora_products_status"),
        ]
        permissions = [
            ("generate_productvideo", _("Can generate product videos")),
            ("review_productvideo", _("Can approve or reject product videos")),
            ("remix_productvideo", _("Can remix product videos")),
            ("view_costs", _("Can see video costs")),
        ]

    def __str__(self) -> str:
        from sora_products.labels import preset_label

        return _("%(preset)s #%(pk)s (%(status)s)") % {
            "preset": preset_label(self.preset),
            "pk": self.pk,
            "status": self.get_status_display(),
        }

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_live(self) -> bool:
        return type(self).objects.live().filter(pk=self.pk).exists()


class TryOnRequest(models.Model):
    """One shopper's ask for a bucket; many share one ProductVideo, and an ask not (yet) made counts as demand.

    The bucket is the product and spec key the ask wants; ``video`` is the row serving it, empty while the
    generation policy waits for more demand (TRY_ON["GENERATE"] "on_demand") or never makes it ("never").
    """

    video = models.ForeignKey(
        ProductVideo, on_delete=models.CASCADE, related_name="try_on_requests", null=True, blank=True
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    object_id = models.CharField(max_length=191, blank=True)
    spec_key = models.CharField(max_length=64, blank=True)
    profile = models.JSONField(default=dict, blank=True)
    session_key = models.CharField(max_length=64, db_index=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("try-on request")
        verbose_name_plural = _("try-on requests")
        indexes = [models.Index(fields=["content_type", "object_id", "spec_key"], name="sora_tryon_bucket")]

    def __str__(self) -> str:
        return _("try-on request #%(pk)s for video #%(video)s") % {"pk": self.pk, "video": self.video_id or "–"}


class SpendKind(models.TextChoices):
    RESERVED = "reserved", _("Reserved")
    SETTLED = "settled", _("Settled")
    RELEASED = "released", _("Released")
    LOSS = "loss", _("Billed refusal")


class Spend(models.Model):
    """The ledger: one reservation per paid attempt, later settled, released or written off."""

    video = models.ForeignKey(ProductVideo, null=True, on_delete=models.SET_NULL, related_name="spends")
    kind = models.CharField(max_length=20, choices=SpendKind.choices, default=SpendKind.RESERVED)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    settled_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    shopper = models.BooleanField(default=False)
    provider = models.CharField(max_length=50)
    model = models.CharField(max_length=100)
    preset = models.CharField(max_length=50)
    day = models.DateField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("spend")
        verbose_name_plural = _("spend")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} USD ({self.day})"


class WebhookEvent(models.Model):
    """Each delivered webhook id once, so a replay changes nothing."""

    webhook_id = models.CharField(max_length=200, unique=True)
    event_type = models.CharField(max_length=100)
    remote_id = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")

    def __str__(self) -> str:
        return f"{self.event_type} {self.webhook_id}"


class ProviderPause(models.Model):
    """A provider said our quota or spend limit is reached: no submission until a person acts or time passes."""

    provider = models.CharField(_("provider"), max_length=50, unique=True)
    paused_until = models.DateTimeField(_("paused until"))
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("provider pause")
        verbose_name_plural = _("provider pauses")

    def __str__(self) -> str:
        return _("%(provider)s paused until %(time)s") % {
            "provider": self.provider,
            "time": f"{self.paused_until:%Y-%m-%d %H:%M}",
        }


class ProviderHealth(models.Model):
    """Consecutive transient failures of one provider across all videos; past a few it is unreachable."""

    provider = models.CharField(_("provider"), max_length=50, unique=True)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    unreachable_since = models.DateTimeField(_("unreachable since"), null=True, blank=True)
    next_probe_at = models.DateTimeField(_("next probe"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("provider health")
        verbose_name_plural = _("provider health")

    def __str__(self) -> str:
        if self.unreachable_since:
            return _("%(provider)s unreachable since %(time)s") % {
                "provider": self.provider,
                "time": f"{self.unreachable_since:%Y-%m-%d %H:%M}",
            }
        return _("%(provider)s reachable") % {"provider": self.provider}


# The experiments' models live beside their logic; imported here so Django finds them in this app.
from sora_products.experiments.models import Experiment, Exposure  # noqa: E402, F401
