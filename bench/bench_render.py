"""Benchmark: the emulator's render of an 8-second 720x1280 clip on one core, normal and fast mode side by side.

Run: ``.venv/bin/python bench/bench_render.py [--runs 3] [--seconds 8] [--size 720x1280]``. The process is
pinned to one CPU (os.sched_setaffinity) and x264 runs one thread. Prints one line per measurement:
render time, clip duration (read back from the MP4) and the ratio render time / real time, with ok/FAIL
against the target (normal mode <= 2.0 x real time). Always exits 0.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import av  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from sora_products.emulator.renderer import RenderSettings, render  # noqa: E402
from sora_products.emulator.store import RenderSpec  # noqa: E402

TARGET_RATIO = 2.0


def pin_to_one_core() -> str:
    """Pin this process to a single CPU so the figure means 'one core'."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this platform)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def make_reference(path: Path, width: int, height: int) -> None:
    """A product-photo-like reference image of exactly the clip size."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image = Image.blend(image, Image.new("RGB", (width, height), (225, 215, 200)), 0.6)
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.2, height * 0.8, width * 0.8, height * 0.88), fill=(120, 115, 110))
    draw.rounded_rectangle(
        (width * 0.3, height * 0.3, width * 0.7, height * 0.82), radius=width // 20, fill=(150, 40, 35)
    )
    draw.rectangle((width * 0.44, height * 0.22, width * 0.56, height * 0.31), fill=(60, 60, 70))
    image.save(path, "PNG")


def clip_duration(path: str) -> float:
    """The duration the MP4 itself declares."""
    with av.open(path) as container:
        return container.duration / 1_000_000


def measure(label: str, spec: RenderSpec, settings: RenderSettings, runs: int, workdir: Path) -> float:
    """Render `runs` times and print the median figures on one line; returns the ratio."""
    timings, duration = [], 0.0
    for run in range(runs):
        result = render(spec, str(workdir / f"{label}-{run}"), settings)
        timings.append(result.seconds)
        duration = clip_duration(result.video)
    elapsed = statistics.median(timings)
    ratio = elapsed / spec.seconds
    verdict = "ok" if ratio <= TARGET_RATIO else "FAIL"
    print(
        f"render {spec.width}x{spec.height} {spec.seconds}s {label:<6} ({settings.fps} fps, {settings.preset}, "
        f"{settings.threads} thread): {elapsed:6.2f} s render, clip {duration:5.2f} s, "
        f"ratio {ratio:4.2f} x real time (target <= {TARGET_RATIO:.1f}) {verdict}",
        flush=True,
    )
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="renders per mode; the median is printed")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--size", default="720x1280")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    print(f"bench_render: {pin_to_one_core()}, PyAV {av.__version__}, {args.runs} run(s) per mode", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        workdir = Path(tmp)
        reference = workdir / "reference.png"
        make_reference(reference, width, height)
        spec = RenderSpec(
            width, height, args.seconds, "a red kettle on a kitchen counter", str(reference), motion_seed="bench"
        )
        normal = measure("normal", spec, RenderSettings.for_mode(fast=False, threads=1), args.runs, workdir)
        fast = measure("fast", spec, RenderSettings.for_mode(fast=True, threads=1), args.runs, workdir)
    print(f"fast mode renders {normal / fast:4.1f}x quicker than normal mode (same size and duration)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
