"""The processes of a shop at scale on this machine: PostgreSQL, Redis, the emulator, a qcluster, gunicorn."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get("SORA_LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("SORA_LOAD_REDIS_URL", "redis://127.0.0.1:6379/8")
DATABASE = "sora_load"
GUNICORN_WORKERS = 3
GUNICORN_THREADS = 4
SHOPPER_DAILY = "100.00"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LoadShop:
    """The demo shop on a fresh PostgreSQL database and Redis (cache and broker), seeded, with its emulator
    (jobs take 10 minutes, so every asked video stays pending through the run) and one qcluster."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="sora-load-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stack = ExitStack()
        self.web: subprocess.Popen | None = None
        self.processes: list[subprocess.Popen] = []

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.load.settings",
            "DATABASE_URL": f"{POSTGRES_URL.rsplit('/', 1)[0]}/{DATABASE}",
            "SORA_REDIS_URL": REDIS_URL,
            "DJANGO_MEDIA_ROOT": str(self.folder / "media"),
            "DJANGO_SECRET_KEY": "load-run-not-secret",
            "SORA_LOAD_EMULATOR": self.emulator.base_url,
            "SORA_LOAD_SHOPPER_DAILY": SHOPPER_DAILY,
            "PYTHONPATH": str(ROOT),
            **extra,
        }

    def __enter__(self) -> LoadShop:
        import psycopg
        import redis

        from sora_products.emulator.testing import run_emulator_process

        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
        redis.Redis.from_url(REDIS_URL).flushdb()
        self.emulator = self.stack.enter_context(
            run_emulator_process(
                instant=True, complete_after=600, api_key="sk-load", data_dir=str(self.folder / "emulator")
            )
        )
        for command in (["migrate", "--verbosity", "0"], ["seed_demo", "--verbosity", "0"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=self.env(), check=True)
        self.processes.append(self.spawn([sys.executable, "manage.py", "qcluster"], "qcluster"))
        return self

    def setup_django(self) -> None:
        """This process on the shop's settings and database, to count what the run left behind."""
        import django

        os.environ.update({key: value for key, value in self.env().items() if key != "PYTHONPATH"})
        sys.path.insert(0, str(ROOT))
        django.setup()

    def spawn(self, command: list[str], name: str, **env: str) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "a")  # noqa: SIM115 - closed when the process is reaped
        return subprocess.Popen(
            command, cwd=ROOT, env=self.env(**env), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def serve(self, *, rates: dict[str, str] | None, num_proxies: int) -> None:
        """(Re)start gunicorn with these throttle rates (None: the app's defaults) and trusted proxies."""
        self.stop_web()
        env = {"SORA_LOAD_NUM_PROXIES": str(num_proxies)}
        if rates is not None:
            env["SORA_LOAD_RATES"] = json.dumps(rates)
        command = [
            sys.executable, "-m", "gunicorn", "demo_shop.wsgi",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(GUNICORN_WORKERS), "--worker-class", "gthread", "--threads", str(GUNICORN_THREADS),
            "--backlog", "1024", "--timeout", "60", "--log-level", "warning",
            # Longer than any shopper's pause, as behind a load balancer (whose idle timeout must be the shorter):
            # with gunicorn's 2 s default, a busy machine closes a kept-alive connection as the client reuses it.
            "--keep-alive", "75",
        ]  # fmt: skip
        self.web = self.spawn(command, "gunicorn", **env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=2).close()  # noqa: S310 - loopback
                return
            except OSError:
                if self.web.poll() is not None:
                    break
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not start:\n{self.log('gunicorn')}")

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text()[-4000:] if path.exists() else ""

    def stop_web(self) -> None:
        if self.web is not None and self.web.poll() is None:
            os.killpg(self.web.pid, signal.SIGTERM)
            try:
                self.web.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.web.pid, signal.SIGKILL)
                self.web.wait(10)
        self.web = None

    def __exit__(self, *exc_info: object) -> None:
        self.stop_web()
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        self.stack.close()
