"""The trust checks: calibration of the fidelity threshold, their time and memory, and the face check's time.

1. Calibration: 20 product photos sent to the emulator (fast mode) as clean jobs and as colour_drift jobs,
   each stored clip scored by the fidelity check; prints both distributions and how the default threshold
   (FIDELITY["MAX_DELTA_E"]) separates them.
2. The fidelity check on an 8 s 720x1280 clip at full quality (24 fps), in a fresh process pinned to one
   core: time per clip (target <= 1 s) and peak memory above the process's resident size before the check
   (target <= 100 MB), cold (PyAV not yet loaded) and warm.
3. The face check per 720x1280 reference image, with and without a face.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _django import ROOT, setup, verdict

sys.path.insert(0, str(ROOT))

PHOTOS = 20
MAX_SECONDS, MAX_EXTRA_MB = 1.0, 100.0


def product_photos() -> list[tuple[str, bytes]]:
    """The demo catalogue's drawings in varied colours: garments, shoes, bags and home goods."""
    from demo_shop.catalog.photos import COLOURS, DRAWINGS, draw_product_photo, encode_photo

    kinds, colours = list(DRAWINGS), list(COLOURS.items())
    photos = []
    for index in range(PHOTOS):
        kind = kinds[index % len(kinds)]
        name, rgb = colours[(index * 3 + index // len(kinds)) % len(colours)]
        photos.append((f"{name} {kind}", encode_photo(draw_product_photo(kind, rgb), "JPEG")))
    return photos


def calibrate() -> None:
    import warnings

    from openai import OpenAI
    from PIL import Image

    from sora_products.conf import DEFAULTS
    from sora_products.emulator.testing import start_emulator
    from sora_products.references import build_reference
    from sora_products.trust.fidelity import check_clip

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    emulator = start_emulator(complete_after=0, poll_after_ms=20)
    client = OpenAI(base_url=emulator.base_url, api_key=emulator.api_key)
    scores: dict[str, list[tuple[str, float, float]]] = {"clean": [], "drifted": []}
    try:
        for label, drift in (("clean", 0.0), ("drifted", 1.0)):
            emulator.configure(colour_drift=drift)
            for name, photo in product_photos():
                reference = build_reference(photo, (720, 1280), image_format="JPEG")
                video = client.videos.create_and_poll(
                    prompt=f"a showcase of the {name}",
                    size="720x1280",
                    seconds="8",
                    input_reference=reference.as_upload(),
                    poll_interval_ms=50,
                )
                clip = client.videos.download_content(video.id).read()
                found = check_clip(io.BytesIO(clip), Image.open(io.BytesIO(reference.content)))
                scores[label].append((name, found.delta_e, found.first_frame_match))
    finally:
        emulator.stop()
    limit = DEFAULTS["FIDELITY"]["MAX_DELTA_E"]
    min_match = DEFAULTS["FIDELITY"]["MIN_FIRST_FRAME_MATCH"]
    for label, rows in scores.items():
        deltas = [row[1] for row in rows]
        matches = [row[2] for row in rows]
        print(
            f"{label:8} ({len(rows)} clips): ΔE2000 min {min(deltas):5.2f}  median {statistics.median(deltas):5.2f}  "
            f"max {max(deltas):5.2f};  first-frame match min {min(matches):.3f} max {max(matches):.3f}"
        )
    clean_max = max(row[1] for row in scores["clean"])
    drifted_min = min(row[1] for row in scores["drifted"])
    lowest = min(scores["drifted"], key=lambda row: row[1])
    highest = max(scores["clean"], key=lambda row: row[1])
    print(
        f"  least drifted clip: {lowest[0]} at ΔE {lowest[1]:.2f}; "
        f"most off clean clip: {highest[0]} at ΔE {highest[1]:.2f}"
    )
    held_clean = sum(row[1] > limit or row[2] < min_match for row in scores["clean"])
    passed_drifted = sum(row[1] <= limit and row[2] >= min_match for row in scores["drifted"])
    print(
        f"threshold ΔE {limit} (first-frame match >= {min_match}): clean clips held {held_clean}/{PHOTOS}, "
        f"drifted clips passed {passed_drifted}/{PHOTOS}; the gap is {clean_max:.2f} .. {drifted_min:.2f}  "
        f"{verdict(held_clean == 0 and passed_drifted == 0)}"
    )


MEASURE = r"""
import io, json, os, sys, time, resource
sys.path.insert(0, sys.argv[1])
os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
from PIL import Image
import numpy
def rss_mb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
from sora_products.trust.fidelity import check_clip
reference = Image.open(sys.argv[3]); reference.load()
before = rss_mb("VmRSS:")
runs = []
for _ in range(6):
    started = time.perf_counter()
    check_clip(sys.argv[2], reference)
    runs.append(time.perf_counter() - started)
print(json.dumps({"before": before, "peak": rss_mb("VmHWM:"), "cold": runs[0], "warm": sorted(runs[1:])[2]}))
"""


def cost(width: int = 720, height: int = 1280, seconds: int = 8, *, target: bool = True) -> None:
    from sora_products.emulator.renderer import RenderSettings, render
    from sora_products.emulator.store import RenderSpec
    from sora_products.references import build_reference

    folder = Path(tempfile.mkdtemp(prefix="sora-bench-fidelity-"))
    name, photo = product_photos()[4]
    reference = build_reference(photo, (width, height), image_format="JPEG")
    (folder / "reference.jpg").write_bytes(reference.content)
    clip = render(
        RenderSpec(width, height, seconds, name, str(folder / "reference.jpg")),
        str(folder / "clip"),
        RenderSettings.for_mode(fast=False),
    )
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(ROOT), clip.video, str(folder / "reference.jpg")],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(result.stdout)
    extra = figures["peak"] - figures["before"]
    if not target:
        print(
            f"fidelity check, {seconds} s {width}x{height} 24 fps clip ({clip.frames} frames), one core: "
            f"warm {figures['warm']:.3f} s, {extra:.1f} MB above resident (for comparison, no target)"
        )
        return
    print(
        f"fidelity check, 8 s 720x1280 24 fps clip ({clip.frames} frames, {os.path.getsize(clip.video) // 1024} KiB), "
        f"one core: cold {figures['cold']:.3f} s, warm {figures['warm']:.3f} s "
        f"({figures['warm'] / MAX_SECONDS:.2f}x of the {MAX_SECONDS:g} s target) "
        f"{verdict(figures['cold'] <= MAX_SECONDS)}"
    )
    print(
        f"  peak memory {extra:.1f} MB above the {figures['before']:.0f} MB resident before it "
        f"({extra / MAX_EXTRA_MB:.2f}x of the {MAX_EXTRA_MB:g} MB target) {verdict(extra <= MAX_EXTRA_MB)}"
    )


def faces() -> None:
    from PIL import Image
    from skimage import data

    from sora_products.jobs.reference import screen_faces
    from sora_products.references import build_reference
    from sora_products.trust.faces import find_faces

    buffer = io.BytesIO()
    Image.fromarray(data.astronaut()).save(buffer, "JPEG", quality=92)
    with_face = build_reference(buffer.getvalue(), (720, 1280), image_format="JPEG")
    without = build_reference(product_photos()[0][1], (720, 1280), image_format="JPEG")
    find_faces(Image.new("RGB", (64, 64)))  # load the cascade once, as a worker would
    for label, reference in (("a face (masked)", with_face), ("no face", without)):
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            screened = screen_faces(reference)
            runs.append(time.perf_counter() - started)
        changed = "masked" if screened.sha256 != reference.sha256 else "sent as built"
        print(f"face check of a 720x1280 reference with {label}: {statistics.median(runs) * 1000:.0f} ms ({changed})")


def main() -> None:
    setup("fidelity")
    calibrate()
    cost()
    cost(1080, 1920, 20, target=False)
    faces()


if __name__ == "__main__":
    main()
