"""System checks with stable ids, so a misconfiguration shows at start-up, not at the first video."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from sora_products import budget
from sora_products.conf import app_settings
from sora_products.live_counter import LOCAL_CACHES


def _provider_capabilities(alias: str) -> Any:
    from sora_products.jobs.providers import get_provider

    return get_provider(alias).capabilities()


@register(Tags.compatibility)
def check_settings(app_configs: Any = None, **kwargs: Any) -> list:
    """sora_products.E001–E012 and W001–W008: settings that would break or surprise later."""
    messages: list = []
    for key in app_settings.unknown_keys():
        messages.append(
            Error(
                f'SORA_PRODUCTS has an unknown key "{key}".',
                hint="Check the spelling against the settings list in the README.",
                id="sora_products.E001",
            )
        )
    providers = app_settings.PROVIDERS
    for alias, options in providers.items():
        if not options.get("EMULATOR") and not options.get("API_KEY"):
            messages.append(
                Error(
                    f'Video provider "{alias}" has no API key.',
                    hint="Set its API_KEY from the environment (e.g. VIDEO_API_KEY), or set EMULATOR: True "
                    "to use the local emulator.",
                    id="sora_products.E003",
                )
            )
    for name, preset in app_settings.PRESETS.items():
        messages.extend(_check_preset(name, preset, providers))
    if not app_settings.AI_LABEL:
        messages.append(
            Warning(
                'SORA_PRODUCTS["AI_LABEL"] is off: generated videos are shown without the "AI-generated" label.',
                hint="Transparency rules (EU AI Act art. 50) may require the label; "
                "keep it on unless you show it yourself.",
                id="sora_products.W001",
            )
        )
    q_cluster = getattr(settings, "Q_CLUSTER", {})
    if q_cluster and not q_cluster.get("orm") and not q_cluster.get("redis"):
        messages.append(
            Warning(
                "Q_CLUSTER names neither an ORM nor a Redis broker; django-q2 then needs Redis on localhost.",
                hint='Add "orm": "default" to Q_CLUSTER, or a "redis" URL.',
                id="sora_products.W002",
            )
        )
    messages.extend(_check_throttle_cache())
    messages.extend(_check_sqlite_worker(settings.DATABASES))
    grace, timeout = float(app_settings.RECONCILE_GRACE_SECONDS), 60.0
    if grace <= timeout:
        messages.append(
            Warning(
                "RECONCILE_GRACE_SECONDS is not longer than a create call may take; a slow create could be sent twice.",
                hint="Keep RECONCILE_GRACE_SECONDS above 60.",
                id="sora_products.W003",
            )
        )
    messages.extend(_check_waits())
    messages.extend(_check_trust())
    messages.extend(_check_api())
    return messages


API_AUTHENTICATIONS = ("session", "token")


def _check_api() -> list:
    """E012: the staff API's AUTHENTICATION names something unknown, or "token" without DRF's authtoken app."""
    from django.apps import apps

    chosen = list(app_settings.API.get("AUTHENTICATION") or ())
    unknown = [name for name in chosen if name not in API_AUTHENTICATIONS]
    if unknown or not chosen:
        return [
            Error(
                f'SORA_PRODUCTS["API"]["AUTHENTICATION"] must list "session" and/or "token", not {chosen!r}.',
                id="sora_products.E012",
            )
        ]
    if "token" in chosen and not apps.is_installed("rest_framework.authtoken"):
        return [
            Error(
                'SORA_PRODUCTS["API"]["AUTHENTICATION"] names "token", but rest_framework.authtoken is not installed.',
                hint='Add "rest_framework.authtoken" to INSTALLED_APPS and migrate, or use "session" only.',
                id="sora_products.E012",
            )
        ]
    return []


FACE_ACTIONS = ("mask", "refuse", "off")


def _check_trust() -> list:
    """sora_products.E010, E011 and W006–W008: face and provenance settings that cannot be kept."""
    import os

    from sora_products.trust import faces, provenance

    messages: list = []
    action = str(app_settings.FACES or "off").lower()
    if action not in FACE_ACTIONS:
        messages.append(
            Error(
                f'FACES is "{app_settings.FACES}"; it must be one of {", ".join(FACE_ACTIONS)}.',
                id="sora_products.E010",
            )
        )
    elif action != "off" and not faces.available():
        messages.append(
            Warning(
                f'FACES is "{action}", but scikit-image is not installed: reference images are sent unchecked.',
                hint="pip install 'sora-products[faces]', or set FACES to \"off\" to say so.",
                id="sora_products.W006",
            )
        )
    options = app_settings.PROVENANCE
    anchors = str(options.get("TRUST_ANCHORS") or "").strip()
    if (anchors or options.get("SIGN")) and not provenance.available():
        messages.append(
            Warning(
                "PROVENANCE is set, but c2pa-python is not installed: Content Credentials are neither read nor added.",
                hint="pip install 'sora-products[provenance]'.",
                id="sora_products.W007",
            )
        )
    if anchors and "-----BEGIN" not in anchors and not os.path.isfile(anchors):
        messages.append(
            Error(
                f'PROVENANCE["TRUST_ANCHORS"] is neither PEM text nor a file: "{anchors[:80]}".',
                id="sora_products.E011",
            )
        )
    if options.get("SIGN"):
        names = (str(options.get("CERTIFICATE_ENV") or ""), str(options.get("KEY_ENV") or ""))
        missing = [name or "(no variable named)" for name in names if not name or not os.environ.get(name)]
        if missing:
            messages.append(
                Warning(
                    f"PROVENANCE[\"SIGN\"] is on, but {' and '.join(missing)} is not set in this process's "
                    "environment.",
                    hint="Videos are stored without the shop's own Content Credentials until it is.",
                    id="sora_products.W008",
                )
            )
    return messages


def _check_waits() -> list:
    """sora_products.E008: back-off and outage settings a worker could not follow."""
    backoff, outage = app_settings.BACKOFF, app_settings.OUTAGE
    try:
        first, cap, jitter = (float(backoff[key]) for key in ("FIRST_SECONDS", "MAX_SECONDS", "JITTER"))
        failures, probe = int(outage["AFTER_FAILURES"]), float(outage["PROBE_SECONDS"])
    except (KeyError, TypeError, ValueError) as exc:
        problem = f"a value is missing or not a number ({exc})"
    else:
        problems = [
            "BACKOFF FIRST_SECONDS must be above 0" if first <= 0 else "",
            "BACKOFF MAX_SECONDS must not be below FIRST_SECONDS" if cap < first else "",
            "BACKOFF JITTER must be between 0 and 1" if not 0 <= jitter <= 1 else "",
            "OUTAGE AFTER_FAILURES must be at least 1" if failures < 1 else "",
            "OUTAGE PROBE_SECONDS must be above 0" if probe <= 0 else "",
        ]
        problem = "; ".join(p for p in problems if p)
    if not problem:
        return []
    return [
        Error(
            f"SORA_PRODUCTS back-off settings cannot be used: {problem}.",
            hint='The defaults are "BACKOFF": {"FIRST_SECONDS": 30, "MAX_SECONDS": 900, "JITTER": 0.2} and '
            '"OUTAGE": {"AFTER_FAILURES": 3, "PROBE_SECONDS": 30}.',
            id="sora_products.E008",
        )
    ]


def _check_preset(name: str, preset: dict[str, Any], providers: dict[str, Any]) -> list:
    """Each provider of the preset's route must exist, load, know its model and price it; one must make the shape."""
    errors: list = []
    offered_sizes: dict[str, frozenset] = {}
    offered_seconds: dict[str, frozenset] = {}
    for entry in preset.get("ROUTE") or [{"NAME": preset.get("PROVIDER"), "MODEL": preset.get("MODEL")}]:
        alias = entry["NAME"]
        if alias not in providers:
            errors.append(
                Error(
                    f'Preset "{name}" names the provider "{alias}", which PROVIDERS does not define.',
                    hint=f"Define it in PROVIDERS or use one of: {', '.join(sorted(providers))}.",
                    id="sora_products.E002",
                )
            )
            continue
        model = entry["MODEL"] or providers[alias].get("MODEL")
        try:
            capabilities = _provider_capabilities(alias)
        except Exception as exc:  # an unimportable backend is itself the problem to report
            errors.append(Error(f'Provider "{alias}" cannot be loaded: {exc}', id="sora_products.E004"))
            continue
        model_caps = capabilities.models.get(model)
        if model_caps is None:
            errors.append(
                Error(
                    f'Preset "{name}" uses model "{model}", which provider "{alias}" does not offer.',
                    hint="Declare the model under the provider's MODELS setting with its sizes and seconds.",
                    id="sora_products.E005",
                )
            )
            continue
        try:
            budget.price_per_second(alias, model, str(preset.get("SIZE")))
        except budget.UnknownPrice:
            errors.append(
                Error(
                    f'Preset "{name}" uses model "{model}" at {preset.get("SIZE")}, which has no price, so the '
                    "budget caps could not hold for it.",
                    hint=f'Add it to PRICES of provider "{alias}", e.g. "PRICES": {{"{model}": {{"*": "0.20"}}}} '
                    "(USD per generated second).",
                    id="sora_products.E009",
                )
            )
        offered_sizes[model] = model_caps.sizes
        offered_seconds[model] = model_caps.seconds
    if not offered_sizes:
        return errors
    if not any(preset.get("SIZE") in sizes for sizes in offered_sizes.values()):
        models = ", ".join(offered_sizes)
        supported = sorted(set().union(*offered_sizes.values()))
        errors.append(
            Error(
                f'Preset "{name}" asks for size {preset.get("SIZE")}, which {models} does not support.',
                hint=f"Supported sizes: {', '.join(supported)}.",
                id="sora_products.E006",
            )
        )
    if not any(int(preset.get("SECONDS", 0)) in seconds for seconds in offered_seconds.values()):
        models = ", ".join(offered_seconds)
        supported = sorted(set().union(*offered_seconds.values()))
        errors.append(
            Error(
                f'Preset "{name}" asks for {preset.get("SECONDS")} seconds, which {models} does not support.',
                hint=f"Supported durations: {', '.join(str(s) for s in supported)} seconds.",
                id="sora_products.E007",
            )
        )
    return errors


