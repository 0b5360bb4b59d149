"""Emulator settings: one live object read by every part, changeable at run time for fault injection."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

# Set only before start(): changing them on a running server would mean rebinding or re-plumbing.
STARTUP_ONLY = frozenset({"host", "port", "data_dir", "workers", "tls_port", "tls_dir"})


@dataclass
class EmulatorConfig:
    """Everything the emulator can be told; tests flip the fault fields while it runs."""

    # Where it listens and keeps renders.
    host: str = "127.0.0.1"
    port: int = 8765
    data_dir: str | None = None
    workers: int = 2
    tls_port: int | None = None  # fal.ai's queue over HTTPS on this port (0 = any free one); None: no TLS port
    tls_dir: str | None = None  # where the local CA, server certificate and fal webhook key live (default: data dir)

    # Protocol behaviour.
    api_key: str | None = None  # None: any non-empty Bearer key is accepted
    allow_2026: bool = True  # 16/20 s clips and sora-2-pro 1920x1080 / 1080x1920
    complete_after: float = 6.0  # seconds from create to completed (at least the render time)
    poll_after_ms: int = 1000  # openai-poll-after-ms on retrieve
    expires_after: int = 86400  # expires_at = completed_at + this

    # Rendering.
    fast: bool = False  # low frame rate and the fastest x264 preset; size and duration unchanged
    fps: int | None = None  # None: 24, or 6 in fast mode
    instant: bool = False  # one stock clip per shape, linked into every job: for clients' throughput benchmarks
    render_threads: int = 1  # x264 threads per render; the worker pool gives the parallelism
    sign_clips: bool = True  # C2PA Content Credentials on every clip (needs c2pa-python)

    # Faults (see faults.py); the *_next / *_creates / drop / truncate counters count down.
    seed: int | None = None
    moderation_words: tuple[str, ...] = ("[moderate]",)
    reject_words: tuple[str, ...] = ()
    failure_rate: float = 0.0
    colour_drift: float = 0.0  # share of jobs whose clip shows the product in a shifted hue
    rate_limit_next: int = 0
    rate_limit_creates: int = 0
    retry_after_ms: int = 100
    quota_exceeded: bool = False
    server_error_next: int = 0
    server_error_creates: int = 0
    server_error_rate: float = 0.0
    drop_create_responses: int = 0
    truncate_downloads: int = 0

    # Webhooks.
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_attempts: int = 5
    webhook_backoff: float = 1.0  # first retry delay in seconds; doubles each attempt
    webhook_timeout: float = 5.0

    log_requests: bool = False

    def __post_init__(self) -> None:
        self.moderation_words = tuple(self.moderation_words)
        self.reject_words = tuple(self.reject_words)

    @property
    def frame_rate(self) -> int:
        """The frame rate renders use: explicit fps, else 6 in fast mode and 24 otherwise."""
        return self.fps or (6 if self.fast else 24)

    def update(self, *, running: bool = False, **changes: Any) -> None:
        """Apply changes after checking names and types, so a typo in a test fails loudly."""
        names = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise ValueError(f"Unknown emulator setting(s): {', '.join(unknown)}. Known: {', '.join(sorted(names))}.")
        if running:
            frozen = sorted(set(changes) & STARTUP_ONLY)
            if frozen:
                raise ValueError(f"{', '.join(frozen)} can only be set before the emulator starts.")
        coerced = {name: _coerce(self, name, value) for name, value in changes.items()}
        for name, value in coerced.items():
            setattr(self, name, value)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view of the settings, with the webhook secret hidden."""
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["moderation_words"] = list(self.moderation_words)
        data["reject_words"] = list(self.reject_words)
        if data["webhook_secret"]:
            data["webhook_secret"] = "whsec_***"
        return data

    def copy(self) -> EmulatorConfig:
        """An independent copy (used to restore the start-up faults on reset)."""
        return dataclasses.replace(self)


def _coerce(config: EmulatorConfig, name: str, value: Any) -> Any:
    """Turn JSON/CLI values into the field's type, or raise a readable TypeError/ValueError."""
    current = getattr(config, name)
    default = {f.name: f for f in dataclasses.fields(config)}[name].default
    sample = current if current is not None else default
    if name in {"moderation_words", "reject_words"}:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise TypeError(f"{name} must be a list of strings.")
        return tuple(value)
    if value is None:
        if name in {"api_key", "data_dir", "fps", "seed", "webhook_url", "webhook_secret", "tls_port", "tls_dir"}:
            return None
        raise TypeError(f"{name} cannot be null.")
    booleans = {"fast", "instant", "allow_2026", "quota_exceeded", "log_requests", "sign_clips"}
    if isinstance(sample, bool) or name in booleans:
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be true or false.")
        return value
    if name in {"failure_rate", "server_error_rate", "colour_drift"}:
        value = float(value)
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, got {value}.")
        return value
    if isinstance(sample, float) or name in {"complete_after", "webhook_backoff", "webhook_timeout"}:
        value = float(value)
        if value < 0:
            raise ValueError(f"{name} must not be negative.")
        return value
    if isinstance(sample, int) or name in {"fps", "seed", "tls_port"}:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise TypeError(f"{name} must be an integer.")
        value = int(value)
        if value < 0:
            raise ValueError(f"{name} must not be negative.")
        return value
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string.")
    if name == "webhook_secret" and not value.startswith("whsec_"):
        raise ValueError("webhook_secret must look like whsec_<base64>.")
    return value
