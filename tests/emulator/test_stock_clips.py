"""--instant: every job gets a real stock clip at once, rendered once per shape."""

from __future__ import annotations

import time

import httpx
import pytest


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_instant_mode_serves_a_real_clip_per_job_without_rendering_each(video_emulator):
    video_emulator.configure(instant=True, complete_after=0)
    headers = {"Authorization": f"Bearer {video_emulator.api_key}"}
    ids = []
    for n in range(5):
        answer = httpx.post(
            f"{video_emulator.base_url}/videos",
            headers=headers,
            json={"prompt": f"stock {n}", "seconds": "4", "size": "720x1280"},
        )
        ids.append(answer.json()["id"])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        states = [httpx.get(f"{video_emulator.base_url}/videos/{i}", headers=headers).json()["status"] for i in ids]
        if all(state == "completed" for state in states):
            break
        time.sleep(0.1)
    assert all(state == "completed" for state in states)
    bodies = {httpx.get(f"{video_emulator.base_url}/videos/{i}/content", headers=headers).content for i in ids}
    assert len(bodies) == 1  # one stock clip, linked into every job
    body = bodies.pop()
    assert body[4:8] == b"ftyp" and len(body) > 10_000
