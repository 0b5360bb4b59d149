"""Test helpers: a pytest plugin with the ``video_emulator`` fixture, and the emulator as a subprocess.

Use as a plugin (``pytest_plugins = ["sora_products.emulator.testing"]`` in the root conftest) or import
the fixtures into a conftest. The in-process object and the subprocess handle share one interface:
``base_url``, ``api_key``, ``url``, ``stats()``, ``configure(**settings)``, ``reset()``, ``settings()``.
``base_url`` (…/v1) is what the openai SDK takes; ``url`` (the server root) is what the runwayml SDK takes.
``tls_url`` and ``ca_path`` locate the fal.ai queue on the TLS port (None when it was not started); the session
emulator always has one.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from .app import Emulator
from .cli import FAL_READY, READY_PREFIX, add_arguments
from .config import EmulatorConfig

TEST_API_KEY = "sk-emulator-test"
TEST_SETTINGS: dict[str, Any] = {
    "host": "127.0.0.1",
    "port": 0,
    "fast": True,
    "complete_after": 0.5,
    "poll_after_ms": 50,
    "api_key": TEST_API_KEY,
    "workers": 2,
    "retry_after_ms": 20,
    "webhook_backoff": 0.05,
    "webhook_timeout": 2.0,
    "seed": 1234,
}


def start_emulator(**settings: Any) -> Emulator:
    """An in-process emulator with test settings (fast renders, 0.5 s jobs, free port), already started."""
    return Emulator(EmulatorConfig(**TEST_SETTINGS), **settings).start()


@pytest.fixture(scope="session")
def video_emulator_session() -> Iterator[Emulator]:
    """One emulator for the whole session (with the fal queue on a free TLS port); prefer ``video_emulator``,
    which resets it for each test."""
    emulator = start_emulator(tls_port=0)
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture
def video_emulator(video_emulator_session: Emulator) -> Iterator[Emulator]:
    """A running emulator with no jobs, zeroed counters and the test settings restored."""
    video_emulator_session.reset()
    yield video_emulator_session
    video_emulator_session.reset()


class EmulatorProcess:
    """A handle on an emulator running in another process, steered over its /_emulator endpoints."""

    def __init__(
        self,
        process: subprocess.Popen[str],
        base_url: str,
        api_key: str,
        tls_url: str | None = None,
        ca_path: str | None = None,
    ) -> None:
        self.process = process
        self.base_url = base_url
        self.url = base_url.removesuffix("/v1")
        self.api_key = api_key
        self.tls_url = tls_url  # the fal queue, when started with tls_port
        self.ca_path = ca_path

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"content-type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback URL
            return json.loads(response.read())

    def stats(self) -> dict[str, Any]:
        """Same shape as Emulator.stats()."""
        return self._call("GET", "/_emulator/stats")

    def settings(self) -> dict[str, Any]:
        """The live settings."""
        return self._call("GET", "/_emulator/config")

    def configure(self, **changes: Any) -> dict[str, Any]:
        """Change settings at run time (faults, timing, webhooks)."""
        return self._call("POST", "/_emulator/config", changes)

    def reset(self) -> None:
        """Forget jobs and counters; restore the start-up settings."""
        self._call("POST", "/_emulator/reset", {})

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, then SIGKILL if it does not exit in time."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)


def emulator_command(**settings: Any) -> list[str]:
    """The ``python -m sora_products.emulator`` command line for these settings."""
    import argparse

    parser = argparse.ArgumentParser(add_help=False)
    add_arguments(parser)
    flags = {action.dest: action for action in parser._actions if action.option_strings}
    argv = [sys.executable, "-m", "sora_products.emulator"]
    for name, value in settings.items():
        if name not in flags:
            raise ValueError(f"{name} cannot be set on the command line.")
        action = flags[name]
        flag = action.option_strings[0]
        if isinstance(action, argparse._StoreConstAction):  # store_true / store_false
            if value == action.const:
                argv.append(flag)
        elif isinstance(action, argparse._AppendAction):
            for item in [value] if isinstance(value, str) else value:
                argv += [flag, str(item)]
        elif value is not None:
            argv += [flag, str(value)]
    return argv


@contextmanager
def run_emulator_process(startup_timeout: float = 30.0, **settings: Any) -> Iterator[EmulatorProcess]:
    """Run the emulator as a subprocess (for tests where another process, e.g. a worker, talks to it).

    Takes the same settings as EmulatorConfig, with the test defaults (tls_port=0 adds the fal queue on a free TLS
    port); yields an EmulatorProcess.
    """
    merged = {**TEST_SETTINGS, **settings}
    env = dict(os.environ)
    project_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [project_root, env.get("PYTHONPATH")]))
    process = subprocess.Popen(emulator_command(**merged), stdout=subprocess.PIPE, text=True, env=env)
    handle = None
    try:
        base_url, tls_url, ca_path = parse_ready_line(_wait_for_ready(process, startup_timeout))
        api_key = merged.get("api_key") or "sk-emulator"
        handle = EmulatorProcess(process, base_url, api_key, tls_url=tls_url, ca_path=ca_path)
        yield handle
    finally:
        if handle is not None:
            handle.stop()
        elif process.poll() is None:
            process.kill()
            process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


def parse_ready_line(line: str) -> tuple[str, str | None, str | None]:
    """The base URL, and the fal queue's URL and CA path (None without a TLS port), from the CLI's ready line."""
    base = re.search(r"(http://\S+/v1)", line)
    if base is None:
        raise ValueError(f"Not a ready line: {line!r}")
    fal = re.search(FAL_READY + r" (https://\S+) \(CA (.+)\)\s*$", line)
    return base.group(1), (fal.group(1) if fal else None), (fal.group(2) if fal else None)


def _wait_for_ready(process: subprocess.Popen[str], timeout: float) -> str:
    """Read stdout until the ready line announces the base URL; returns that line."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put("")

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.05, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line.startswith(READY_PREFIX):
            if re.search(r"(http://\S+/v1)", line):
                return line
        if line == "":
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                pass
            raise RuntimeError(f"The emulator process exited (code {process.returncode}) before it was ready.")
    raise RuntimeError(f"The emulator process did not announce itself within {timeout:g} s.")
