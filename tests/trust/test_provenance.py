"""Content Credentials: the stored clip's C2PA manifest read against trust anchors, and the shop's own added."""

from __future__ import annotations

import io
import json

import httpx
import pytest

from sora_products.models import ProductVideo
from sora_products.trust.provenance import TRAINED_ALGORITHMIC_MEDIA
from tests.factories import make_product
from tests.integration.helpers import drive

c2pa = pytest.importorskip("c2pa")
pytestmark = pytest.mark.django_db


def emulator_ca(emulator) -> str:
    answer = httpx.get(emulator.url + "/_emulator/c2pa-ca.pem")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/x-pem-file"
    return answer.text


def provenance(settings, **options) -> None:
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "PROVENANCE": options}


def stored_video(**fields) -> ProductVideo:
    return drive(ProductVideo.objects.for_product(make_product(**fields)).get().pk)


def video_packets(data: bytes) -> list[bytes]:
    import av

    with av.open(io.BytesIO(data)) as container:
        return [bytes(packet) for packet in container.demux(container.streams.video[0]) if packet.size]


def test_a_stored_clip_reads_as_trusted_with_the_emulators_ca_as_trust_anchor(provider, settings):
    provenance(settings, TRUST_ANCHORS=emulator_ca(provider))
    found = stored_video().provenance
    assert found["state"] == "trusted" and found["validation_state"] == "Trusted"
    assert found["signer"] == "sora-products emulator"
    assert found["claim_generator"] == "sora-products emulator"
    assert found["digital_source_type"] == TRAINED_ALGORITHMIC_MEDIA
    assert found["failures"] == []


def test_without_the_anchor_the_same_clip_is_valid_but_untrusted(provider, settings, tmp_path):
    other = tmp_path / "other-ca.pem"
    from cryptography.hazmat.primitives import serialization

    from sora_products.emulator.credentials import _make_ca

    other.write_bytes(_make_ca()[0].public_bytes(serialization.Encoding.PEM))
    provenance(settings, TRUST_ANCHORS=str(other))  # a file path works as well as PEM text
    found = stored_video().provenance
    assert (found["state"], found["validation_state"]) == ("untrusted", "Valid")
    assert found["signer"] == "sora-products emulator"


def test_a_clip_with_no_manifest_reads_none(provider, settings):
    provider.configure(sign_clips=False)
    assert stored_video().provenance["state"] == "none"


def test_the_shops_own_manifest_validates_and_lists_the_providers_as_an_ingredient(
    provider, settings, shop_certificate
):
    provenance(settings, SIGN=True, TRUST_ANCHORS=emulator_ca(provider) + shop_certificate)
    video = stored_video()
    assert video.provenance["state"] == "trusted"  # what the provider's clip carried
    shop = video.provenance["shop"]
    assert (shop["state"], shop["claim_generator"]) == ("trusted", "sora-products")
    assert shop["ingredients"] == ["provider clip"]
    with video.video_file.open("rb") as stored:
        signed = stored.read()
    with c2pa.Reader("video/mp4", io.BytesIO(signed)) as reader:
        report = json.loads(reader.json())
    active = report["manifests"][report["active_manifest"]]
    (ingredient,) = active["ingredients"]
    parent = report["manifests"][ingredient["active_manifest"]]
    assert parent["signature_info"]["common_name"] == "sora-products emulator"
    (generation,) = [a for a in active["assertions"] if a["label"] == "org.sora-products.generation"]
    parameters = generation["data"]
    assert parameters["provider"] == "default" and parameters["model"] == "sora-2"
    assert parameters["product"] == f"catalog.product:{video.object_id}"
    assert len(parameters["prompt_sha256"]) == 64 and video.prompt not in json.dumps(report)
    # Not re-encoded: every video packet is the provider's, byte for byte.
    with open(provider.store.get(video.remote_id).directory + "/video.mp4", "rb") as original:
        assert video_packets(signed) == video_packets(original.read())
    assert video.video_bytes == len(signed)


def test_a_refused_shop_key_still_stores_the_video_and_says_why(provider, settings, monkeypatch, shop_certificate):
    monkeypatch.setenv(
        "SORA_C2PA_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n"
    )
    provenance(settings, SIGN=True)
    video = stored_video()
    assert video.video_file and "error" in video.provenance["shop"]


def test_a_broken_trust_anchor_setting_never_costs_the_video(provider, settings):
    provenance(settings, TRUST_ANCHORS="-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n")
    video = stored_video()
    assert video.video_file and video.status in ("ready", "held")
    assert video.provenance["state"] != "trusted"  # the broken anchor trusts nobody; the clip is still read
