"""The app's own signals, for shops to hook into (receivers of product models live in ``receivers``)."""

from __future__ import annotations

from django.dispatch import Signal

video_ready = Signal()
"""Sent with ``video`` when a ProductVideo's file is stored and it can be reviewed or shown."""

video_failed = Signal()
"""Sent with ``video`` when a ProductVideo ends without a video; ``video.error_message`` says why."""

video_held = Signal()
"""Sent with ``video`` when a stored video is held because its product drifted from the photo; ``video.hold_reason``
says what drifted and ``video.fix_prompt`` is the remix that asks for it back."""

provider_unreachable = Signal()
"""Sent with ``provider`` (its alias), ``since`` and ``error`` when a provider is marked unreachable."""

provider_recovered = Signal()
"""Sent with ``provider``, ``since`` (when the outage began) and ``videos`` (how many resume) when it answers again."""
