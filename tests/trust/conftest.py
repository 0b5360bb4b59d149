"""Fixtures for the trust checks: a real photograph with a face, and a shop's own C2PA certificate."""

from __future__ import annotations

import io

import pytest
from PIL import Image


@pytest.fixture
def face_photo() -> bytes:
    """Eileen Collins's NASA portrait, the real photograph shipped in scikit-image's wheel."""
    data = pytest.importorskip("skimage.data")
    buffer = io.BytesIO()
    Image.fromarray(data.astronaut()).save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


@pytest.fixture
def shop_certificate(tmp_path, monkeypatch):
    """A shop CA and the signing certificate it issued, in the environment as PROVENANCE expects them."""
    from cryptography.hazmat.primitives import serialization

    from sora_products.emulator.credentials import _make_ca, _make_signer

    ca, ca_key = _make_ca()
    leaf, key = _make_signer(ca, ca_key)
    ca_pem = ca.public_bytes(serialization.Encoding.PEM)
    chain = leaf.public_bytes(serialization.Encoding.PEM) + ca_pem
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    key_path = tmp_path / "shop-key.pem"
    key_path.write_bytes(key_pem)
    monkeypatch.setenv("SORA_C2PA_CERTIFICATE", chain.decode())
    monkeypatch.setenv("SORA_C2PA_PRIVATE_KEY", str(key_path))  # a path works as well as the PEM text
    return ca_pem.decode()
