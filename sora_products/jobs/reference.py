"""Turning a product's photo into the stored, hashed reference image a provider receives.

Runs in the worker, never in the product's save: decoding a large photo and hashing it take
real time and memory, and a broken photo must end as a clear error on the video, not a 500.
"""

from __future__ import annotations

import functools
import io
import logging

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image

from sora_products.catalog import RegistrationError, get_adapter
from sora_products.conf import app_settings
from sora_products.models import ProductVideo
from sora_products.providers import ReferenceUpload
from sora_products.references import ReferenceImage, ReferenceImageError, build_reference, hash_source
from sora_products.references.compose import encode
from sora_products.storage import StorageUnavailable
from sora_products.trust import faces

logger = logging.getLogger(__name__)


class PreparationFailed(Exception):
    """The video cannot be asked for; ``code`` is stable, the message is for a shop admin."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _content_type(name: str) -> str:
    return "image/jpeg" if name.lower().endswith((".jpg", ".jpeg")) else "image/png"


def ensure_reference(video: ProductVideo) -> ReferenceUpload:
    """The stored reference of this video, built from the product photo the first time."""
    if video.reference_image:
        try:
            with video.reference_image.open("rb") as handle:
                content = handle.read()
        except Exception as exc:  # the media store is down: the reference is there, just not now
            raise StorageUnavailable(_storage_message(exc)) from exc
        name = video.reference_image.name
        return ReferenceUpload(content=content, content_type=_content_type(name), filename=name.rsplit("/", 1)[-1])
    product = video.product
    if product is None:
        raise PreparationFailed("product_missing", _("The product of this video no longer exists."))
    try:
        adapter = get_adapter(product)
    except RegistrationError as exc:
        raise PreparationFailed("not_registered", str(exc)) from exc
    photo = adapter.get_source_image(product)
    if photo is None:
        raise PreparationFailed("no_photo", _("The product has no photo; add one and save the product again."))
    width, height = (int(part) for part in video.size.lower().split("x"))
    try:
        source_hash = hash_source(photo)
        reference = build_reference(
            photo,
            (width, height),
            image_format=app_settings.REFERENCE_FORMAT,
            max_pixels=int(app_settings.MAX_IMAGE_PIXELS),
        )
    except ReferenceImageError as exc:
        raise PreparationFailed(f"image_{exc.code}", exc.message) from exc
    except OSError as exc:
        raise PreparationFailed(
            "image_unreadable", _("The product photo could not be read from storage; upload it again.")
        ) from exc
    reference = screen_faces(reference)
    try:
        video.reference_image.save(reference.filename, ContentFile(reference.content), save=False)
    except Exception as exc:  # the media store is down or refused the write: nothing is sent or paid yet
        raise StorageUnavailable(_storage_message(exc)) from exc
    video.reference_hash = reference.sha256
    video.source_hash = source_hash
    ProductVideo.objects.filter(pk=video.pk).update(
        reference_image=video.reference_image.name, reference_hash=reference.sha256, source_hash=source_hash
    )
    return ReferenceUpload(content=reference.content, content_type=reference.content_type, filename=reference.filename)


def _storage_message(exc: Exception) -> str:
    return _("The media storage did not take the reference image (%(error)s); the video starts once it does.") % {
        "error": str(exc)[:200] or type(exc).__name__
    }


@functools.lru_cache(maxsize=1)
def _warn_once(action: str) -> None:
    logger.warning("FACES is %r but scikit-image is not installed: pip install 'sora-products[faces]'.", action)


def screen_faces(reference: ReferenceImage) -> ReferenceImage:
    """The reference with real people's heads masked, or a refusal, before anything is paid (FACES)."""
    action = str(app_settings.FACES or "off").lower()
    if action == "off":
        return reference
    if not faces.available():
        _warn_once(action)
        return reference
    try:
        image = Image.open(io.BytesIO(reference.content))
        found = faces.find_faces(image)
    except Exception as exc:  # scikit-image's own errors must end as a clear failure, not a loop
        logger.exception("The face check of a reference image failed")
        raise PreparationFailed(
            "face_check_failed", _("The product photo could not be checked for faces; try another photo.")
        ) from exc
    if not found:
        return reference
    if action == "refuse":
        raise PreparationFailed(
            "face_in_photo",
            _(
                "The product photo shows a person's face, and this shop sends no real person's face to a video "
                "provider. Use a photo of the product alone, or crop the face out, and save the product again."
            ),
        )
    masked, _count = faces.mask_faces(image)
    if faces.find_faces(masked):
        raise PreparationFailed(
            "face_in_photo",
            _("The product photo shows a face that could not be masked; use a photo of the product alone."),
        )
    content = encode(masked, reference.image_format)
    return ReferenceImage.from_content(content, reference.image_format, reference.size, reference.source_size)
