"""seed_demo: a dozen products with real photos, idempotent, and a demo superuser."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db.models.signals import post_save
from PIL import Image

from demo_shop.catalog.models import Category, Product
from demo_shop.catalog.photos import CATALOGUE

pytestmark = pytest.mark.django_db


@pytest.fixture
def product_saves() -> Iterator[list[str]]:
    """Slugs of every Product saved while the test runs."""
    saved: list[str] = []

    def record(sender, instance, **kwargs):
        saved.append(instance.slug)

    post_save.connect(record, sender=Product, dispatch_uid="tests.demo.product_saves")
    yield saved
    post_save.disconnect(sender=Product, dispatch_uid="tests.demo.product_saves")


def snapshot() -> list[tuple]:
    """Everything a re-run could change about the products."""
    return list(
        Product.objects.order_by("pk").values_list(
            "pk", "slug", "name", "description", "price", "category", "colour", "image", "created_at"
        )
    )


def test_seed_creates_a_dozen_products_with_large_jpeg_and_png_photos(seed, product_saves):
    out = seed()

    products = list(Product.objects.all())
    assert 10 <= len(products) == len(CATALOGUE)
    assert {p.category for p in products} == set(Category.values)
    formats = set()
    for product in products:
        assert product.image, f"{product.slug} has no photo"
        with product.image.open("rb") as f:
            image = Image.open(io.BytesIO(f.read()))
            image.load()
        assert max(image.size) >= 1200, f"{product.slug} is only {image.size}"
        assert product.image.name.startswith("products/")
        formats.add(image.format)
    assert formats == {"JPEG", "PNG"}
    # One save per product: the photo is attached before the single INSERT.
    assert sorted(product_saves) == sorted(spec.slug for spec in CATALOGUE)
    assert f"{len(CATALOGUE)} created, 0 updated, 0 unchanged" in out


def test_seed_photo_format_matches_the_catalogue(seed):
    seed()
    for spec in CATALOGUE:
        product = Product.objects.get(slug=spec.slug)
        with product.image.open("rb") as f:
            assert Image.open(f).format == spec.file_format
        assert product.image.name == f"products/{spec.filename}"


def test_second_run_changes_nothing_and_saves_nothing(seed, product_saves, cached_photos):
    seed()
    before = snapshot()
    product_saves.clear()

    out = seed()

    assert snapshot() == before
    assert product_saves == []
    assert cached_photos[-1] == [], "no photo should be drawn for products that have one"
    assert f"0 created, 0 updated, {len(CATALOGUE)} unchanged" in out


def test_rerun_restores_edited_data_without_replacing_the_photo(seed, product_saves):
    seed()
    tee = Product.objects.get(slug="organic-cotton-tee")
    Product.objects.filter(pk=tee.pk).update(price="1.00", colour="Pink")
    product_saves.clear()

    out = seed()

    tee_after = Product.objects.get(pk=tee.pk)
    assert str(tee_after.price) == "32.00"
    assert tee_after.colour == "Sage"
    assert tee_after.image.name == tee.image.name
    assert product_saves == ["organic-cotton-tee"]
    assert "1 updated" in out


def test_no_photos_then_photos_attaches_them_once(seed, product_saves):
    seed("--no-photos")
    assert not Product.objects.exclude(image="").exists()
    product_saves.clear()

    seed()

    assert not Product.objects.filter(image="").exists()
    assert sorted(product_saves) == sorted(spec.slug for spec in CATALOGUE)


def test_a_photo_missing_from_storage_is_drawn_again(seed, cached_photos):
    seed()
    mug = Product.objects.get(slug="stoneware-mug")
    mug.image.storage.delete(mug.image.name)

    seed()

    assert cached_photos[-1] == ["stoneware-mug"]
    mug.refresh_from_db()
    assert mug.image.storage.exists(mug.image.name)


def test_seed_creates_the_demo_superuser(seed):
    out = seed()

    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff
    assert authenticate(username="admin", password="admin") == user
    assert "admin / admin" in out


def test_existing_superuser_keeps_its_password_unless_reset(seed):
    seed()
    user = get_user_model().objects.get(username="admin")
    user.set_password("changed-by-owner")
    user.save()

    out = seed("--password", "other")
    assert authenticate(username="admin", password="changed-by-owner") is not None
    assert "left alone" in out
    assert "other" not in out

    seed("--password", "fresh", "--reset-password")
    assert authenticate(username="admin", password="fresh") is not None


def test_custom_username_and_password(seed):
    seed("--username", "demo", "--password", "s3cret")
    assert authenticate(username="demo", password="s3cret") is not None
    assert not get_user_model().objects.filter(username="admin").exists()
