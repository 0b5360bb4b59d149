"""Experiments in the admin: define one, read its results per arm in plain words, end it and keep the winner."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sora_products.conf import app_settings
from sora_products.experiments.assignment import forget_experiments
from sora_products.experiments.models import ArmChoice, Experiment, Scope
from sora_products.experiments.results import results, shows_label
from sora_products.experiments.stats import MIN_VISITORS
from sora_products.labels import preset_label


def preset_choices(empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((name, str(preset_label(name))) for name in app_settings.PRESETS)]


def percent(value: float) -> str:
    return f"{value * 100:.1f} %"


def rate_text(arm: Any) -> str:
    if arm.visitors < MIN_VISITORS:
        return _("too few visitors")
    return _("%(rate)s (%(low)s to %(high)s)") % {
        "rate": percent(arm.rate.estimate), "low": percent(arm.rate.low), "high": percent(arm.rate.high),
    }  # fmt: skip


def result_row(arm: Any) -> dict[str, Any]:
    return {"arm": arm, "shows": shows_label(arm.shows), "name": ArmChoice(arm.arm).label, "rate": rate_text(arm)}


def difference_text(found: Any) -> str:
    if found.lift.low == float("-inf"):
        return ""
    sentence = _("Treatment minus control: %(estimate)s points (always-valid 95%% interval %(low)s to %(high)s).")
    lift = found.lift
    return sentence % {
        "estimate": f"{lift.estimate * 100:+.1f}", "low": f"{lift.low * 100:+.1f}", "high": f"{lift.high * 100:+.1f}",
    }  # fmt: skip


class ExperimentForm(forms.ModelForm):
    class Meta:
        model = Experiment
        fields = ["name", "scope", "content_type", "object_id", "category", "control_preset", "control_video",
                  "treatment_preset", "treatment_video", "treatment_share", "goal"]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "control_preset" in self.fields:
            self.fields["control_preset"].widget = forms.Select(choices=preset_choices(_("Photo only")))
            self.fields["treatment_preset"].widget = forms.Select(choices=preset_choices(_("The video chosen below")))


class ExperimentAdmin(admin.ModelAdmin):
    form = ExperimentForm
    list_display = ["name", "scope", "arms", "visitors", "state"]
    list_filter = ["scope"]
    raw_id_fields = ["control_video", "treatment_video"]
    search_fields = ["name"]
    change_form_template = "sora_products/admin/experiment_change_form.html"

    class Media:
        css = {"all": ["sora_products/admin/admin.css"]}

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).annotate(visitor_count=Count("exposures"))

    def get_fields(self, request: HttpRequest, obj: Experiment | None = None) -> list[str]:
        if obj is None:
            return list(ExperimentForm.Meta.fields)
        return ["name", "covers", "arms", "treatment_share", "goal", "started_at", "ended_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Experiment | None = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        return ("covers", "arms", "treatment_share", "goal", "started_at", "ended_at")  # changing them would spoil it

    @admin.display(description=gettext_lazy("covers"))
    def covers(self, obj: Experiment) -> str:
        if obj.scope == Scope.CATEGORY:
            return _("The category “%(category)s”") % {"category": obj.category}
        if obj.scope == Scope.PRODUCT:
            model = obj.content_type.model_class() if obj.content_type else None
            product = model._default_manager.filter(pk=obj.object_id).first() if model else None
            return _("The product “%(product)s”") % {"product": product or obj.object_id}
        return str(Scope.SHOP.label)

    @admin.display(description=gettext_lazy("arms"))
    def arms(self, obj: Experiment) -> str:
        control, treatment = (shows_label(obj.shows(arm)) for arm in (ArmChoice.CONTROL, ArmChoice.TREATMENT))
        return _("%(control)s vs %(treatment)s") % {"control": control, "treatment": treatment}

    @admin.display(description=gettext_lazy("visitors"), ordering="visitor_count")
    def visitors(self, obj: Experiment) -> int:
        return obj.visitor_count

    @admin.display(description=gettext_lazy("state"))
    def state(self, obj: Experiment) -> str:
        if obj.running:
            return _("Running")
        return _("Ended, kept %(arm)s") % {"arm": shows_label(obj.shows(obj.winner))}

    def get_urls(self) -> list:
        end = self.admin_site.admin_view(self.end_view)
        return [path("<path:object_id>/end/", end, name="sora_products_experiment_end"), *super().get_urls()]

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None) -> HttpResponse:
        experiment = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if experiment is not None:
            found = results(experiment)
            context.update(
                results=found,
                rows=[result_row(arm) for arm in found.arms],
                difference=difference_text(found),
                suggested_label=shows_label(experiment.shows(found.suggested_winner)) if found.suggested_winner else "",
                end_url=reverse("admin:sora_products_experiment_end", args=[experiment.pk]),
                can_end=experiment.running and self.has_change_permission(request, experiment),
            )
        return super().change_view(request, object_id, form_url, extra_context=context)

    def end_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """POST keep=control|treatment: end the experiment; from now on everyone sees the arm kept."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        experiment = get_object_or_404(Experiment, pk=unquote(object_id))
        if not self.has_change_permission(request, experiment):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        keep = request.POST.get("keep", "")
        change_url = reverse("admin:sora_products_experiment_change", args=[experiment.pk])
        if keep not in ArmChoice.values or not experiment.running:
            self.message_user(request, _("Choose the arm to keep; an ended experiment stays ended."), messages.ERROR)
            return HttpResponseRedirect(change_url)
        Experiment.objects.filter(pk=experiment.pk, ended_at__isnull=True).update(
            ended_at=timezone.now(), winner=keep
        )
        forget_experiments()  # every page shows the arm kept from now on
        transaction.on_commit(forget_experiments, robust=True)
        shown = shows_label(experiment.shows(keep))
        self.message_user(request, _("The experiment has ended. Every visitor now sees: %(shows)s.") % {"shows": shown})
        return HttpResponseRedirect(change_url)
