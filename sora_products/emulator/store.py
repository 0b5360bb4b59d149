"""Video jobs in memory: their state, how they look over the wire, and cursor pagination."""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

QUEUED_FOR = 0.15  # share of complete_after a job stays "queued" (capped at 1 s)
TERMINAL = ("completed", "failed", "cancelled")  # cancelled: Runway's DELETE of a live task


@dataclass(frozen=True)
class RenderSpec:
    """What a render needs: the picture source, its tints and the clip shape."""

    width: int
    height: int
    seconds: int
    backdrop_prompt: str
    reference_path: str | None = None
    tint_prompts: tuple[str, ...] = ()
    motion_seed: str = ""
    hue_shift: float = 0.0  # degrees: the colour_drift fault turns every colour of the clip by this much


@dataclass
class Job:
    """One video as the provider tracks it, plus the emulator's private bookkeeping."""

    id: str
    kind: str  # create | remix | edit | extension
    model: str
    size: str
    seconds: str
    prompt: str
    created_at: int
    started: float  # time.monotonic() at create
    complete_after: float
    spec: RenderSpec
    directory: str
    remixed_from_video_id: str | None = None
    protocol: str = "openai"  # the wire protocol that created it: openai | runway | fal
    credits: int = 0  # what the protocol bills for it in its own unit (Runway credits)
    planned_error: dict[str, str] | None = None  # decided at create: the job fails at its deadline
    status: str = "queued"  # only terminal states are stored; live states are derived from time
    completed_at: int | None = None
    expires_at: int | None = None
    error: dict[str, str] | None = None
    rendered: bool = False
    progress_at_end: int = 0
    sequence: int = field(default=0)
    extra: dict[str, Any] = field(default_factory=dict)  # what one protocol alone needs (fal: webhook URL, seed)

    @property
    def terminal(self) -> bool:
        """True once the job completed, failed or was cancelled."""
        return self.status in TERMINAL

    def live_status(self, now: float) -> tuple[str, int]:
        """Status and progress as a poll would see them now: queued, then in_progress rising to 99."""
        if self.terminal:
            return self.status, 100 if self.status == "completed" else self.progress_at_end
        elapsed = now - self.started
        if elapsed < min(1.0, self.complete_after * QUEUED_FOR):
            return "queued", 0
        if self.complete_after <= 0:
            return "in_progress", 50
        return "in_progress", max(1, min(99, int(99 * elapsed / self.complete_after)))

    def to_dict(self, now: float | None = None) -> dict[str, Any]:
        """The 13-key Video object; every key is always present."""
        status, progress = self.live_status(time.monotonic() if now is None else now)
        return {
            "id": self.id,
            "object": "video",
            "model": self.model,
            "status": status,
            "progress": progress,
            "created_at": self.created_at,
            "completed_at": self.completed_at,
            "expires_at": self.expires_at,
            "prompt": self.prompt,
            "size": self.size,
            "seconds": self.seconds,
            "remixed_from_video_id": self.remixed_from_video_id,
            "error": self.error,
        }


def new_video_id() -> str:
    """video_ + 48 hex digits, as the provider's ids look."""
    return "video_" + secrets.token_hex(24)


class JobStore:
    """Thread-safe job table in creation order; an epoch lets late renders notice a reset."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._jobs: dict[str, Job] = {}
        self._sequence = itertools.count()
        self.epoch = 0

    def add(self, job: Job) -> None:
        """Record a new job."""
        with self._lock:
            job.sequence = next(self._sequence)
            self._jobs[job.id] = job

    def get(self, video_id: str, protocol: str | None = None) -> Job | None:
        """The job, or None if unknown, deleted or (with protocol) made through another protocol."""
        with self._lock:
            job = self._jobs.get(video_id)
        return None if job is None or (protocol is not None and job.protocol != protocol) else job

    def remove(self, video_id: str) -> Job | None:
        """Forget a job; returns it so its files can be removed."""
        with self._lock:
            return self._jobs.pop(video_id, None)

    def clear(self) -> list[Job]:
        """Forget every job and start a new epoch; returns the old jobs."""
        with self._lock:
            jobs = list(self._jobs.values())
            self._jobs.clear()
            self.epoch += 1
            return jobs

    def all(self) -> list[Job]:
        """Every job, oldest first."""
        with self._lock:
            return sorted(self._jobs.values(), key=lambda job: job.sequence)

    def finish(self, video_id: str, epoch: int, *, error: dict[str, str] | None, expires_after: int) -> Job | None:
        """Move a job to completed or failed once; None if it vanished, was reset or already finished."""
        with self._lock:
            job = self._jobs.get(video_id)
            if job is None or epoch != self.epoch or job.terminal:
                return None
            now = int(time.time())
            job.progress_at_end = job.live_status(time.monotonic())[1]
            job.completed_at = now
            if error is None:
                job.status = "completed"
                job.expires_at = now + expires_after
            else:
                job.status = "failed"
                job.error = dict(error)
            return job

    def cancel(self, video_id: str) -> Job | None:
        """Stop a live job for good (its render and deadline are then ignored); None if unknown or already ended."""
        with self._lock:
            job = self._jobs.get(video_id)
            if job is None or job.terminal:
                return None
            job.progress_at_end = job.live_status(time.monotonic())[1]
            job.completed_at = int(time.time())
            job.status = "cancelled"
            return job

    def page(self, *, after: str | None, limit: int, order: str, protocol: str | None = None) -> dict[str, Any]:
        """A list page: data, first_id, last_id and has_more, with after as an exclusive cursor."""
        jobs = [job for job in self.all() if protocol is None or job.protocol == protocol]
        if order == "desc":
            jobs.reverse()
        if after:
            ids = [job.id for job in jobs]
            jobs = jobs[ids.index(after) + 1 :] if after in ids else []
        now = time.monotonic()
        data = [job.to_dict(now) for job in jobs[:limit]]
        return {
            "object": "list",
            "data": data,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
            "has_more": len(jobs) > limit,
        }

    def counts(self) -> dict[str, int]:
        """How many jobs are in each status right now."""
        now = time.monotonic()
        counts = {"total": 0, "queued": 0, "in_progress": 0, "completed": 0, "failed": 0, "cancelled": 0}
        for job in self.all():
            counts["total"] += 1
            counts[job.live_status(now)[0]] += 1
        return counts
