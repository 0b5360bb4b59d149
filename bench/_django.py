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


POSTGRES_URL = os.environ.get("SORA_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("SORA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")


def postgres_and_redis() -> bool:
    """Whether the PostgreSQL and Redis the PostgreSQL benchmarks use answer."""
    try:
        import psycopg
        import redis

        psycopg.connect(POSTGRES_URL, connect_timeout=2).close()
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception:
        return False
    return True


def setup_postgres(name: str) -> str:
    """Configure tests.settings against a fresh PostgreSQL database and a flushed Redis broker, migrated."""
    import psycopg
    import redis

    database = f"sora_bench_{name}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database}"')
    redis.Redis.from_url(REDIS_URL).flushdb()
    os.environ["DATABASE_URL"] = POSTGRES_URL
    os.environ["SORA_REDIS_URL"] = REDIS_URL
    os.environ["SORA_Q_NAME"] = f"bench-{name}"
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["SORA_WORKER_DB_NAME"] = database
    os.environ["SORA_TEST_MEDIA"] = tempfile.mkdtemp(prefix=f"sora-bench-{name}-media-")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    import logging

    logging.getLogger("django-q").setLevel(logging.WARNING)
    return database


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
