"""Fill the demo shop with a dozen products (photos drawn offline) and a demo superuser.

Safe to run again: a product whose data and photo are unchanged is not saved, so its save signal
does not fire and no video is generated twice. A photo is attached only to a product that has none
(or whose file has gone from storage).
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from demo_shop.catalog.models import Product
from demo_shop.catalog.photos import CATALOGUE, DemoProduct, photos_for

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def product_fields(spec: DemoProduct) -> dict[str, Any]:
    """The model fields a catalogue entry sets; the photo is handled separately."""
    return {
        "name": spec.name,
        "description": spec.description,
        "price": spec.price,
        "category": spec.category,
        "colour": spec.colour,
    }


def has_photo(product: Product) -> bool:
    """True when the product has a photo whose file still exists in storage."""
    return bool(product.image) and product.image.storage.exists(product.image.name)


def needs_photo(spec: DemoProduct) -> bool:
    """Whether seeding this entry will attach a photo, so only those photos are drawn."""
    product = Product.objects.filter(slug=spec.slug).first()
    return product is None or not has_photo(product)


def sync_product(spec: DemoProduct, photo: bytes | None) -> str:
    """Create or update one product with a single save, or leave it untouched if nothing differs."""
    fields = product_fields(spec)
    with transaction.atomic():
        product = Product.objects.select_for_update().filter(slug=spec.slug).first()
        status = CREATED if product is None else UNCHANGED
        if product is None:
            product = Product(slug=spec.slug, **fields)
        for name, value in fields.items():
            if getattr(product, name) != value:
                setattr(product, name, value)
                status = UPDATED if status == UNCHANGED else status
        if photo is not None and not has_photo(product):
            product.image.save(spec.filename, ContentFile(photo), save=False)
            status = UPDATED if status == UNCHANGED else status
        if status != UNCHANGED:
            product.save()
    return status


def ensure_superuser(username: str, password: str, reset_password: bool) -> str:
    """Create the demo admin, or reset its password only when asked; a changed password is kept."""
    user_model = get_user_model()
    user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
    if user is None:
        user_model._default_manager.create_superuser(
            **{user_model.USERNAME_FIELD: username}, email=f"{username}@example.com", password=password
        )
        return CREATED
    if not reset_password:
        return UNCHANGED
    user.set_password(password)
    user.is_staff = user.is_superuser = user.is_active = True
    user.save()
    return UPDATED


class Command(BaseCommand):
    help = "Create the demo shop's products with drawn photos, and a demo superuser. Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin", help="Demo superuser name (default: admin).")
        parser.add_argument("--password", default="admin", help="Password for a new demo superuser (default: admin).")
        parser.add_argument(
            "--reset-password",
            action="store_true",
            help="Set --password on the superuser even if it already exists.",
        )
        parser.add_argument(
            "--no-photos",
            action="store_true",
            help="Create products without photos (no video is generated for a product without one).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        wanted = [] if options["no_photos"] else [spec for spec in CATALOGUE if needs_photo(spec)]
        photos = photos_for(wanted)
        drawn_in = time.perf_counter() - started

        counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
        for spec in CATALOGUE:
            status = sync_product(spec, photos.get(spec.slug))
            counts[status] += 1
            if status != UNCHANGED and options["verbosity"] > 1:
                self.stdout.write(f"  {status}: {spec.name}")

        self.stdout.write(
            self.style.SUCCESS(
                f"Products: {counts[CREATED]} created, {counts[UPDATED]} updated, {counts[UNCHANGED]} unchanged."
            )
        )
        if photos:
            self.stdout.write(f"Photos drawn: {len(photos)} in {drawn_in:.1f} s.")
        self._report_user(options["username"], options["password"], options["reset_password"])

    def _report_user(self, username: str, password: str, reset_password: bool) -> None:
        """Say how to log in, showing the password only when this run set it."""
        status = ensure_superuser(username, password, reset_password)
        if status == UNCHANGED:
            self.stdout.write(
                f"Superuser {username!r} already exists; its password was left alone (use --reset-password)."
            )
        else:
            verb = "created" if status == CREATED else "password reset"
            self.stdout.write(f"Superuser {username!r} {verb}. Log in at /admin/ as {username} / {password}.")
