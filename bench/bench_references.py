"""Benchmark: build_reference on a 6000x4000 camera JPEG vs. a naive full decode, side by side.

Run: ``.venv/bin/python bench/bench_references.py [--runs 9]``. Prints one line per figure with
ok/FAIL against its target and always exits 0. Peak memory is measured in fresh subprocesses:
ru_maxrss of one conversion minus ru_maxrss of an idle interpreter that imported the same modules.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

from sora_products.references import build_reference, fit_box  # noqa: E402
from sora_products.references.compose import PNG_COMPRESS_LEVEL  # noqa: E402

SOURCE_SIZE = (6000, 4000)
TARGET = (720, 1280)
TARGET_SECONDS = 0.25
TARGET_SPEEDUP = 3.0
TARGET_PEAK_MB = 150.0


def make_photo(path: Path) -> None:
    """A photographic-ish 6000x4000 JPEG (q90): lit gradient backdrop, sensor noise, a product."""
    width, height = SOURCE_SIZE
    horizontal = Image.linear_gradient("L").rotate(90).resize(SOURCE_SIZE)
    vertical = Image.linear_gradient("L").resize(SOURCE_SIZE)
    radial = Image.radial_gradient("L").resize(SOURCE_SIZE)
    photo = Image.merge("RGB", (horizontal, vertical, radial))
    photo = Image.blend(photo, Image.new("RGB", SOURCE_SIZE, (225, 215, 200)), 0.55)
    draw = ImageDraw.Draw(photo)
    draw.ellipse((width * 0.3, height * 0.2, width * 0.7, height * 0.85), fill=(140, 40, 35))
    draw.rectangle((width * 0.45, height * 0.1, width * 0.55, height * 0.25), fill=(60, 60, 70))
    photo = photo.filter(ImageFilter.GaussianBlur(3))
    noise = Image.merge("RGB", [Image.effect_noise(SOURCE_SIZE, 64) for _ in range(3)])
    photo = Image.blend(photo, noise, 0.2)  # ~9 MB at q90, like a 24 MP camera file
    photo.save(path, "JPEG", quality=90)


def naive_reference(path: Path) -> bytes:
    """What one writes first: decode everything, then resize, pad and encode the same output."""
    image = Image.open(path).convert("RGB")
    x, y, width, height = fit_box(*image.size, *TARGET)
    product = image.resize((width, height), Image.Resampling.LANCZOS)
    frame = Image.new("RGB", TARGET, product.getpixel((0, 0)))
    frame.paste(product, (x, y))
    buffer = io.BytesIO()
    frame.save(buffer, "PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


def ours(path: Path) -> bytes:
    """The library under test."""
    return build_reference(path, TARGET).content


def median_seconds(function, path: Path, runs: int) -> float:
    """Median wall time of ``runs`` calls after one warm-up call."""
    function(path)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function(path)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def max_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(mode: str, path: str) -> None:
    """Subprocess entry: make the photo, or run one conversion (or nothing) and print the peak RSS in MB."""
    if mode == "make":
        make_photo(Path(path))
        return
    if mode == "ours":
        ours(Path(path))
    elif mode == "naive":
        naive_reference(Path(path))
    print(f"{max_rss_mb():.1f}")


def run_child(mode: str, path: Path) -> str:
    """Run this script in a fresh interpreter in ``mode``; return what it printed."""
    command = [sys.executable, __file__, "--child", mode, str(path)]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def peak_mb(mode: str, path: Path) -> float:
    """Peak RSS of a fresh interpreter running ``mode`` once.

    Linux children start with the parent's RSS high-water mark, so these run while the parent is
    still lean: before it has decoded anything (the photo itself is made in a child too).
    """
    return float(run_child(mode, path))


def verdict(passed: bool) -> str:
    return "ok" if passed else "FAIL"


CORPUS_TARGET_SECONDS = 10.0


def corpus_seconds() -> tuple[float, int]:
    """The test suite's 200-odd image corpus (odd, broken and hostile files) made into references, timed."""
    from sora_products.references import ReferenceImageError
    from tests.image_corpus import build_corpus
    from tests.test_references import TEST_MAX_PIXELS, target_for

    started = time.perf_counter()
    corpus = build_corpus()
    for index, item in enumerate(corpus):
        size, image_format = target_for(index)
        try:
            build_reference(item.data, size, image_format=image_format, max_pixels=TEST_MAX_PIXELS)
        except ReferenceImageError:
            pass
    return time.perf_counter() - started, len(corpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "camera.jpg"
        run_child("make", path)
        size_mb = path.stat().st_size / 1024 / 1024
        source = f"{SOURCE_SIZE[0]}x{SOURCE_SIZE[1]} JPEG q90, {size_mb:.1f} MB"
        print(f"source: {source}; target {TARGET[0]}x{TARGET[1]} PNG")
        idle = statistics.median(peak_mb("idle", path) for _ in range(3))
        ours_mb = statistics.median(peak_mb("ours", path) for _ in range(3)) - idle
        naive_mb = statistics.median(peak_mb("naive", path) for _ in range(3)) - idle
        ours_s = median_seconds(ours, path, args.runs)
        naive_s = median_seconds(naive_reference, path, args.runs)
        speedup = naive_s / ours_s
    print(
        f"build_reference median: {ours_s:.3f} s over {args.runs} runs (target <= {TARGET_SECONDS} s): "
        f"{verdict(ours_s <= TARGET_SECONDS)}"
    )
    print(f"naive full-decode median: {naive_s:.3f} s over {args.runs} runs (baseline)")
    print(f"speed-up: {speedup:.1f}x (target >= {TARGET_SPEEDUP:.0f}x): {verdict(speedup >= TARGET_SPEEDUP)}")
    seconds, count = corpus_seconds()
    print(
        f"test corpus ({count} files, built and converted): {seconds:.1f} s "
        f"(target < {CORPUS_TARGET_SECONDS:.0f} s): {verdict(seconds < CORPUS_TARGET_SECONDS)}"
    )
    print(
        f"build_reference peak memory: {ours_mb:.1f} MB above idle {idle:.1f} MB "
        f"(target <= {TARGET_PEAK_MB:.0f} MB): {verdict(ours_mb <= TARGET_PEAK_MB)}"
    )
    ratio = naive_mb / max(ours_mb, 0.1)
    print(f"naive full-decode peak memory: {naive_mb:.1f} MB above idle (baseline; {ratio:.1f}x ours)")


if __name__ == "__main__":
    main()
