"""How a job looks as a Runway task (PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED), and its expiring output links.

Each state carries exactly what the SDK's own model for it (``runwayml.types.task_retrieve_response``) requires.
Output links are signed and expire like Runway's presigned URLs: re-reading the task gives a fresh one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from .errors import ApiError
from .store import Job

STATUSES = {
    "queued": "PENDING",
    "in_progress": "RUNNING",
    "completed": "SUCCEEDED",
    "failed": "FAILED",
    "cancelled": "CANCELLED",
}
# Our failure codes (shared with the OpenAI side) as Runway's failureCode and sentence.
FAILURES = {
    "moderation_blocked": (
        "SAFETY.INPUT.TEXT",
        "The prompt was flagged by content moderation; change the prompt and try again.",
    ),
    "video_generation_failed": (
        "INTERNAL.BAD_OUTPUT.CODE01",
        "The model could not produce a usable video for this input; try again, perhaps with another seed.",
    ),
}
DEFAULT_FAILURE = ("INTERNAL", "An unexpected error occurred while generating the video; try again.")
OUTPUT_PATH = "/_runway/outputs/{task_id}/video.mp4"


def task_json(job: Job, link: str | None, now: float | None = None) -> dict[str, Any]:
    """The task object for this moment; link is the fresh output URL (only used once SUCCEEDED)."""
    status, progress = job.live_status(time.monotonic() if now is None else now)
    state = STATUSES[status]
    task: dict[str, Any] = {"id": job.id, "createdAt": iso_time(job.created_at), "status": state}
    if state in ("PENDING", "RUNNING"):
        task["estimatedCost"] = {"credits": job.credits}
        if state == "RUNNING":
            task["progress"] = round(progress / 100, 2)
    elif state == "SUCCEEDED":
        task["output"] = [link]
        task["cost"] = {"credits": job.credits}
    elif state == "FAILED":
        task["failureCode"], task["failure"] = FAILURES.get((job.error or {}).get("code", ""), DEFAULT_FAILURE)
        task["cost"] = {"credits": 0}
    else:
        task["cost"] = {"credits": 0}
    return task


def iso_time(timestamp: float) -> str:
    """ISO 8601 in UTC with milliseconds, as Runway writes createdAt."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class OutputLinks:
    """Signs output URLs with a per-process secret so a link's expiry cannot be edited away."""

    def __init__(self) -> None:
        self._secret = secrets.token_bytes(32)

    def link(self, origin: str, task_id: str, lifetime: int) -> str:
        """A URL on this emulator that serves the task's video until now + lifetime."""
        expires = int(time.time()) + lifetime
        query = urlencode({"exp": expires, "sig": self._sign(task_id, expires)})
        return f"{origin}{OUTPUT_PATH.format(task_id=task_id)}?{query}"

    def check(self, task_id: str, expires: str | None, signature: str | None) -> None:
        """403 unless the link was made here for this task and has not expired."""
        try:
            moment = int(expires or "")
        except ValueError:
            moment = -1
        if moment < 0 or not hmac.compare_digest(self._sign(task_id, moment), signature or ""):
            raise ApiError(403, "This output link is not valid; retrieve the task again for a fresh link.")
        if time.time() >= moment:
            raise ApiError(
                403, f"This output link expired at {iso_time(moment)}; retrieve the task again for a fresh link."
            )

    def _sign(self, task_id: str, expires: int) -> str:
        return hmac.new(self._secret, f"{task_id}:{expires}".encode(), hashlib.sha256).hexdigest()[:32]
