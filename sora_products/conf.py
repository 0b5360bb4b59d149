"""One settings object over the ``SORA_PRODUCTS`` dict, read lazily and reloaded in tests.

Modelled on Django REST framework's ``api_settings``: defaults live here, a shop's dict is
merged over them key by key, and ``override_settings(SORA_PRODUCTS=...)`` takes effect at once.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

SETTING_NAME = "SORA_PRODUCTS"

DEFAULT_EMULATOR_URL = "http://127.0.0.1:8765/v1"

DEFAULT_PROVIDER: dict[str, Any] = {
    "BACKEND": "sora_products.providers.openai.OpenAIVideosProvider",
    "BASE_URL": DEFAULT_EMULATOR_URL,
    "API_KEY": "",
    "MODEL": "sora-2",
    # The emulator accepts any key; a real gateway without one fails the E003 check.
    "EMULATOR": True,
    "WEBHOOKS": False,
    "PRICES": {},
}

RUNWAY_BACKEND = "sora_products.providers.runway.RunwayProvider"
FAL_BACKEND = "sora_products.providers.fal.FalProvider"

# What a provider entry of another backend starts from: nothing of the OpenAI emulator's defaults (its
# URL, model, or EMULATOR flag, which would excuse a missing key), only what every backend reads.
GENERIC_PROVIDER: dict[str, Any] = {"API_KEY": "", "EMULATOR": False, "WEBHOOKS": False, "PRICES": {}}
BACKEND_DEFAULTS: dict[str, dict[str, Any]] = {
    DEFAULT_PROVIDER["BACKEND"]: DEFAULT_PROVIDER,
    RUNWAY_BACKEND: {
        **GENERIC_PROVIDER,
        "BACKEND": RUNWAY_BACKEND,
        "BASE_URL": "https://api.dev.runwayml.com",
        "MODEL": "gen4.5",
        "REMIX_MODEL": "aleph2",
    },
    FAL_BACKEND: {
        **GENERIC_PROVIDER,
        "BACKEND": FAL_BACKEND,
        "QUEUE_URL": "https://queue.fal.run",
        "JWKS_URL": "https://rest.alpha.fal.ai/.well-known/jwks.json",
        "MODEL": "fal-ai/veo3.1/fast/image-to-video",
        "VERIFY": True,
    },
}


def merge_provider(options: dict[str, Any]) -> dict[str, Any]:
    """A provider entry over the defaults of its own backend (the OpenAI protocol when BACKEND is absent)."""
    backend = options.get("BACKEND") or DEFAULT_PROVIDER["BACKEND"]
    return {**BACKEND_DEFAULTS.get(backend, {**GENERIC_PROVIDER, "BACKEND": backend}), **options}


DEFAULT_PRESETS: dict[str, dict[str, Any]] = {
    "showcase": {
        "PROVIDER": "default",
        "MODEL": None,
        "SIZE": "720x1280",
        "SECONDS": 8,
        "AUTO": True,
        "WEARABLE_ONLY": False,
    },
    "showcase_wide": {
        "PROVIDER": "default",
        "MODEL": None,
        "SIZE": "1280x720",
        "SECONDS": 8,
        "AUTO": False,
        "WEARABLE_ONLY": False,
    },
    "worn": {
        "PROVIDER": "default",
        "MODEL": None,
        "SIZE": "720x1280",
        "SECONDS": 8,
        "AUTO": False,
        "WEARABLE_ONLY": True,
    },
}

DEFAULTS: dict[str, Any] = {
    # Named video providers, like CACHES: each has a BACKEND dotted path and its options.
    "PROVIDERS": {"default": DEFAULT_PROVIDER},
    # What to generate for a product; prompts are templates sora_products/prompts/<preset>.txt.
    "PRESETS": DEFAULT_PRESETS,
    # {"app_label.Model": "dotted.path.Adapter" or {"ADAPTER": ..., option: value}}.
    "ADAPTERS": {},
    # Product categories a person can wear: those products are offered the "worn" preset and the try-on.
    # An adapter's own ``wearable_categories`` overrides this.
    # Bags are not here: the "worn" prompt has a model wear the item; add them if your prompt carries one.
    "WEARABLE_CATEGORIES": (
        "apparel", "clothing", "dress", "dresses", "tops", "outerwear", "knitwear",
        "shoes", "footwear", "sneakers", "boots",
    ),
    # The django-oscar integration (sora_products.contrib.oscar): add its entry to Oscar's dashboard
    # navigation, put the video actions on Oscar's Product admin, and whether a variant with its own
    # photo gets (and pays for) its own video instead of showing its parent's.
    "OSCAR": {"DASHBOARD_NAVIGATION": True, "PRODUCT_ADMIN": True, "CHILD_VIDEOS": False},
    # Request the presets marked AUTO when a registered product's photo or text changes.
    "AUTO_GENERATE": True,
    # Nothing reaches the storefront before a person approves it.
    "REQUIRE_APPROVAL": True,
    # Show the visible "AI-generated" label next to every player.
    "AI_LABEL": True,
    # USD caps; None means no cap.
    "BUDGET": {"DAILY": Decimal("25.00"), "MONTHLY": Decimal("300.00"), "SHOPPER_DAILY": Decimal("5.00")},
    # The address shoppers reach the shop at ("https://shop.example"): providers fetch files from it
    # (a video to edit) and post webhooks to it. Storage that gives absolute URLs (S3) needs no help.
    "PUBLIC_URL": "",
    # A STORAGES alias; falls back to "default" when the alias is not defined.
    "STORAGE": "sora_products",
    # How work reaches the worker: dotted path of a queue class.
    "QUEUE": "sora_products.queues.DjangoQ2Queue",
    # A call that failed transiently waits FIRST_SECONDS, then twice as long each time up to MAX_SECONDS;
    # JITTER spreads each wait by that fraction so videos that failed together come back apart.
    "BACKOFF": {"FIRST_SECONDS": 30, "MAX_SECONDS": 900, "JITTER": 0.2},
    # After AFTER_FAILURES transient failures in a row a provider is unreachable: nothing is sent to it
    # but one cheap read every PROBE_SECONDS, and the first that succeeds resumes every waiting video.
    "OUTAGE": {"AFTER_FAILURES": 3, "PROBE_SECONDS": 30},
    # Seconds between polls of a running job when no webhook is expected / when one is.
    "POLL_INTERVAL": 10,
    "WEBHOOK_POLL_INTERVAL": 120,
    # ...and while a shopper's page is waiting on it (their status polls mark it watched).
    "WATCHED_POLL_INTERVAL": 2,
    # A worker task waits out polls shorter than this instead of giving the job back to the queue.
    "TASK_HOLD_SECONDS": 30,
    # After the sync pass hands a row to the queue, it waits this long before handing it over again.
    "SYNC_LEASE_SECONDS": 30,
    # A job still running after this many seconds is failed as stuck.
    "MAX_RUN_SECONDS": 3600,
    # A claimed create whose outcome is unknown is reconciled for this long, then parked.
    "RECONCILE_GRACE_SECONDS": 300,
    # The app's own attempt limit: a job that keeps killing its worker stops here.
    "MAX_ATTEMPTS": 3,
    "MAX_DOWNLOAD_BYTES": 200 * 1024 * 1024,
    "MAX_IMAGE_PIXELS": 40_000_000,
    # How the reference image is encoded for the provider: "JPEG" (q90, small and quick) or "PNG" (lossless).
    "REFERENCE_FORMAT": "JPEG",
    # Standard Webhooks secrets ("whsec_..."); several allow rotation.
    "WEBHOOK_SECRETS": [],
    "WEBHOOK_TOLERANCE_SECONDS": 300,
    # Longest product text let into a prompt slot.
    "PROMPT_TEXT_LIMIT": 300,
    # After a video is stored: the product's median colour in a few frames against the photo's (CIEDE2000),
    # and the share of the first frame's product pixels that still match the reference. A video over either
    # limit is held for a person, even when approval is off. The defaults come from bench_fidelity.
    "FIDELITY": {"CHECK": True, "MAX_DELTA_E": 3.0, "MIN_FIRST_FRAME_MATCH": 0.5, "FRAMES": 6},
    # A human face in a reference image: "mask" fills the head with the backdrop, "refuse" fails the video
    # before anything is paid, "off" sends the photo as it is. Needs sora-products[faces] (scikit-image).
    "FACES": "mask",
    # Content Credentials (C2PA, needs sora-products[provenance]): TRUST_ANCHORS is PEM text or a file path
    # of the CAs whose signatures count as trusted. With SIGN, the shop adds its own manifest to every video
    # it stores, with the certificate chain and key read from the environment variables named here.
    "PROVENANCE": {
        "TRUST_ANCHORS": "",
        "SIGN": False,
        "CERTIFICATE_ENV": "SORA_C2PA_CERTIFICATE",
        "KEY_ENV": "SORA_C2PA_PRIVATE_KEY",
        "ALGORITHM": "es256",
        "CLAIM_GENERATOR": "sora-products",
    },
    # The staff API (videos/api/videos/…): "session" (the admin's login, with CSRF on every POST) and/or
    # "token" (DRF's TokenAuthentication; add "rest_framework.authtoken" to INSTALLED_APPS).
    "API": {"AUTHENTICATION": ("session",), "PAGE_SIZE": 50},
    # Storefront experiments (photo only vs video, or two videos). Visitors with Do-Not-Track or Global
    # Privacy Control are left out when HONOUR_DNT; CONSENT is a dotted path to a function(request) -> bool
    # the shop's consent banner answers (None: no consent asked). Bots are left out by user agent, by never
    # running JavaScript (only the page's script reports a visitor), and by the two rates below.
    "EXPERIMENTS": {
        "ENABLED": True,
        "HONOUR_DNT": True,
        "CONSENT": None,
        "BOT_USER_AGENTS": r"bot|crawl|spider|slurp|headless|lighthouse|preview|curl|wget|python|httpx|go-http|java/",
        "REPORTS_PER_MINUTE": 30,
        "NEW_VISITORS_PER_HOUR": 120,
        "FLUSH_SECONDS": 5,
    },
    "TRY_ON": {
        "ENABLED": False,
        "HEIGHT_STEP_CM": 5,
        "HEIGHT_MIN_CM": 140,
        "HEIGHT_MAX_CM": 200,
        "SIZES": ["XS", "S", "M", "L", "XL"],
        "SCENES": ["studio", "street"],
        "PRESET": "worn",
        "MAX_PENDING_PER_SESSION": 2,
        # DRF-style rates per network (IPv4 address or IPv6 /64), per session, and for status polls.
        "THROTTLE_RATES": {"ip": "60/hour", "session": "20/hour", "status": "600/hour"},
        # What `sora_generate --try-on` pre-renders: heights in this range x the middle N sizes.
        "COMMON_HEIGHTS_CM": (155, 175),
        "COMMON_SIZE_COUNT": 3,
        # While a shopper's exact bucket is not made, the nearest live video of the same size and scene
        # within this many cm of their height plays instead (0 turns stand-ins off).
        "STAND_IN_CM": 10,
        # Which asked buckets are made: "always"; "on_demand", once DEMAND_THRESHOLD distinct sessions have
        # asked (a stand-in or the showcase video plays until then); "never", only buckets made beforehand.
        "GENERATE": "always",
        "DEMAND_THRESHOLD": 3,
        # Who the shoppers are, for `sora_generate --try-on --budget` until the shop has enough past asks.
        "HEIGHT_MEAN_CM": 160,
        "HEIGHT_SD_CM": 7,
    },
}

# Keys whose value is a dict merged over the default dict rather than replacing it.
MERGED_KEYS = ("BUDGET", "TRY_ON", "BACKOFF", "OUTAGE", "OSCAR", "FIDELITY", "PROVENANCE", "API", "EXPERIMENTS")

# Dotted paths of earlier versions that settings may still name, mapped to where the thing lives now.
MOVED_PATHS = {"sora_products.queue.": "sora_products.queues."}


def moved_path(path: str) -> str:
    """``path`` as it is spelled today, for settings written against an earlier layout."""
    for old, new in MOVED_PATHS.items():
        if path.startswith(old):
            return new + path[len(old) :]
    return path


def merge_preset(name: str, options: dict[str, Any]) -> dict[str, Any]:
    """A shop's preset overrides the built-in preset of that name, or starts from a manual one.

    PROVIDER is an alias or an ordered list of them (``{"NAME": alias, "MODEL": model}`` or plain
    aliases): ROUTE keeps the list, and PROVIDER and MODEL name the first choice, which the video's
    spec key is made of whichever provider ends up making it.
    """
    base = DEFAULT_PRESETS.get(name, {**DEFAULT_PRESETS["showcase"], "AUTO": False})
    preset = {**base, **options}
    preset["ROUTE"] = route_of(preset.get("PROVIDER"), preset.get("MODEL"))
    if isinstance(preset.get("PROVIDER"), list | tuple):
        first = preset["ROUTE"][0] if preset["ROUTE"] else {"NAME": None, "MODEL": None}
        preset["PROVIDER"], preset["MODEL"] = first["NAME"], first["MODEL"]
    return preset


def route_of(provider: Any, model: str | None) -> list[dict[str, Any]]:
    """The ordered choices of a preset's PROVIDER setting, each {"NAME": alias, "MODEL": model or None}."""
    if not isinstance(provider, list | tuple):
        return [{"NAME": provider, "MODEL": model}]
    route = []
    for entry in provider:
        if isinstance(entry, dict):
            options = {str(key).upper(): value for key, value in entry.items()}
            route.append({"NAME": options.get("NAME"), "MODEL": options.get("MODEL")})
        else:
            route.append({"NAME": entry, "MODEL": None})
    return route


