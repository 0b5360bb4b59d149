"""A quiet ambient sound bed (a low chord over soft filtered noise), because every provider clip has audio."""

from __future__ import annotations

import numpy as np

from .artwork import prompt_digest

SAMPLE_RATE = 48000
_ROOTS = (98.0, 110.0, 123.47, 130.81, 146.83)  # G2 A2 B2 C3 D3


def ambient(seconds: float, seed: str, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Stereo float32 samples shaped (2, n), peak well below full scale, faded in and out."""
    digest = prompt_digest(seed)
    count = int(round(seconds * sample_rate))
    t = np.arange(count, dtype=np.float64) / sample_rate
    root = _ROOTS[digest[0] % len(_ROOTS)]
    third = 1.189 if digest[1] % 2 else 1.26  # minor or major
    chord = np.zeros(count)
    for ratio, level in ((1.0, 0.05), (third, 0.035), (1.498, 0.035), (2.0, 0.02)):
        chord += level * np.sin(2 * np.pi * root * ratio * t)
    chord *= 0.8 + 0.2 * np.sin(2 * np.pi * 0.25 * t)  # slow swell
    rng = np.random.default_rng(int.from_bytes(digest[:8], "big"))
    noise = rng.standard_normal((2, count))
    kernel = np.ones(64) / 64.0  # crude low-pass: a moving average
    noise = np.stack([np.convolve(channel, kernel, mode="same") for channel in noise]) * 0.06
    fade = min(0.8, seconds / 4)
    envelope = np.minimum(1.0, np.minimum(t / fade, (seconds - t) / fade)) if fade > 0 else np.ones(count)
    left = (chord + noise[0]) * envelope
    right = (chord * 0.95 + noise[1]) * envelope
    return np.stack([left, right]).astype(np.float32)
