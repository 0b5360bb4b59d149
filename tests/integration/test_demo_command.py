"""`manage.py demo` (what `make demo` runs): serves the seeded shop, and Ctrl-C leaves no process behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.worker]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> set[int]:
    children = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.add(int(entry.name))
    for child in list(children):
        children |= descendants(child)
    return children


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def read_until(demo: subprocess.Popen, output: list[str], marker: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = demo.stdout.readline()
        output.append(line)
        if marker in line:
            return line
        if demo.poll() is not None:
            break
    raise AssertionError(f"{marker!r} never printed:\n{''.join(output)}")


def rehearse_an_outage(demo: subprocess.Popen, port: int, emulator_port: int, output: list[str]) -> None:
    """The README's rehearsal: stop the emulator alone, the shop keeps serving; SIGUSR1 brings it back."""
    banner = next(line for line in output if "Rehearse an outage" in line)
    emulator_pid = int(banner.split("kill ", 1)[1].split(";", 1)[0])
    os.kill(emulator_pid, signal.SIGTERM)
    read_until(demo, output, "The video emulator stopped")
    assert urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).status == 200, "the shop stopped too"
    os.kill(demo.pid, signal.SIGUSR1)
    read_until(demo, output, "The video emulator is back")
    stats = urllib.request.urlopen(f"http://127.0.0.1:{emulator_port}/_emulator/stats", timeout=10)
    assert stats.status == 200


def test_demo_serves_the_seeded_shop_and_ctrl_c_stops_everything(tmp_path):
    port, emulator_port = free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "demo_shop.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "PORT": str(port),
        "EMULATOR_PORT": str(emulator_port),
    }
    env.pop("SORA_REDIS_URL", None)
    demo = subprocess.Popen(
        [sys.executable, "manage.py", "demo"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = demo.stdout.readline()
            output.append(line)
            if "Press Ctrl-C" in line or demo.poll() is not None:
                break
        assert "login: admin / admin" in "".join(output), "".join(output)
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read().decode()
        assert "Linen Midi Dress" in page and "Court Sneakers" in page
        children = descendants(demo.pid)
        assert len(children) >= 3  # web server, worker, emulator
        rehearse_an_outage(demo, port, emulator_port, output)
        children |= descendants(demo.pid)
    finally:
        demo.send_signal(signal.SIGINT)
        tail, _ = demo.communicate(timeout=60)
    assert "no process left running" in tail
    time.sleep(0.5)
    assert not [pid for pid in children if alive(pid)], "processes survived Ctrl-C"


@pytest.mark.parametrize("protocol", ["runway", "fal"])
def test_the_demo_makes_videos_through_each_protocol_against_the_emulator(tmp_path, protocol):
    port, emulator_port, tls_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "demo_shop.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "PORT": str(port),
        "EMULATOR_PORT": str(emulator_port),
        "EMULATOR_TLS_PORT": str(tls_port),
        "EMULATOR_TLS_DIR": str(tmp_path / "tls"),
        "DEMO_PROVIDER": protocol,
    }
    for name in ("SORA_REDIS_URL", "FAL_KEY", "RUNWAYML_API_SECRET", "RUNWAY_BASE_URL", "VIDEO_API_BASE_URL"):
        env.pop(name, None)
    demo = subprocess.Popen(
        [sys.executable, "manage.py", "demo"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    try:
        read_until(demo, output, "Press Ctrl-C", timeout=120)
        # Keep draining the shop's output, or its processes block on a full pipe.
        threading.Thread(target=lambda: output.extend(demo.stdout), daemon=True).start()
        assert ("Runway protocol" if protocol == "runway" else "fal queue") in "".join(output)
        deadline = time.monotonic() + 120
        page = ""
        while time.monotonic() < deadline and "data-video-id" not in page:
            time.sleep(1)
            page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read().decode()
        assert "data-video-id" in page, "no video reached the storefront:\n" + "".join(output[-40:])
        stats = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{emulator_port}/_emulator/stats").read())
        assert set(stats["creates_by_protocol"]) == {protocol}
    finally:
        demo.send_signal(signal.SIGINT)
        demo.wait(timeout=60)
