"""``python -m sora_products.emulator``: run the emulator until interrupted."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
