"""Provider tests run against the real emulator over loopback (mocks only for faults it cannot make).

The ``video_emulator`` fixture comes from ``sora_products.emulator.testing``, which the root
tests/conftest.py loads as a plugin; importing it here as well would start a second session emulator.
"""
