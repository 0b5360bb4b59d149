"""A local video provider that renders real MP4s: the demo's provider and the tests' peer.

One port speaks the OpenAI Videos API (``/v1/videos``, ``api.py``) and Runway's API (``/v1/image_to_video``,
``/v1/video_to_video``, ``/v1/tasks/{id}``, ``runway.py``) over one job store, renderer and fault set; with
``--tls-port`` a second, HTTPS port speaks fal.ai's queue (``fal.py``, certificates from ``tls.py``).

It imports nothing from Django or the rest of sora_products, so it runs anywhere:
``python -m sora_products.emulator --port 8765``. See ``testing.py`` for the pytest fixture.
"""

from .app import Emulator
from .config import EmulatorConfig

__all__ = ["Emulator", "EmulatorConfig"]
