"""A local OpenAI Videos API (``/v1/videos``) that renders real MP4s: the demo's provider and the tests' peer.

It imports nothing from Django or the rest of sora_products, so it runs anywhere:
``python -m sora_products.emulator --port 8765``. See ``testing.py`` for the pytest fixture.
"""

from .app import Emulator
from .config import EmulatorConfig

__all__ = ["Emulator", "EmulatorConfig"]
