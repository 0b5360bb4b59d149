"""Moves jobs from queued to completed or failed: renders on a worker pool, finishes at the deadline."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .config import EmulatorConfig
from .errors import GENERATION_FAILED
from .scheduler import Scheduler
from .store import Job, JobStore

log = logging.getLogger(__name__)


class Lifecycle:
    """A job completes when both its generation time has passed and its render has finished."""

    def __init__(self, config: EmulatorConfig, store: JobStore, on_finished: Callable[[Job], None]) -> None:
        self._config = config
        self._store = store
        self._on_finished = on_finished
        self._scheduler = Scheduler("sora-emulator-clock")
        self._pool: ThreadPoolExecutor | None = None
        self._stopped = False
        self._stock: Any = None
        self._signer: Any = None

    def use_stock_clips(self, root: str) -> None:
        """Where --instant keeps its stock clips (the emulator's data folder)."""
        from .stock import StockClips  # PyAV is only needed once something renders

        self._stock = StockClips(root)

    def use_signer(self, signer: Any) -> None:
        """Sign every finished clip with this ClipSigner while config.sign_clips is on."""
        self._signer = signer

    def start(self) -> None:
        """Start the clock and the render pool."""
        self._scheduler.start()
        self._pool = ThreadPoolExecutor(max(1, self._config.workers), thread_name_prefix="sora-emulator-render")

    def stop(self) -> None:
        """Stop the clock, cancel queued renders and wait for running ones to abort at their next frame."""
        self._stopped = True
        self._scheduler.stop()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def reset(self) -> None:
        """Forget pending deadlines (the store's new epoch makes in-flight renders harmless)."""
        self._scheduler.clear()

    def begin(self, job: Job) -> None:
        """Start a new job: plan its failure or submit its render."""
        epoch = self._store.epoch
        deadline = job.started + job.complete_after
        if job.planned_error is not None:
            self._scheduler.call_at(deadline, lambda: self._finish(job.id, epoch, job.planned_error))
            return
        assert self._pool is not None, "the emulator is not started"
        self._pool.submit(self._render, job, epoch, deadline)

    def _render(self, job: Job, epoch: int, deadline: float) -> None:
        from .renderer import RenderCancelled, RenderSettings, render  # PyAV is only needed once something renders

        def gone() -> bool:
            stale = self._stopped or self._store.epoch != epoch or self._store.get(job.id) is not job
            return stale or job.status == "cancelled"

        settings = RenderSettings.for_mode(
            fast=self._config.fast, fps=self._config.fps, threads=self._config.render_threads
        )
        error = None
        try:
            sign = self._signer is not None and self._config.sign_clips
            if self._config.instant and self._stock is not None:
                stock_sign = (lambda path: self._signer.sign(path, model="stock")) if sign else None
                result = self._stock.place(job.spec, job.directory, settings, sign=stock_sign)
            else:
                result = render(job.spec, job.directory, settings, should_stop=gone)
                if sign:
                    self._signer.sign(result.video, model=job.model)
            log.info("rendered %s (%s, %ss) in %.2fs", job.id, job.size, job.seconds, result.seconds)
        except Exception as exc:
            if gone():
                shutil.rmtree(job.directory, ignore_errors=True)
                return  # deleted, cancelled, reset or stopped while rendering
            if not isinstance(exc, RenderCancelled):
                log.exception("render of %s failed", job.id)
            error = dict(GENERATION_FAILED)
        if gone():
            shutil.rmtree(job.directory, ignore_errors=True)
            return
        job.rendered = error is None
        if time.monotonic() >= deadline:
            self._finish(job.id, epoch, error)
        else:
            self._scheduler.call_at(deadline, lambda: self._finish(job.id, epoch, error))

    def _finish(self, video_id: str, epoch: int, error: dict[str, str] | None) -> None:
        job = self._store.finish(video_id, epoch, error=error, expires_after=self._config.expires_after)
        if job is not None:
            self._on_finished(job)
