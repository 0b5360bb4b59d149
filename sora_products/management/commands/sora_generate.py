"""`manage.py sora_generate`: ask for videos in bulk, see the estimate first, then follow progress."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone

from sora_products import budget, jobs
from sora_products.catalog import get_adapter, registered_models
from sora_products.conf import app_settings
from sora_products.models import TERMINAL_STATUSES, Origin, ProductVideo, VideoStatus
from sora_products.specs import SpecError, VideoSpec, build_spec


@dataclass
class Planned:
    product: models.Model
    preset: str
    spec: VideoSpec


class Command(BaseCommand):
    help = "Generate product videos: shows the count and the estimated cost, asks, then shows progress."

    def add_arguments(self, parser) -> None:
        parser.add_argument("ids", nargs="*", help="Primary keys of the products to generate for.")
        parser.add_argument("--preset", action="append", dest="presets", help="Preset name (repeatable).")
        parser.add_argument("--all", action="store_true", help="Every product of the model.")
        parser.add_argument("--missing", action="store_true", help="Only products without a video of the preset.")
        parser.add_argument("--try-on", action="store_true", help="Pre-render the common try-on profiles.")
        parser.add_argument(
            "--budget",
            type=Decimal,
            help="With --try-on: spend up to this many USD on the buckets that serve the most shoppers at once.",
        )
        parser.add_argument("--model", help="app_label.Model, when more than one product model is registered.")
        parser.add_argument("--yes", action="store_true", help="Do not ask before spending (for scripts).")
        parser.add_argument("--no-wait", action="store_true", help="Queue the videos and return at once.")
        parser.add_argument("--timeout", type=float, default=1800, help="Stop waiting after this many seconds.")

    def handle(self, *args, **options) -> None:
        model = self.product_model(options["model"])
        products = self.products(model, options)
        if options["try_on"]:
            return self.try_on(products, options)
        presets = options["presets"] or ["showcase"]
        plan, skipped = self.plan(products, presets, missing=options["missing"])
        for note in skipped:
            self.stdout.write(f"  skipped: {note}")
        if not plan:
            self.stdout.write("Nothing to generate.")
            return
        estimate = budget.estimate_many((p.spec.provider, p.spec.model, p.spec.size, p.spec.seconds) for p in plan)
        self.stdout.write(self.summary(estimate))
        if not self.confirmed(options["yes"], len(plan), estimate.total):
            self.stdout.write("Nothing was spent.")
            return
        with transaction.atomic():
            videos = [jobs.request_video(p.product, p.preset, origin=Origin.COMMAND)[0] for p in plan]
        self.stdout.write(f"Queued {len(videos)} video(s). A worker (manage.py qcluster) makes them.")
        if not options["no_wait"]:
            self.follow([v.pk for v in videos], options["timeout"])

    def product_model(self, label: str | None) -> type[models.Model]:
        models_ = registered_models()
        if label:
            matches = [m for m in models_ if m._meta.label_lower == label.lower()]
            if not matches:
                raise CommandError(f"{label} is not a registered product model.")
            return matches[0]
        if len(models_) != 1:
            names = ", ".join(m._meta.label for m in models_) or "none"
            raise CommandError(f"Say which product model with --model (registered: {names}).")
        return models_[0]

    def products(self, model: type[models.Model], options: dict) -> list[models.Model]:
        if options["ids"]:
            found = list(model._default_manager.filter(pk__in=options["ids"]))
            if len(found) != len(set(options["ids"])):
                missing = set(map(str, options["ids"])) - {str(p.pk) for p in found}
                raise CommandError(f"No product with id {', '.join(sorted(missing))}.")
            return found
        if options["all"] or options["missing"] or options["try_on"]:
            return list(model._default_manager.all())
        raise CommandError("Name product ids, or use --all or --missing.")

    def plan(self, products: list[models.Model], presets: list[str], *, missing: bool):
        plan, skipped = [], []
        for product in products:
            adapter = get_adapter(product)
            if adapter.get_source_image(product) is None:
                skipped.append(f"{product}: no photo")
                continue
            for preset in presets:
                try:
                    spec = build_spec(product, adapter, preset)
                except SpecError as exc:
                    skipped.append(f"{product}: {exc}")
                    continue
                existing = ProductVideo.objects.for_product(product).filter(preset=preset)
                if missing and existing.filter(outdated=False).exclude(status=VideoStatus.FAILED).exists():
                    continue
                if existing.filter(spec_key=spec.spec_key).exists():
                    skipped.append(f"{product}: the {preset} video was already asked for")
                    continue
                plan.append(Planned(product, preset, spec))
        return plan, skipped

    def summary(self, estimate: budget.Estimate) -> str:
        lines = [f"{estimate.count} video(s), estimated cost ${estimate.total}"]
        if estimate.unknown:
            lines.append(f"  ({estimate.unknown} without a configured price, not included)")
        daily = app_settings.BUDGET.get("DAILY")
        if daily is not None:
            left = budget.Decimal(str(daily)) - budget.committed_total(timezone.localdate())
            lines.append(f"Budget left today: ${max(left, budget.Decimal('0')):.2f} of ${daily}")
        return "\n".join(lines)

    def confirmed(self, yes: bool, count: int, total) -> bool:
        if yes:
            return True
        if not sys.stdin.isatty():
            raise CommandError("Refusing to spend without confirmation; run it in a terminal or pass --yes.")
        answer = input(f"Generate {count} video(s) for about ${total}? [y/N] ")
        return answer.strip().lower() in ("y", "yes")

    def follow(self, ids: list[int], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            rows = list(ProductVideo.objects.filter(pk__in=ids).values_list("status", "progress"))
            done = sum(status in TERMINAL_STATUSES for status, _ in rows)
            ready = sum(status == VideoStatus.READY for status, _ in rows)
            progress = sum(100 if s in TERMINAL_STATUSES else p for s, p in rows) / max(len(rows), 1)
            bar = "#" * int(progress / 5)
            self.stdout.write(
                f"\r[{bar:<20}] {progress:5.1f}%  {ready} ready, {done - ready} ended without video", ending=""
            )
            self.stdout.flush()
            if done == len(ids):
                self.stdout.write("")
                break
            if time.monotonic() > deadline:
                self.stdout.write("\nStopped waiting; the videos go on in the background.")
                break
            time.sleep(1)
        for video in ProductVideo.objects.filter(pk__in=ids).exclude(status=VideoStatus.READY):
            why = video.hold_reason if video.status == VideoStatus.HELD else video.error_message
            self.stdout.write(f"  {video.product}: {video.get_status_display()}. {why}")

    def try_on_within_budget(self, products: list[models.Model], options: dict) -> None:
        from sora_products.tryon_plan import plan_prerender

        plan = plan_prerender(products, options["budget"])
        if not plan.products:
            self.stdout.write("No wearable product with a photo: nothing to pre-render.")
            return
        source = "your shoppers' past asks" if plan.mix.source == "history" else "an assumed mix of shoppers"
        self.stdout.write(
            f"${options['budget']:.2f} buys {len(plan.to_make)} video(s) at ${plan.per_video} each; they serve an "
            f"estimated {plan.coverage:.0%} of shoppers at once (now {plan.coverage_before:.0%}; from {source})."
        )
        if not plan.to_make or not self.confirmed(options["yes"], len(plan.to_make), plan.cost):
            self.stdout.write("Nothing was spent.")
            return
        preset = app_settings.TRY_ON["PRESET"]
        with transaction.atomic():
            videos = [
                jobs.request_video(product, preset, profile=profile, origin=Origin.COMMAND)[0]
                for product, profile in plan.to_make
            ]
        self.stdout.write(f"Queued {len(videos)} try-on video(s).")
        if not options["no_wait"]:
            self.follow([v.pk for v in videos], options["timeout"])

    def try_on(self, products: list[models.Model], options: dict) -> None:
        from sora_products import tryon

        if options.get("budget") is not None:
            return self.try_on_within_budget(products, options)

        wearable = [p for p in products if get_adapter(p).is_wearable(p)]
        profiles = tryon.common_profiles()
        count = len(wearable) * len(profiles)
        preset = app_settings.TRY_ON["PRESET"]
        sample = next((build_spec(p, get_adapter(p), preset) for p in wearable), None)
        per_video = budget.estimate_cost(sample.provider, sample.model, sample.size, sample.seconds) if sample else 0
        self.stdout.write(
            f"{count} try-on video(s) ({len(wearable)} wearable products x {len(profiles)} profiles), "
            f"estimated cost up to ${per_video * count}; videos that exist already cost nothing."
        )
        if not count or not self.confirmed(options["yes"], count, per_video * count):
            self.stdout.write("Nothing was spent.")
            return
        with transaction.atomic():
            videos = tryon.prerender(wearable, profiles)
        self.stdout.write(f"Queued {len(videos)} try-on video(s).")
        if not options["no_wait"]:
            self.follow([v.pk for v in videos], options["timeout"])
