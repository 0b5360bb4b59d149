"""The Emulator object: wires config, jobs, renders, faults, webhooks, each protocol's routes and the HTTP server."""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from typing import Any

from . import credentials
from .api import VideoApi
from .config import EmulatorConfig
from .control import ControlApi
from .fal_port import FalPort
from .faults import FaultInjector
from .lifecycle import Lifecycle
from .protocol import Request
from .routes import Router
from .runway import RunwayApi
from .server import EmulatorHTTPServer
from .stats import Stats
from .store import Job, JobStore
from .webhooks import WebhookSender

log = logging.getLogger(__name__)


class Emulator:
    """A local video provider (OpenAI Videos API under /v1/videos, Runway's tasks API beside it): start() serves it on
    a thread, stop() tears it down. Every protocol shares one job store, renderer and fault set.

    Settings are live: ``emulator.config.failure_rate = 0.2`` or ``emulator.configure(rate_limit_next=3)``
    take effect on the next request.
    """

    def __init__(self, config: EmulatorConfig | None = None, **settings: Any) -> None:
        self.config = config.copy() if config is not None else EmulatorConfig()
        self.config.update(**settings)
        self._initial = self.config.copy()
        self.store = JobStore()
        self._stats = Stats()
        self.faults = FaultInjector(self.config)
        self.webhooks = WebhookSender(self.config)
        self.lifecycle = Lifecycle(self.config, self.store, self._finished)
        self.finish_hooks: dict[str, Callable[[Job], None]] = {"openai": self._openai_finished}
        self.finish_hooks["fal"] = self._fal_finished
        self._fal: FalPort | None = None  # the fal.ai queue on the TLS port, when config.tls_port is set
        self._server: EmulatorHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._own_data_dir = False
        self.clip_signer: credentials.ClipSigner | None = None
        self.data_dir = self.config.data_dir or ""

    # -- running ---------------------------------------------------------------------------------

    def start(self) -> Emulator:
        """Bind the port (0 = any free one), start the worker threads and serve in the background."""
        if self._server is not None:
            return self
        if importlib.util.find_spec("av") is None or importlib.util.find_spec("numpy") is None:
            raise RuntimeError("The emulator renders with PyAV and numpy: pip install 'sora-products[emulator]'.")
        if self.config.data_dir:
            self.data_dir = self.config.data_dir
        else:
            self.data_dir = tempfile.mkdtemp(prefix="sora-emulator-")
            self._own_data_dir = True
        self.lifecycle.use_stock_clips(os.path.join(self.data_dir, "stock"))
        if credentials.available():
            self.clip_signer = credentials.ClipSigner.in_folder(os.path.join(self.data_dir, "c2pa"))
            self.lifecycle.use_signer(self.clip_signer)
        api = VideoApi(self.config, self.store, self.lifecycle, self.faults, self._stats, self.data_dir)
        runway = RunwayApi(self.config, self.store, self.lifecycle, self.faults, self._stats, self.data_dir)
        router = Router(self.config, api, ControlApi(self), self.faults, self._stats, runway)

        def dispatch(request: Request) -> Any:
            answer = router.dispatch(request)
            self._stats.status(answer.status)
            return answer

        try:
            self._server = EmulatorHTTPServer((self.config.host, self.config.port), dispatch, self.config.log_requests)
            if self.config.tls_port is not None:
                parts = (self.config, self.store, self.lifecycle, self.faults, self._stats, self.webhooks)
                self._fal = FalPort(*parts, self.data_dir).start()
        except OSError:
            if self._server is not None:
                self._server.server_close()
                self._server = None
            if self._own_data_dir:
                shutil.rmtree(self.data_dir, ignore_errors=True)
            raise
        self.lifecycle.start()
        self.webhooks.start()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, name="sora-emulator-http", daemon=True
        )
        self._thread.start()
        log.info("sora emulator listening on %s", self.base_url)
        return self

    def stop(self) -> None:
        """Stop serving and remove a temporary data directory."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._server = None
        if self._fal is not None:
            self._fal.stop()
            self._fal = None
        if self._thread is not None:
            self._thread.join(5)
        self.lifecycle.stop()
        self.webhooks.stop()
        if self._own_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def serve_forever(self) -> None:
        """Start and block until interrupted (the CLI)."""
        self.start()
        try:
            threading.Event().wait()
        finally:
            self.stop()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- where it is ------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The bound port (the real one when started with port 0)."""
        return self._server.server_address[1] if self._server else self.config.port

    @property
    def url(self) -> str:
        """http://host:port, without the /v1 prefix: Runway's SDK takes this as base_url (control endpoints live
        under /_emulator)."""
        host = self.config.host if self.config.host not in ("0.0.0.0", "") else "127.0.0.1"
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What to give the OpenAI SDK as base_url."""
        return self.url + "/v1"

    @property
    def tls_url(self) -> str | None:
        """https://127.0.0.1:PORT of the fal queue (FAL_QUEUE_RUN_HOST is this without the scheme); None without TLS."""
        return self._fal.url if self._fal is not None else None

    @property
    def ca_path(self) -> str | None:
        """The local CA that signed the TLS port's certificate (SSL_CERT_FILE for fal-client); None without TLS."""
        return self._fal.ca_path if self._fal is not None else None

    @property
    def api_key(self) -> str:
        """A key the emulator accepts."""
        return self.config.api_key or "sk-emulator"

    # -- steering and inspection --------------------------------------------------------------------

    def configure(self, **changes: Any) -> None:
        """Change settings while running (faults, timing, webhooks); unknown names raise ValueError."""
        self.config.update(running=self._server is not None, **changes)
        if "seed" in changes:
            self.faults.reseed()

    def settings(self) -> dict[str, Any]:
        """The live settings as JSON."""
        return self.config.to_dict()

    def c2pa_ca_path(self) -> str | None:
        """The CA that signs the clips' Content Credentials (None without c2pa-python)."""
        return self.clip_signer.ca_path if self.clip_signer is not None else None

    def reset(self) -> None:
        """Forget all jobs, counters and pending webhooks; restore the settings the emulator started with."""
        for job in self.store.clear():
            shutil.rmtree(job.directory, ignore_errors=True)
        self.lifecycle.reset()
        self.webhooks.reset()
        self._stats.reset()
        restorable = {
            k: v
            for k, v in self._initial.to_dict().items()
            if k not in {"host", "port", "data_dir", "workers", "webhook_secret"}
        }
        self.config.update(**restorable)
        self.config.webhook_secret = self._initial.webhook_secret
        self.faults.reseed()

    def stats(self) -> dict[str, Any]:
        """Generations (creates per prompt, timestamps), requests per route, job states, webhook deliveries."""
        snapshot = self._stats.snapshot()
        snapshot["jobs"] = self.store.counts()
        snapshot["webhooks"] = dict(self.webhooks.counts, deliveries=list(self.webhooks.log))
        return snapshot

    def jobs(self) -> list[Job]:
        """Every job, oldest first (for in-process assertions)."""
        return self.store.all()

    def _finished(self, job: Job) -> None:
        """A job reached its end: each protocol announces it its own way (Runway has no webhooks)."""
        announce = self.finish_hooks.get(job.protocol)
        if announce is not None:
            announce(job)

    def _openai_finished(self, job: Job) -> None:
        self.webhooks.send("video.completed" if job.status == "completed" else "video.failed", job.id)

    def _fal_finished(self, job: Job) -> None:
        if self._fal is not None:
            self._fal.announce(job)
