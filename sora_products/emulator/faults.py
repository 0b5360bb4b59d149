"""Faults on demand: decides, per request or job, whether to misbehave, counting down the "next N" budgets."""

from __future__ import annotations

import dataclasses
import random
import threading

from .config import EmulatorConfig
from .errors import (
    GENERATION_FAILED,
    INPUT_MODERATION_MESSAGE,
    MODERATION_MESSAGE,
    ApiError,
    rate_limited,
    server_error,
)
from .errors import quota_exceeded as quota_error
from .store import RenderSpec

MODERATION_ERROR = {"code": "moderation_blocked", "message": MODERATION_MESSAGE}


class FaultInjector:
    """Reads the live config; counters such as rate_limit_next are decremented as they fire."""

    def __init__(self, config: EmulatorConfig) -> None:
        self._config = config
        self._lock = threading.Lock()
        self._seed = config.seed
        self._random = random.Random(config.seed)

    def reseed(self) -> None:
        """Restart the random sequence from the configured seed (reset, or a new seed set at run time)."""
        with self._lock:
            self._seed = self._config.seed
            self._random = random.Random(self._config.seed)

    def _take(self, name: str) -> bool:
        """Consume one unit of a countdown field; True if it fired."""
        with self._lock:
            left = getattr(self._config, name)
            if left > 0:
                setattr(self._config, name, left - 1)
                return True
            return False

    def _chance(self, rate: float) -> bool:
        with self._lock:
            if self._seed != self._config.seed:
                self._seed = self._config.seed
                self._random = random.Random(self._config.seed)
            return rate > 0 and self._random.random() < rate

    def before_request(self, *, generation: bool) -> ApiError | None:
        """An error to answer instead of handling the request, if a fault is armed."""
        config = self._config
        if self._take("rate_limit_next"):
            return rate_limited(config.retry_after_ms)
        if self._take("server_error_next"):
            return server_error()
        if self._chance(config.server_error_rate):
            return server_error()
        if generation:
            if config.quota_exceeded:
                return quota_error()
            if self._take("rate_limit_creates"):
                return rate_limited(config.retry_after_ms)
            if self._take("server_error_creates"):
                return server_error()
        return None

    def check_prompt(self, prompt: str) -> None:
        """Input-stage moderation: a reject word is refused at once with a 400."""
        lowered = prompt.lower()
        if any(word.lower() in lowered for word in self._config.reject_words if word):
            raise ApiError(400, INPUT_MODERATION_MESSAGE, code="sentinel_block")

    def planned_failure(self, prompt: str) -> dict[str, str] | None:
        """Decide at create time whether the job will fail later: moderation words, then the failure rate."""
        lowered = prompt.lower()
        if any(word.lower() in lowered for word in self._config.moderation_words if word):
            return dict(MODERATION_ERROR)
        if self._chance(self._config.failure_rate):
            return dict(GENERATION_FAILED)
        return None

    def drifted(self, spec: RenderSpec) -> RenderSpec:
        """The render spec, with its colours turned 40-70 degrees round the hue circle for a colour_drift job."""
        if not self._chance(self._config.colour_drift):
            return spec
        with self._lock:
            shift = self._random.uniform(40.0, 70.0) * self._random.choice((-1, 1))
        return dataclasses.replace(spec, hue_shift=shift)

    def drop_create_response(self) -> bool:
        """True if this accepted create should vanish without a response."""
        return self._take("drop_create_responses")

    def truncate_download(self) -> bool:
        """True if this content download should stop halfway."""
        return self._take("truncate_downloads")
