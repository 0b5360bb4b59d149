"""The fal.ai queue on its own HTTPS port: certificates, the webhook key, the routes and the serving thread.

It shares the emulator's job store, renders, faults, stats and webhook sender; only the wire protocol differs.
"""

from __future__ import annotations

import logging
import os
import threading

from .config import EmulatorConfig
from .fal import FalApi
from .fal_routes import FalRouter, error_response
from .fal_webhooks import FalWebhookSigner, load_signing_key
from .faults import FaultInjector
from .lifecycle import Lifecycle
from .protocol import Request
from .stats import Stats
from .store import Job, JobStore
from .tls import Certificates, EmulatorHTTPSServer, ensure_certificates
from .webhooks import WebhookSender

log = logging.getLogger(__name__)


class FalPort:
    """Binds the TLS port on start() and serves fal's queue there until stop()."""

    def __init__(
        self,
        config: EmulatorConfig,
        store: JobStore,
        lifecycle: Lifecycle,
        faults: FaultInjector,
        stats: Stats,
        webhooks: WebhookSender,
        data_dir: str,
    ) -> None:
        self.tls_dir = config.tls_dir or os.path.join(data_dir, "tls")
        self.certificates: Certificates = ensure_certificates(self.tls_dir)
        self.signer = FalWebhookSigner(load_signing_key(self.tls_dir))
        self._config = config
        self._stats = stats
        self.api = FalApi(config, store, lifecycle, faults, stats, data_dir, webhooks, self.signer, lambda: self.port)
        self._router = FalRouter(config, self.api, self.signer, faults, stats)
        self._server: EmulatorHTTPSServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> FalPort:
        """Bind (port 0 = any free one) and serve on a background thread; OSError if the port is taken."""

        def dispatch(request: Request) -> object:
            answer = self._router.dispatch(request)
            self._stats.status(answer.status)
            return answer

        address = (self._config.host, self._config.tls_port or 0)
        context = self.certificates.server_context()
        self._server = EmulatorHTTPSServer(address, dispatch, self._config.log_requests, context, error_response)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, name="sora-emulator-fal", daemon=True
        )
        self._thread.start()
        log.info("fal queue listening on %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving (idempotent)."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._server = None
        if self._thread is not None:
            self._thread.join(5)

    @property
    def port(self) -> int:
        """The bound TLS port."""
        return self._server.server_address[1] if self._server else (self._config.tls_port or 0)

    @property
    def url(self) -> str:
        """https://127.0.0.1:port: what FAL_QUEUE_RUN_HOST and FAL_RUN_HOST name (without the scheme)."""
        host = self._config.host if self._config.host not in ("0.0.0.0", "") else "127.0.0.1"
        return f"https://{host}:{self.port}"

    @property
    def ca_path(self) -> str:
        """The CA file clients trust (SSL_CERT_FILE for fal-client, verify= for httpx)."""
        return self.certificates.ca_path

    def announce(self, job: Job) -> None:
        """The emulator's finish hook for fal jobs: the signed webhook, when one was asked for."""
        self.api.announce(job)
