"""Content Credentials (C2PA) on every clip, signed by a local CA made at start, as Veo's output carries its own.

c2pa-rs refuses a self-signed signing certificate, so the emulator makes a CA and an end-entity certificate
issued by it (the profile in c2pa-notes.md). The CA is published at ``GET /_emulator/c2pa-ca.pem``: a client
that adds it as a trust anchor reads the clips as trusted, one that does not reads them as valid but untrusted.
Signing needs the optional ``c2pa-python``; without it clips carry no manifest, like most providers' output.
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import logging
import os
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from .tls import _locked, _now, _usage, _write, _write_key

log = logging.getLogger(__name__)

CA_FILE = "c2pa-ca.pem"  # the CA's key is never written: nothing else is ever issued by it
SIGNER_FILE, SIGNER_KEY_FILE = "c2pa-signer.pem", "c2pa-signer-key.pem"
SIGNER_NAME = "sora-products emulator"
TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
DAYS = 3650


def available() -> bool:
    """True when c2pa-python is installed (the emulator extra brings it)."""
    return importlib.util.find_spec("c2pa") is not None


@dataclass(frozen=True)
class ClipSigner:
    """The certificate chain (leaf first, then the CA) and key clips are signed with."""

    ca_path: str
    chain_pem: bytes = field(repr=False)
    key_pem: bytes = field(repr=False)

    @classmethod
    def in_folder(cls, directory: str) -> ClipSigner:
        """Make a new CA and signing certificate in directory (kept for the emulator's lifetime)."""
        os.makedirs(directory, exist_ok=True)
        with _locked(directory):
            ca, ca_key = _make_ca()
            leaf, key = _make_signer(ca, ca_key)
            ca_pem = ca.public_bytes(serialization.Encoding.PEM)
            chain = leaf.public_bytes(serialization.Encoding.PEM) + ca_pem
            key_pem = key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            _write(os.path.join(directory, CA_FILE), ca_pem)
            _write(os.path.join(directory, SIGNER_FILE), chain)
            _write_key(os.path.join(directory, SIGNER_KEY_FILE), key)
        return cls(os.path.join(directory, CA_FILE), chain, key_pem)

    def sign(self, path: str, *, model: str, title: str = "video.mp4") -> None:
        """Add a manifest saying the clip was made by ``model`` from trained algorithmic media, in place."""
        import c2pa

        manifest = {
            "claim_generator_info": [{"name": SIGNER_NAME, "version": "1"}],
            "title": title,
            "assertions": [
                {
                    "label": "c2pa.actions",
                    "data": {
                        "actions": [
                            {
                                "action": "c2pa.created",
                                "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
                                "softwareAgent": {"name": model},
                            }
                        ]
                    },
                }
            ],
        }
        signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(b"es256", self.chain_pem, self.key_pem, None))
        partial = f"{path}.signed.part"
        try:
            with open(path, "rb") as source, open(partial, "wb") as target, c2pa.Builder(json.dumps(manifest)) as b:
                b.sign(signer, "video/mp4", source, target)
            os.replace(partial, path)
        finally:
            signer.close()
            if os.path.exists(partial):
                os.remove(partial)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, SIGNER_NAME),
        ]
    )


def _make_ca() -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("sora-products emulator C2PA CA")
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _make_signer(
    ca: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(SIGNER_NAME))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key
