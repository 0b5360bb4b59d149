"""Settings for the test suite: SQLite by default, PostgreSQL and Redis when the environment says so."""

import os
import tempfile
from pathlib import Path

import dj_database_url

from demo_shop.settings import *  # noqa: F401,F403
from demo_shop.settings import BASE_DIR, INSTALLED_APPS

SECRET_KEY = "tests-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SORA_TEST_DB_NAME", "test_sora_products")}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(BASE_DIR / ".test-db.sqlite3"),
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                # WAL lets readers run beside the writer (web server + workers); NORMAL sync is safe with WAL.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file (not :memory:) so worker subprocesses share it; one per test run, so parallel runs don't collide.
            "TEST": {
                "NAME": os.environ.get("SORA_TEST_SQLITE", f"{tempfile.gettempdir()}/sora-tests-{os.getpid()}.sqlite3")
            },
        }
    }

# A worker subprocess started by a test uses the test process's database (see tests/stack.py).
if os.environ.get("SORA_WORKER_DB_NAME"):
    DATABASES["default"]["NAME"] = os.environ["SORA_WORKER_DB_NAME"]

MEDIA_ROOT = os.environ.get("SORA_TEST_MEDIA", str(Path(BASE_DIR) / ".test-media"))

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp", "rest_framework.authtoken"]

REDIS_URL = os.environ.get("SORA_REDIS_URL", "")
Q_CLUSTER = {
    "name": os.environ.get("SORA_Q_NAME", "tests"),
    "workers": int(os.environ.get("SORA_Q_WORKERS", "2")),
    "timeout": int(os.environ.get("SORA_Q_TIMEOUT", "60")),
    "retry": int(os.environ.get("SORA_Q_RETRY", "90")),
    "max_attempts": 1,
    "ack_failures": True,
    "poll": 0.1,
    "catch_up": False,
    "save_limit": 500,
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

SORA_PRODUCTS = {
    "AUTO_GENERATE": True,
    "QUEUE": "sora_products.queues.CapturingQueue",
    "TRY_ON": {"ENABLED": True},
}
# A worker subprocess gets the live test's provider and timings through the environment.
if os.environ.get("SORA_STACK_SETTINGS"):
    import json

    SORA_PRODUCTS = json.loads(os.environ["SORA_STACK_SETTINGS"])

LANGUAGE_CODE = "en"
