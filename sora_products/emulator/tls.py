"""A local CA and a loopback server certificate, so HTTPS-only SDKs (fal-client) can talk to the emulator.

The files live in one folder and are reused while they are valid, so a client that trusts ``ca.pem`` keeps
trusting the emulator across restarts (point ``SSL_CERT_FILE`` or ``verify=`` at it).
"""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import os
import ssl
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from .errors import ApiError
from .protocol import Request, Response
from .server import EmulatorHTTPServer

CA_FILE, CA_KEY_FILE = "ca.pem", "ca-key.pem"
CERT_FILE, KEY_FILE = "server.pem", "server-key.pem"
HOSTS = ("localhost",)
ADDRESSES = ("127.0.0.1", "::1")
CA_DAYS, SERVER_DAYS = 3650, 825
RENEW_BEFORE = datetime.timedelta(days=7)  # a certificate this close to expiry is made again
HANDSHAKE_TIMEOUT = 10


@dataclass(frozen=True)
class Certificates:
    """Paths of the CA (what clients trust) and of the server's certificate chain and key."""

    directory: str
    ca_path: str
    ca_key_path: str
    cert_path: str
    key_path: str

    def server_context(self) -> ssl.SSLContext:
        """The TLS settings the HTTPS port serves with."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.cert_path, self.key_path)
        return context


def ensure_certificates(directory: str) -> Certificates:
    """Reuse the CA and server certificate in directory when valid; otherwise make what is missing or stale.

    A valid CA is kept even when the server certificate has to be made again, so clients keep trusting it."""
    os.makedirs(directory, exist_ok=True)
    paths = Certificates(
        directory,
        os.path.join(directory, CA_FILE),
        os.path.join(directory, CA_KEY_FILE),
        os.path.join(directory, CERT_FILE),
        os.path.join(directory, KEY_FILE),
    )
    with _locked(directory):
        ca = _load_ca(paths)
        if ca is None:
            ca = _make_ca(paths)
            _make_server(paths, *ca)
        elif not _server_is_valid(paths, ca[0]):
            _make_server(paths, *ca)
    return paths


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _load_ca(paths: Certificates) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey] | None:
    """The CA certificate and key if both load, match, are a CA and stay valid a while longer."""
    try:
        with open(paths.ca_path, "rb") as handle:
            cert = x509.load_pem_x509_certificate(handle.read())
        with open(paths.ca_key_path, "rb") as handle:
            key = serialization.load_pem_private_key(handle.read(), password=None)
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except (OSError, ValueError, TypeError, x509.ExtensionNotFound):
        return None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.public_key() != cert.public_key():
        return None
    if not constraints.ca or not _fresh(cert):
        return None
    return cert, key


def _server_is_valid(paths: Certificates, ca: x509.Certificate) -> bool:
    """True when the server certificate is signed by this CA, names every loopback host and matches its key."""
    try:
        with open(paths.cert_path, "rb") as handle:
            cert = x509.load_pem_x509_certificate(handle.read())
        with open(paths.key_path, "rb") as handle:
            key = serialization.load_pem_private_key(handle.read(), password=None)
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        cert.verify_directly_issued_by(ca)
    except (OSError, ValueError, TypeError, x509.ExtensionNotFound, InvalidSignature):
        return False
    if key.public_key() != cert.public_key() or not _fresh(cert):
        return False
    hosts = set(names.get_values_for_type(x509.DNSName))
    addresses = {str(address) for address in names.get_values_for_type(x509.IPAddress)}
    return set(HOSTS) <= hosts and set(ADDRESSES) <= addresses


def _fresh(cert: x509.Certificate) -> bool:
    now = _now()
    return cert.not_valid_before_utc <= now and now + RENEW_BEFORE < cert.not_valid_after_utc


def _make_ca(paths: Certificates) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sora-products emulator local CA")])
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_key(paths.ca_key_path, key)
    _write(paths.ca_path, cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def _make_server(paths: Certificates, ca: x509.Certificate, ca_key: ec.EllipticCurvePrivateKey) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    now = _now()
    names = [x509.DNSName(host) for host in HOSTS] + [x509.IPAddress(ipaddress.ip_address(a)) for a in ADDRESSES]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=SERVER_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _write_key(paths.key_path, key)
    _write(paths.cert_path, cert.public_bytes(serialization.Encoding.PEM))


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _write_key(path: str, key: Any) -> None:
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    _write(path, pem, mode=0o600)


def _write(path: str, data: bytes, mode: int = 0o644) -> None:
    """Write then rename, so a reader never sees half a file."""
    partial = f"{path}.{os.getpid()}.part"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.replace(partial, path)


@contextlib.contextmanager
def _locked(directory: str) -> Iterator[None]:
    """Two emulators starting on one folder at once make one set of files, not two half-sets."""
    if sys.platform == "win32":
        yield
        return
    import fcntl

    with open(os.path.join(directory, ".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class EmulatorHTTPSServer(EmulatorHTTPServer):
    """The emulator's HTTP server over TLS; the handshake runs on the connection's own thread."""

    def __init__(
        self,
        address: tuple[str, int],
        dispatch: Callable[[Request], Any],
        log_requests: bool,
        context: ssl.SSLContext,
        error_response: Callable[[ApiError], Response],
    ) -> None:
        self._context = context
        self._error_response = error_response
        super().__init__(address, dispatch, log_requests)

    def get_request(self) -> tuple[Any, Any]:
        """Accept without handshaking, so one silent client cannot stall the accept loop."""
        sock, address = self.socket.accept()
        return self._context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Handshake (bounded in time), then serve; a client that does not trust the CA just goes away."""
        try:
            request.settimeout(HANDSHAKE_TIMEOUT)
            request.do_handshake()
        except (OSError, ValueError):
            return
        super().finish_request(request, client_address)

    def error_response(self, error: ApiError) -> Response:
        """Errors the HTTP layer answers itself (a body too large) in the TLS port's protocol."""
        return self._error_response(error)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """TLS alerts from clients that hang up are as normal here as plain disconnects."""
        if isinstance(sys.exc_info()[1], ssl.SSLError):
            return
        super().handle_error(request, client_address)
