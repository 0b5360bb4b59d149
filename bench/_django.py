"""Boot Django for a benchmark on a throwaway SQLite file (the shop's default database)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(name: str) -> str:
    """Configure tests.settings against a fresh SQLite file, migrate it, and return its path."""
    sys.path.insert(0, str(ROOT))
    folder = tempfile.mkdtemp(prefix=f"sora-bench-{name}-")
    path = os.path.join(folder, "db.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["SORA_WORKER_DB_NAME"] = path
    os.environ["SORA_TEST_MEDIA"] = os.path.join(folder, "media")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    import logging

    logging.getLogger("django-q").setLevel(logging.WARNING)
    return path


def verdict(ok: bool) -> str:
    return "ok" if ok else "FAIL"


def setup_demo(workdir: Path) -> None:
    """The demo shop's own settings on a throw-away SQLite file and media folder in ``workdir``, migrated."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "demo_shop.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_MEDIA_ROOT"] = str(workdir / "media")
    os.environ["DJANGO_DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
