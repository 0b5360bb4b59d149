from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SoraProductsConfig(AppConfig):
    name = "sora_products"
    verbose_name = _("Product videos")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Wire checks and signals, and register the adapters named in settings."""
        from sora_products import checks  # noqa: F401
        from sora_products.catalog import register_from_settings
        from sora_products.receivers import connect_experiment_receivers, connect_registered, connect_video_receivers

        connect_registered()
        connect_video_receivers()
        connect_experiment_receivers()
        register_from_settings()
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="sora_products.sync_schedule")


def _after_migrate(**kwargs: object) -> None:
    from django.apps import apps

    if apps.is_installed("django_q"):
        from sora_products.tasks import ensure_sync_schedule

        ensure_sync_schedule()