class AppSettings:
    """Lazy attribute access to SORA_PRODUCTS with defaults; unknown names raise AttributeError."""

    def __init__(self, defaults: dict[str, Any] | None = None) -> None:
        self.defaults = defaults or DEFAULTS
        self._cached: set[str] = set()

    @property
    def user_settings(self) -> dict[str, Any]:
        if not hasattr(self, "_user_settings"):
            self._user_settings = getattr(settings, SETTING_NAME, {}) or {}
        return self._user_settings

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in self.defaults:
            raise AttributeError(f"Invalid {SETTING_NAME} setting: {name!r}")
        value = copy.deepcopy(self.defaults[name])
        if name in self.user_settings:
            user_value = self.user_settings[name]
            value = {**value, **user_value} if name in MERGED_KEYS else user_value
        if name == "QUEUE" and isinstance(value, str):
            value = moved_path(value)
        if name == "PROVIDERS":
            value = {alias: merge_provider(options) for alias, options in value.items()}
        if name == "PRESETS":
            value = {key: merge_preset(key, options) for key, options in value.items()}
        self._cached.add(name)
        setattr(self, name, value)
        return value

    def unknown_keys(self) -> list[str]:
        """Keys in the shop's dict that this version does not know (typos, removed keys)."""
        return sorted(set(self.user_settings) - set(self.defaults))

    def reload(self) -> None:
        for name in self._cached:
            delattr(self, name)
        self._cached.clear()
        if hasattr(self, "_user_settings"):
            delattr(self, "_user_settings")


app_settings = AppSettings()


def reload_app_settings(*, setting: str, **kwargs: Any) -> None:
    if setting == SETTING_NAME:
        app_settings.reload()


setting_changed.connect(reload_app_settings)
