"""The demo shop as the load run serves it: behind one trusted proxy, with the run's throttle rates and budget.

The run (``python -m tests.load``) sets DATABASE_URL and SORA_REDIS_URL (a shared Redis cache, so every
gunicorn worker counts the throttles together) and these variables:

SORA_LOAD_RATES        the try-on throttle rates as JSON, e.g. {"ip": "60/hour", ...}; unset = the defaults
SORA_LOAD_NUM_PROXIES  proxies in front of the shop whose X-Forwarded-For entries are trusted (DRF's NUM_PROXIES)
SORA_LOAD_SHOPPER_DAILY  the shopper budget in USD
SORA_LOAD_EMULATOR     the emulator's /v1 URL
"""

import json
import os
from decimal import Decimal

from demo_shop.settings import *  # noqa: F401,F403
from demo_shop.settings import SORA_PRODUCTS

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SILENCED_SYSTEM_CHECKS = []

REST_FRAMEWORK = {"NUM_PROXIES": int(os.environ.get("SORA_LOAD_NUM_PROXIES", "1"))}

_try_on = {"ENABLED": True, "MAX_PENDING_PER_SESSION": 2}
if os.environ.get("SORA_LOAD_RATES"):
    _try_on["THROTTLE_RATES"] = json.loads(os.environ["SORA_LOAD_RATES"])

SORA_PRODUCTS = {
    **SORA_PRODUCTS,
    "AUTO_GENERATE": False,
    "PROVIDERS": {"default": {"BASE_URL": os.environ.get("SORA_LOAD_EMULATOR", ""), "API_KEY": "sk-load"}},
    # Every asked video stays pending for the whole run; a worker hands its poll on instead of sleeping on it.
    "POLL_INTERVAL": 5,
    "TASK_HOLD_SECONDS": 1,
    "FIDELITY": {"CHECK": False},
    "FACES": "off",
    "BUDGET": {
        "DAILY": None,
        "MONTHLY": None,
        "SHOPPER_DAILY": Decimal(os.environ.get("SORA_LOAD_SHOPPER_DAILY", "20")),
    },
    "TRY_ON": _try_on,
}

LOGGING = {"version": 1, "disable_existing_loggers": False}
