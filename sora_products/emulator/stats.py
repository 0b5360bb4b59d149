"""Counters a test asserts on: paid generations (per prompt, with timestamps) and requests per route."""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any


class Stats:
    """Thread-safe counters; snapshot() gives a JSON-ready copy."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Forget everything."""
        with self._lock:
            self._requests: Counter[str] = Counter()
            self._statuses: Counter[str] = Counter()
            self._generations: list[dict[str, Any]] = []

    def request(self, route: str) -> None:
        """Count one request by route, e.g. 'POST /v1/videos'."""
        with self._lock:
            self._requests[route] += 1

    def status(self, status: int) -> None:
        """Count one answer by HTTP status (0 = connection dropped without an answer)."""
        with self._lock:
            self._statuses[str(status)] += 1

    def generation(
        self, kind: str, video_id: str, prompt: str, source_id: str | None = None, protocol: str = "openai"
    ) -> None:
        """Record a request that created a (billable) job, and the wire protocol it came by."""
        with self._lock:
            self._generations.append(
                {
                    "kind": kind,
                    "id": video_id,
                    "prompt": prompt,
                    "source_id": source_id,
                    "protocol": protocol,
                    "at": time.time(),
                }
            )

    def snapshot(self) -> dict[str, Any]:
        """creates / creates_by_prompt / create_times count the creates (of every protocol) that made a job,
        creates_by_protocol splits them by protocol; generations lists every job-creating call (create,
        remix, edit, extension)."""
        with self._lock:
            generations = [dict(item) for item in self._generations]
            requests = dict(self._requests)
            statuses = dict(self._statuses)
        creates = [item for item in generations if item["kind"] == "create"]
        kinds = Counter(item["kind"] for item in generations)
        return {
            "creates": len(creates),
            "creates_by_prompt": dict(Counter(item["prompt"] for item in creates)),
            "create_times": [item["at"] for item in creates],
            "creates_by_protocol": dict(Counter(item["protocol"] for item in creates)),
            "remixes": kinds["remix"],
            "edits": kinds["edit"],
            "extensions": kinds["extension"],
            "generations": generations,
            "generations_by_prompt": dict(Counter(item["prompt"] for item in generations)),
            "requests": requests,
            "requests_total": sum(requests.values()),
            "responses": statuses,
        }