def _check_throttle_cache() -> list:
    """Try-on throttles count in the default cache; a per-process cache undercounts them."""
    if not app_settings.TRY_ON.get("ENABLED"):
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if not backend.endswith(LOCAL_CACHES):
        return []
    return [
        Warning(
            f"Shopper try-on is on, but the default cache ({backend.rsplit('.', 1)[-1]}) is not shared between "
            "processes, so each process counts its own throttle limits.",
            hint="Use Redis or Memcached as the default cache when more than one process serves the shop; "
            "the budget caps still hold either way.",
            id="sora_products.W004",
        )
    ]


SQLITE_OPTIONS_HINT = (
    'Set DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE", '
    '"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"} (Django 5.1+), as the demo shop does.'
)
MIN_SQLITE_TIMEOUT = 10


def sqlite_worker_problems(database: dict[str, Any]) -> list[str]:
    """What an SQLite database shared by web and worker processes lacks; each missing piece ends in "locked"."""
    if not database.get("ENGINE", "").endswith("sqlite3") or str(database.get("NAME", "")) in ("", ":memory:"):
        return []
    options = database.get("OPTIONS") or {}
    problems = []
    try:
        timeout = float(options.get("timeout", 5))
    except (TypeError, ValueError):
        timeout = 0.0
    if timeout < MIN_SQLITE_TIMEOUT:
        problems.append(f"a busy timeout of at least {MIN_SQLITE_TIMEOUT} s")
    if str(options.get("transaction_mode", "")).upper() != "IMMEDIATE":
        problems.append("IMMEDIATE transactions")
    if "journal_mode=wal" not in "".join(str(options.get("init_command", "")).lower().split()):
        problems.append("WAL journal mode")
    return problems


def _check_sqlite_worker(databases: dict[str, Any]) -> list:
    """sora_products.W005: SQLite shared with a qcluster worker without the options that keep it from locking."""
    if not app_settings.QUEUE.endswith("DjangoQ2Queue"):
        return []
    database = databases.get("default", {})
    problems = sqlite_worker_problems(database)
    if not problems:
        return []
    hint = SQLITE_OPTIONS_HINT
    if database.get("ATOMIC_REQUESTS"):
        hint += (
            " With ATOMIC_REQUESTS every page then takes the write lock for its whole request, one page at a "
            "time: fine for a small shop; beyond that use PostgreSQL."
        )
    return [
        Warning(
            "The database is SQLite and the video worker writes to it beside the web server, without "
            + ", ".join(problems)
            + '; expect "database is locked" task failures (recovered, but slower).',
            hint=hint,
            id="sora_products.W005",
        )
    ]
