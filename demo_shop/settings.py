"""Settings of the demo shop, from the environment with defaults that work on a laptop.

DATABASE_URL       PostgreSQL (or any dj-database-url) instead of the local SQLite file.
SORA_REDIS_URL     use django-q2's Redis broker instead of the database broker.
VIDEO_API_BASE_URL a gateway serving /v1/videos; unset = the emulator `make demo` starts.
VIDEO_API_KEY      that gateway's key (never committed, never shown on a page).
VIDEO_WEBHOOK_SECRET  the whsec_ secret shared with the provider's webhooks.
AWS_S3_ENDPOINT_URL   every file (product photos, references, videos, posters) on this S3 store, with
                   django-storages' own AWS_STORAGE_BUCKET_NAME, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
                   AWS_S3_REGION_NAME, AWS_S3_ADDRESSING_STYLE and AWS_QUERYSTRING_AUTH (`make scale-demo`).
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "demo-only-not-secret-change-me")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_q",
    "sora_products",
    "demo_shop.catalog",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "demo_shop.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "demo_shop" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "demo_shop.wsgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    import dj_database_url

    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("DJANGO_SQLITE_PATH", BASE_DIR / "db.sqlite3"),
            # SQLite and a worker process: wait for locks instead of failing, take them up front.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                # WAL lets readers run beside the writer (web server + workers); NORMAL sync is safe with WAL.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ja", _("Japanese"))]
LOCALE_PATHS = [BASE_DIR / "demo_shop" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "static-collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

# django-storages reads these settings by their own names; here they come from the environment.
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL", "")
if AWS_S3_ENDPOINT_URL:
    AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "sora-products-demo")
    AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID", "")
    AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY", "")
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME", "us-east-1")
    AWS_S3_ADDRESSING_STYLE = os.environ.get("AWS_S3_ADDRESSING_STYLE") or None
    # Presigned URLs by default (a private bucket); "false" for a public bucket behind a CDN.
    AWS_QUERYSTRING_AUTH = os.environ.get("AWS_QUERYSTRING_AUTH", "true").lower() != "false"
    AWS_S3_SIGNATURE_VERSION = "s3v4"
    AWS_S3_FILE_OVERWRITE = False
    STORAGES = {
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "sora_products": {"BACKEND": "storages.backends.s3.S3Storage"},
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "admin:login"

REDIS_URL = os.environ.get("SORA_REDIS_URL", "")
Q_CLUSTER = {
    "name": "demo",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 1,
    "ack_failures": True,
    "save_limit": 250,
    "poll": 0.5,
    "catch_up": False,
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# One web process in the demo, so a per-process cache counts the try-on throttles right.
SILENCED_SYSTEM_CHECKS = ["sora_products.W004"]
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

VIDEO_API_BASE_URL = os.environ.get("VIDEO_API_BASE_URL", "")
EMULATOR_PORT = int(os.environ.get("EMULATOR_PORT", "8765"))
_provider = {"MODEL": os.environ.get("VIDEO_API_MODEL", "sora-2")}
if VIDEO_API_BASE_URL:
    _provider.update(BASE_URL=VIDEO_API_BASE_URL, API_KEY=os.environ.get("VIDEO_API_KEY", ""), EMULATOR=False)
else:
    _provider.update(BASE_URL=f"http://127.0.0.1:{EMULATOR_PORT}/v1", API_KEY="emulator", EMULATOR=True)
_webhook_secret = os.environ.get("VIDEO_WEBHOOK_SECRET", "")
_provider["WEBHOOKS"] = bool(_webhook_secret)
# DEMO_PROVIDER=runway or fal speaks that protocol: to the emulator, unless RUNWAY_BASE_URL and
# RUNWAYML_API_SECRET (Runway) or FAL_KEY (fal) are set.
DEMO_PROVIDER = os.environ.get("DEMO_PROVIDER", "openai")
if DEMO_PROVIDER == "runway":
    _runway_url = os.environ.get("RUNWAY_BASE_URL", "")
    _provider = {
        "BACKEND": "sora_products.providers.runway.RunwayProvider",
        "MODEL": os.environ.get("VIDEO_API_MODEL", "gen4.5"),
        "BASE_URL": _runway_url or f"http://127.0.0.1:{EMULATOR_PORT}",
        "API_KEY": os.environ.get("RUNWAYML_API_SECRET", "") if _runway_url else "emulator",
        "EMULATOR": not _runway_url,
    }
elif DEMO_PROVIDER == "fal":
    # The emulator serves the fal queue over TLS with its own CA, which only this provider trusts.
    EMULATOR_TLS_PORT = int(os.environ.get("EMULATOR_TLS_PORT", str(EMULATOR_PORT + 1)))
    EMULATOR_TLS_DIR = Path(os.environ.get("EMULATOR_TLS_DIR", BASE_DIR / ".emulator-tls"))
    _fal_key = os.environ.get("FAL_KEY", "")
    _provider = {
        "BACKEND": "sora_products.providers.fal.FalProvider",
        "MODEL": os.environ.get("VIDEO_API_MODEL", "fal-ai/veo3.1/fast/image-to-video"),
        "API_KEY": _fal_key or "emulator",
        "EMULATOR": not _fal_key,
    }
    if not _fal_key:
        _provider.update(
            QUEUE_URL=f"https://127.0.0.1:{EMULATOR_TLS_PORT}",
            JWKS_URL=f"https://127.0.0.1:{EMULATOR_TLS_PORT}/.well-known/jwks.json",
            VERIFY=str(EMULATOR_TLS_DIR / "ca.pem"),
            WEBHOOKS=True,
        )
elif DEMO_PROVIDER != "openai":
    raise ImproperlyConfigured(f"DEMO_PROVIDER must be openai, runway or fal, not {DEMO_PROVIDER!r}.")

SORA_PRODUCTS = {
    "PROVIDERS": {"default": _provider},
    "PUBLIC_URL": os.environ.get("SHOP_PUBLIC_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"),
    # The demo shows videos as soon as they are made; a real shop keeps approval on.
    "REQUIRE_APPROVAL": os.environ.get("SORA_REQUIRE_APPROVAL", "0") == "1",
    "WEBHOOK_SECRETS": [_webhook_secret] if _webhook_secret else [],
    "TRY_ON": {"ENABLED": True},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"sora_products": {"handlers": ["console"], "level": "INFO"}},
}
