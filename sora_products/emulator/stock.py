"""Stock clips for ``--instant``: one render per clip shape, linked into every job.

For benchmarking a client's own throughput, where rendering a fresh clip per job would measure
the emulator instead. The clip is real (H.264 + AAC, the requested size and duration); it just
does not show the job's reference image.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable

from .renderer import RenderResult, RenderSettings, render
from .store import RenderSpec


class StockClips:
    """Renders each (size, seconds, fps) once, then hard-links the files into job folders."""

    def __init__(self, root: str) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._made: dict[tuple[int, int, int, int], RenderResult] = {}

    def place(
        self, spec: RenderSpec, directory: str, settings: RenderSettings, sign: Callable[[str], None] | None = None
    ) -> RenderResult:
        """Link the stock clip of this shape into directory; ``sign`` adds Content Credentials once, when made."""
        key = (spec.width, spec.height, spec.seconds, settings.fps, sign is not None)
        with self._lock:
            if key not in self._made:
                folder = os.path.join(self.root, "stock-{}x{}-{}s-{}fps{}".format(*key[:4], "-signed" if sign else ""))
                stock = RenderSpec(spec.width, spec.height, spec.seconds, backdrop_prompt="stock studio backdrop")
                made = render(stock, folder, settings)
                if sign is not None:
                    sign(made.video)
                self._made[key] = made
        made = self._made[key]
        os.makedirs(directory, exist_ok=True)
        paths = []
        for source in (made.video, made.thumbnail, made.spritesheet):
            target = os.path.join(directory, os.path.basename(source))
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)
            paths.append(target)
        return RenderResult(paths[0], paths[1], paths[2], made.frames, 0.0)
