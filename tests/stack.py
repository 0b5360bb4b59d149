"""The real moving parts for integration tests: emulator, live web server, qcluster subprocesses.

The test process and every worker share one database (the test database) and one broker (the
ORM broker on that database, or Redis when SORA_REDIS_URL is set); the emulator is a real HTTP
server on loopback that sends signed webhooks to the live server.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from sora_products.models import TERMINAL_STATUSES, ProductVideo

ROOT = Path(__file__).resolve().parent.parent
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"integration-tests-secret-bytes!!").decode()


class Stack:
    """Settings shared by the test process and its workers, and the workers themselves."""

    def __init__(self, settings, emulator, live_server, tmp_path: Path) -> None:
        self.settings, self.emulator, self.live_server = settings, emulator, live_server
        self.workers: list[subprocess.Popen] = []
        self.logs = tmp_path / "worker-logs"
        self.logs.mkdir(exist_ok=True)
        self.sora = {
            **settings.SORA_PRODUCTS,
            "QUEUE": "sora_products.queues.DjangoQ2Queue",
            "PROVIDERS": {"default": {"BASE_URL": emulator.base_url, "API_KEY": emulator.api_key, "WEBHOOKS": False}},
            "POLL_INTERVAL": 0.3,
            "WEBHOOK_POLL_INTERVAL": 5,
            "TASK_HOLD_SECONDS": 20,
            "RECONCILE_GRACE_SECONDS": 3,
            "SYNC_LEASE_SECONDS": 3,
            "BACKOFF": {"FIRST_SECONDS": 0.3, "MAX_SECONDS": 2, "JITTER": 0.2},
            "OUTAGE": {"AFTER_FAILURES": 3, "PROBE_SECONDS": 1},
            "BUDGET": {"DAILY": None, "MONTHLY": None, "SHOPPER_DAILY": None},
            "WEBHOOK_SECRETS": [WEBHOOK_SECRET],
        }
        # Workers must listen on the queue this process enqueues to (django-q2 reads it at import).
        self.q_env: dict[str, str] = {"SORA_Q_NAME": settings.Q_CLUSTER["name"]}
        self.apply()

    def apply(self, **changes) -> None:
        """Change SORA_PRODUCTS for this process and for workers started afterwards."""
        self.sora.update(changes)
        self.settings.SORA_PRODUCTS = dict(self.sora)

    def use_webhooks(self) -> None:
        provider = {**self.sora["PROVIDERS"]["default"], "WEBHOOKS": True}
        self.apply(PROVIDERS={"default": provider})
        self.emulator.configure(
            webhook_url=f"{self.live_server.url}/videos/webhooks/provider/", webhook_secret=WEBHOOK_SECRET
        )

    def use_runway(self) -> None:
        """Make the videos through the emulator's Runway protocol (polled: Runway has no webhooks)."""
        runway = {
            "BACKEND": "sora_products.providers.runway.RunwayProvider",
            "BASE_URL": self.emulator.url,
            "API_KEY": self.emulator.api_key,
            "MODEL": "gen4.5",
        }
        self.apply(PROVIDERS={"default": runway})

    def use_fal(self, *, webhooks: bool = False, model: str = "fal-ai/veo3.1/fast/image-to-video") -> None:
        """Make the videos through the emulator's fal queue on its TLS port, trusting its CA only here."""
        fal = {
            "BACKEND": "sora_products.providers.fal.FalProvider",
            "QUEUE_URL": self.emulator.tls_url,
            "JWKS_URL": f"{self.emulator.tls_url}/.well-known/jwks.json",
            "VERIFY": self.emulator.ca_path,
            "API_KEY": self.emulator.api_key,
            "MODEL": model,
            "WEBHOOKS": webhooks,
        }
        self.apply(PROVIDERS={"default": fal}, PUBLIC_URL=self.live_server.url)

    def worker_env(self, **extra: str) -> dict[str, str]:
        media = str(self.settings.MEDIA_ROOT)
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE") or "tests.settings",
            "SORA_WORKER_DB_NAME": str(connection.settings_dict["NAME"]),
            "SORA_TEST_MEDIA": media,
            "SORA_STACK_SETTINGS": json.dumps(self.sora, default=str),
            "PYTHONUNBUFFERED": "1",
            **self.q_env,
            **extra,
        }

    def start_worker(self, workers: int = 1, **extra: str) -> subprocess.Popen:
        """A real ``manage.py qcluster`` in its own process group (so kill -9 takes its children too)."""
        log = open(self.logs / f"worker-{len(self.workers)}.log", "w")  # noqa: SIM115 - closed with the stack
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "qcluster"],
            cwd=ROOT,
            env=self.worker_env(SORA_Q_WORKERS=str(workers), **extra),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.workers.append(process)
        return process

    def kill(self, process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        if process.poll() is None:
            os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def stop(self) -> None:
        """The test is over: nothing a worker holds matters, so don't wait for a graceful stop."""
        for process in self.workers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)

    def worker_log(self) -> str:
        return "\n".join(path.read_text()[-3000:] for path in sorted(self.logs.glob("*.log")))

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 60.0, *, tick: Callable[[], None] | None = None):
        """Poll until predicate() holds; tick() runs between polls (e.g. the sync pass)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            if tick:
                tick()
            time.sleep(0.2)
        raise AssertionError(f"timed out after {timeout:.0f} s; worker log:\n{self.worker_log()}")

    def wait_until_terminal(self, ids: list[int], timeout: float = 60.0, **kwargs) -> list[ProductVideo]:
        def done() -> bool:
            return ProductVideo.objects.filter(pk__in=ids, status__in=TERMINAL_STATUSES).count() == len(ids)

        self.wait_for(done, timeout, **kwargs)
        return list(ProductVideo.objects.filter(pk__in=ids).order_by("pk"))


@pytest.fixture
def stack(settings, video_emulator, live_server, tmp_path, transactional_db) -> Iterator[Stack]:
    """Emulator + live server + (on demand) qcluster workers over one real database."""
    stack = Stack(settings, video_emulator, live_server, tmp_path)
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture
def provider(settings, video_emulator):
    """The app pointed at the emulator, with quick polls, for tests that drive rows in this process."""
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "PROVIDERS": {"default": {"BASE_URL": video_emulator.base_url, "API_KEY": video_emulator.api_key}},
        "POLL_INTERVAL": 0.1,
        "RECONCILE_GRACE_SECONDS": 1,
        "BACKOFF": {"FIRST_SECONDS": 0.1, "MAX_SECONDS": 1, "JITTER": 0.2},
        "OUTAGE": {"AFTER_FAILURES": 3, "PROBE_SECONDS": 0.5},
    }
    return video_emulator


def run_concurrently(count: int, work: Callable[[], object]) -> list[BaseException]:
    """Start ``count`` threads at the same moment; each closes its DB connection; returns their errors."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=20)
            work()
        except BaseException as exc:  # collected for the test to assert on
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
