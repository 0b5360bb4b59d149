"""`make bench`: run every benchmark in turn; each prints its figures as ratios against its target."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = [
    "bench_render.py",
    "bench_references.py",
    "bench_save.py",
    "bench_engine.py",
    "bench_experiments.py",
    "bench_fidelity.py",
    "bench_listing.py",
    "bench_load.py",
    "bench_oscar.py",
    "bench_outage.py",
    "bench_protocols.py",
    "bench_status_polls.py",
    "bench_tryon_cost.py",
    "bench_tryon_month.py",
]


def main() -> int:
    names = sys.argv[1:] or ORDER
    failed = []
    for name in names:
        print(f"\n=== {name}", flush=True)
        started = time.monotonic()
        result = subprocess.run([sys.executable, str(HERE / name)], cwd=HERE)
        print(f"--- {name} took {time.monotonic() - started:.0f} s", flush=True)
        if result.returncode:
            failed.append(name)
    if failed:
        print("benchmarks that crashed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
