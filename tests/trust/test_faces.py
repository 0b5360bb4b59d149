"""Faces before paying: a real face in the reference is masked or refused before any create, per FACES."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from sora_products.models import ProductVideo, Spend, VideoStatus
from sora_products.trust.faces import find_faces
from sora_products.trust.fidelity import sample_frames
from tests.factories import make_product
from tests.integration.helpers import assert_ledger_identity, drive

pytestmark = pytest.mark.django_db


def showcase(photo: bytes) -> ProductVideo:
    return ProductVideo.objects.for_product(make_product(photo=photo)).get()


def sent_reference(emulator, video: ProductVideo) -> Image.Image:
    return Image.open(emulator.store.get(video.remote_id).spec.reference_path)


def with_faces(settings, action: str) -> None:
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "FACES": action}


def test_the_photograph_has_a_face_the_detector_finds(face_photo):
    (face,) = find_faces(Image.open(io.BytesIO(face_photo)))
    assert 60 <= face.width <= 160  # Eileen Collins's face, not her mission patch


def test_product_photos_without_people_have_no_faces():
    from demo_shop.catalog.photos import CATALOGUE, photo_for

    assert [p.name for p in CATALOGUE if find_faces(Image.open(io.BytesIO(photo_for(p))))] == []


def test_a_face_is_masked_in_the_image_sent_and_the_garment_is_kept(provider, face_photo):
    video = drive(showcase(face_photo).pk)
    assert video.remote_id, video.error_message
    sent = sent_reference(provider, video)
    assert find_faces(sent) == []
    # The suit (the garment) is still there: the lower half of the frame is as it was built.
    unmasked = Image.open(io.BytesIO(face_photo)).convert("RGB").resize((720, 720))
    suit = sent.convert("RGB").crop((0, 280 + 400, 720, 280 + 720)).resize((72, 32))
    assert _mean_difference(suit, unmasked.crop((0, 400, 720, 720)).resize((72, 32))) < 12
    assert find_faces(Image.open(video.reference_image.open("rb"))) == []  # what is stored is what was sent


def test_refuse_fails_the_video_before_any_create_and_spends_nothing(provider, settings, face_photo):
    with_faces(settings, "refuse")
    video = drive(showcase(face_photo).pk)
    assert (video.status, video.error_code) == (VideoStatus.FAILED, "face_in_photo")
    assert "shows a person's face" in video.error_message
    assert provider.stats()["creates"] == 0
    assert all(spend.settled_amount == 0 for spend in Spend.objects.filter(video=video))
    assert_ledger_identity()


def test_with_faces_off_the_emulator_echoes_the_face_into_the_video(provider, settings, face_photo):
    """Why the check exists: a face left in the reference shows up in the clip."""
    with_faces(settings, "off")
    video = drive(showcase(face_photo).pk)
    assert find_faces(sent_reference(provider, video))
    with video.video_file.open("rb") as clip:
        (first,) = sample_frames(clip, 1, (360, 640))
    assert find_faces(Image.fromarray(first))


def test_a_photo_without_a_face_is_sent_as_built(provider):
    from sora_products.references import build_reference
    from tests.photos import photo_bytes

    video = drive(showcase(photo_bytes()).pk)
    built = build_reference(photo_bytes(), (720, 1280), image_format="JPEG")
    assert video.reference_hash == built.sha256
    with open(provider.store.get(video.remote_id).spec.reference_path, "rb") as sent:
        assert Image.open(sent).size == (720, 1280)


def _mean_difference(a: Image.Image, b: Image.Image) -> float:
    import numpy as np

    return float(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float)).mean())
