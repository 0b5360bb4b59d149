"""A single background thread that runs callbacks at given times (deadlines, webhook retries)."""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class Scheduler:
    """Runs callables at monotonic times, in order, on one daemon thread."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._counter = itertools.count()
        self._cond = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread (idempotent)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()

    def call_later(self, delay: float, callback: Callable[[], None]) -> None:
        """Run callback after delay seconds."""
        self.call_at(time.monotonic() + max(0.0, delay), callback)

    def call_at(self, when: float, callback: Callable[[], None]) -> None:
        """Run callback at a time.monotonic() value."""
        with self._cond:
            heapq.heappush(self._heap, (when, next(self._counter), callback))
            self._cond.notify()

    def clear(self) -> None:
        """Drop every pending callback (reset)."""
        with self._cond:
            self._heap.clear()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop the thread; pending callbacks are dropped."""
        with self._cond:
            self._stopping = True
            self._heap.clear()
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stopping and (not self._heap or self._heap[0][0] > time.monotonic()):
                    wait = self._heap[0][0] - time.monotonic() if self._heap else None
                    self._cond.wait(wait)
                if self._stopping:
                    return
                _, _, callback = heapq.heappop(self._heap)
            try:
                callback()
            except Exception:  # a bad callback must not kill the clock
                log.exception("emulator %s callback failed", self._name)
