"""Admin test helpers: people with and without the app's permissions, and videos in any state."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from sora_products.models import ProductVideo, ReviewState, VideoStatus
from tests.factories import photo_bytes

MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("boss", "boss@example.com", "pw")


@pytest.fixture
def admin_client(superuser) -> Client:
    return login(superuser)


def staff_user(username: str, *codenames: str) -> User:
    """A staff member who may change products, plus the given sora_products permissions."""
    user = User.objects.create_user(username, f"{username}@example.com", "pw", is_staff=True)
    perms = Permission.objects.filter(
        content_type__app_label="catalog", codename__in=["view_product", "change_product"]
    )
    user.user_permissions.add(*perms)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="sora_products", codename__in=codenames)
    )
    return User.objects.get(pk=user.pk)  # a fresh instance: permission caches start empty


@pytest.fixture
def plain_staff_client(db) -> Client:
    """Staff who can edit products but have none of the app's permissions."""
    return login(staff_user("clerk"))


@pytest.fixture
def viewer_client(db) -> Client:
    """Staff who may look at videos but not generate, review, remix or see costs."""
    return login(staff_user("viewer", "view_productvideo"))


@pytest.fixture
def no_auto(settings):
    """Saving a product asks for nothing, so what the admin does is all there is."""
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "AUTO_GENERATE": False}


def finish(video: ProductVideo, *, approved: bool = False) -> ProductVideo:
    """Put a video in the state a worker leaves it in when the file is stored."""
    video.video_file.save(f"{video.pk}.mp4", ContentFile(MP4), save=False)
    video.poster.save(f"{video.pk}.jpg", ContentFile(photo_bytes((90, 160))), save=False)
    video.reference_image.save(f"ref-{video.pk}.png", ContentFile(photo_bytes((72, 128), fmt="PNG")), save=False)
    video.status = VideoStatus.READY
    video.progress = 100
    video.remote_id = f"video_{video.pk:06d}"
    video.actual_cost = video.estimated_cost or Decimal("0.80")
    if approved:
        video.review_state = ReviewState.APPROVED
    video.save()
    return video


def fail(
    video: ProductVideo, code: str = "moderation_blocked", message: str = "The provider refused it."
) -> ProductVideo:
    video.status, video.error_code, video.error_message = VideoStatus.FAILED, code, message
    video.save()
    return video


def video_url(name: str, video: ProductVideo | None = None) -> str:
    args = [video.pk] if video is not None else []
    return reverse(f"admin:sora_products_productvideo_{name}", args=args)


def product_url(name: str, product=None) -> str:
    args = [product.pk] if product is not None else []
    return reverse(f"admin:catalog_product_{name}", args=args)
