"""`python manage.py demo`: the whole demo shop in one terminal, stopped cleanly by Ctrl-C.

Migrates, seeds, then starts the web server, one qcluster worker and (unless a real
VIDEO_API_BASE_URL is set) the provider emulator with signed webhooks to the web server.
Every child runs in its own process group, so Ctrl-C stops all of them and leaves nothing behind.
The emulator may stop on its own (an outage rehearsal): the shop keeps running, and SIGUSR1 to the
demo starts the emulator again on the same port.
"""

from __future__ import annotations

import base64
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def _interrupt(signum: int, frame: object) -> None:
    """Treat SIGTERM (and SIGINT, whatever the shell did with it) like Ctrl-C, so the children are stopped."""
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Run the demo shop: web server, worker and video emulator, until Ctrl-C."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--emulator-port", type=int, default=settings.EMULATOR_PORT)
        parser.add_argument("--no-seed", action="store_true", help="Skip creating the demo products.")

    def handle(self, *args, port: int, emulator_port: int, no_seed: bool, **options) -> None:
        self.children: list[subprocess.Popen] = []
        self.emulator: subprocess.Popen | None = None
        self.restart_emulator = False
        env = self.child_env(port, emulator_port)
        call_command("migrate", interactive=False, verbosity=0)
        if settings.AWS_S3_ENDPOINT_URL:
            self.ensure_bucket()
        # Ctrl-C stops the demo even when it was started from a shell that ignores SIGINT (a background job).
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)
        signal.signal(signal.SIGUSR1, self._ask_restart)
        try:
            if not settings.VIDEO_API_BASE_URL:
                self.start_emulator(emulator_port, port, env)
            if not no_seed:
                # Seeding saves products, which asks for videos: the worker picks them up.
                subprocess.run([sys.executable, "manage.py", "seed_demo"], env=env, check=True)
            self.start([sys.executable, "manage.py", "qcluster"], env, "worker")
            self.start([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], env, "web")
            self.wait_for(f"http://127.0.0.1:{port}/", "web server")
            self.banner(port, emulator_port)
            while self.keep_running(emulator_port, port, env):
                time.sleep(0.5)
            self.stderr.write("A demo process stopped; shutting the others down.")
        except KeyboardInterrupt:
            self.stdout.write("\nStopping the demo...")
        finally:
            self.stop_all()

    def _ask_restart(self, signum: int, frame: object) -> None:
        self.restart_emulator = True

    def keep_running(self, emulator_port: int, port: int, env: dict[str, str]) -> bool:
        """The shop runs on while the web server and worker do; a stopped emulator is only an outage."""
        if self.emulator is not None and self.emulator.poll() is not None:
            self.children.remove(self.emulator)
            self.emulator = None
            self.stderr.write(
                "The video emulator stopped: the shop keeps running and videos wait (the admin says so). "
                f"Start it again with: kill -USR1 {os.getpid()}"
            )
        if self.restart_emulator:
            self.restart_emulator = False
            if self.emulator is None and not settings.VIDEO_API_BASE_URL:
                self.start_emulator(emulator_port, port, env)
                self.stdout.write(f"The video emulator is back on port {emulator_port} (pid {self.emulator.pid}).")
        return all(child.poll() is None for child in self.children)

    def child_env(self, port: int, emulator_port: int) -> dict[str, str]:
        env = dict(os.environ, PYTHONUNBUFFERED="1", EMULATOR_PORT=str(emulator_port))
        if not settings.VIDEO_API_BASE_URL and not env.get("VIDEO_WEBHOOK_SECRET"):
            env["VIDEO_WEBHOOK_SECRET"] = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
        return env

    def start_emulator(self, emulator_port: int, port: int, env: dict[str, str]) -> None:
        command = [
            sys.executable,
            "-m",
            "sora_products.emulator",
            "--port",
            str(emulator_port),
            "--webhook-url",
            f"http://127.0.0.1:{port}/videos/webhooks/provider/",
            "--webhook-secret",
            env["VIDEO_WEBHOOK_SECRET"],
        ]
        if settings.DEMO_PROVIDER == "fal":
            command += ["--tls-port", str(settings.EMULATOR_TLS_PORT), "--tls-dir", str(settings.EMULATOR_TLS_DIR)]
        self.emulator = self.start(command, env, "emulator")
        self.wait_for(f"http://127.0.0.1:{emulator_port}/_emulator/stats", "emulator")

    def start(self, command: list[str], env: dict[str, str], name: str) -> subprocess.Popen:
        child = subprocess.Popen(command, env=env, start_new_session=True)
        self.children.append(child)
        return child

    def wait_for(self, url: str, name: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                return
            except Exception:
                if any(child.poll() is not None for child in self.children):
                    raise SystemExit(f"The {name} failed to start; see the messages above.") from None
                time.sleep(0.3)
        raise SystemExit(f"The {name} did not answer at {url} within {timeout:.0f} s.")

    def ensure_bucket(self) -> None:
        """Make the demo's bucket on the S3 store if it is not there yet (a real shop makes its bucket once)."""
        from storages.backends.s3 import S3Storage

        storage = S3Storage()
        try:
            storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
        except storage.connection.meta.client.exceptions.ClientError:
            storage.connection.meta.client.create_bucket(Bucket=storage.bucket_name)
            self.stdout.write(f"Created the bucket {storage.bucket_name!r} on {settings.AWS_S3_ENDPOINT_URL}.")

    def banner(self, port: int, emulator_port: int) -> None:
        provider = settings.VIDEO_API_BASE_URL or f"emulator at http://127.0.0.1:{emulator_port}/v1"
        if settings.DEMO_PROVIDER == "runway":
            provider = f"Runway protocol, {settings.SORA_PRODUCTS['PROVIDERS']['default']['BASE_URL']}"
        elif settings.DEMO_PROVIDER == "fal":
            options = settings.SORA_PRODUCTS["PROVIDERS"]["default"]
            provider = f"fal queue, {options.get('QUEUE_URL', 'https://queue.fal.run')}"
        lines = [
            "",
            "  The demo shop is running.",
            f"  Storefront:  http://127.0.0.1:{port}/",
            f"  Admin:       http://127.0.0.1:{port}/admin/   (login: admin / admin)",
            f"  Videos from: {provider}",
            *([f"  Media on:    S3 at {settings.AWS_S3_ENDPOINT_URL}, bucket {settings.AWS_STORAGE_BUCKET_NAME}"]
              if settings.AWS_S3_ENDPOINT_URL else []),
            *(
                [f"  Rehearse an outage: kill {self.emulator.pid}; kill -USR1 {os.getpid()} brings the emulator back."]
                if self.emulator is not None
                else []
            ),
            "  Press Ctrl-C to stop everything.",
            "",
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))

    def stop_all(self) -> None:
        for child in self.children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in self.children:
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        self.stdout.write("Demo stopped; no process left running.")
