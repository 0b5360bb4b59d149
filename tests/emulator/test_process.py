"""The emulator as a separate process: the CLI, the Django command, and steering it over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openai
import pytest
from openai import OpenAI

from sora_products.emulator.cli import READY_PREFIX
from sora_products.emulator.testing import emulator_command, run_emulator_process

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
ROOT = Path(__file__).resolve().parents[2]


def test_subprocess_serves_the_sdk_and_takes_faults_at_run_time():
    with run_emulator_process(moderation_words=["forbidden"]) as emulator:
        client = OpenAI(base_url=emulator.base_url, api_key=emulator.api_key, max_retries=0)
        assert client.videos.poll(client.videos.create(prompt="a forbidden hat").id).status == "failed"

        emulator.configure(rate_limit_next=1)
        with pytest.raises(openai.RateLimitError):
            client.videos.list()
        stats = emulator.stats()
        assert stats["creates"] == 1 and stats["responses"]["429"] == 1
        assert emulator.settings()["moderation_words"] == ["forbidden"]
        emulator.reset()
        assert emulator.stats()["creates"] == 0
    assert emulator.process.returncode is not None


def test_command_line_is_built_from_settings():
    argv = emulator_command(port=0, fast=True, allow_2026=False, moderation_words=["a", "b"], api_key=None)
    assert argv[1:] == [
        "-m",
        "sora_products.emulator",
        "--port",
        "0",
        "--fast",
        "--only-2025",
        "--moderation-word",
        "a",
        "--moderation-word",
        "b",
    ]
    with pytest.raises(ValueError, match="workerz"):
        emulator_command(workerz=3)


def test_help_lists_the_fault_options():
    result = subprocess.run(
        [sys.executable, "-m", "sora_products.emulator", "--help"], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0
    for option in ("--complete-after", "--drop-creates", "--truncate-downloads", "--webhook-secret", "--fast"):
        assert option in result.stdout


def test_django_management_command_starts_the_same_server():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "sora_emulator", "--port", "0", "--fast", "--complete-after", "0.2"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith(READY_PREFIX), line
        base_url = line.split()[4]
        listed = OpenAI(base_url=base_url, api_key="any", max_retries=0).videos.list()
        assert listed.data == []
    finally:
        process.terminate()
        process.wait(10)
        process.stdout.close()
    assert process.returncode == 0
