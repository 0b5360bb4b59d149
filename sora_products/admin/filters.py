"""List filters and product-name search for the video list."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldError
from django.db import models
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sora_products.catalog import FieldAdapter, get_adapter, registered_models
from sora_products.conf import app_settings
from sora_products.labels import preset_label

PRODUCT_MATCH_LIMIT = 500


class PresetFilter(admin.SimpleListFilter):
    """Presets by their readable names: the configured ones and any still found on old rows."""

    title = _("preset")
    parameter_name = "preset"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        names = list(app_settings.PRESETS)
        used = model_admin.model.objects.order_by().values_list("preset", flat=True).distinct()
        names += sorted(set(used) - set(names))
        return [(name, preset_label(name)) for name in names]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.filter(preset=self.value()) if self.value() else queryset


class RemixFilter(admin.SimpleListFilter):
    title = _("remix")
    parameter_name = "remix"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", _("Remixes")), ("no", _("Originals"))]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        if self.value() == "yes":
            return queryset.filter(remixed_from__isnull=False)
        if self.value() == "no":
            return queryset.filter(remixed_from__isnull=True)
        return queryset


def product_matches(term: str) -> Q | None:
    """Videos whose product's title contains ``term``, for every registered model read by field name."""
    condition = Q()
    for model in registered_models():
        adapter = get_adapter(model)
        field = getattr(adapter, "title_field", None) if isinstance(adapter, FieldAdapter) else None
        if not field:
            continue
        try:
            pks = list(
                model._default_manager.filter(**{f"{field}__icontains": term}).values_list("pk", flat=True)[
                    :PRODUCT_MATCH_LIMIT
                ]
            )
        except FieldError:  # a title "field" that is a property cannot be searched; skip that model
            continue
        if pks:
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
            condition |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    return condition or None


class ProductSearchMixin:
    """Search also finds videos by their product's name, across the generic relation."""

    def get_search_results(self, request: HttpRequest, queryset: models.QuerySet, search_term: str):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            condition = product_matches(term)
            if condition is not None:
                results = results | queryset.filter(condition)
        return results, may_have_duplicates
