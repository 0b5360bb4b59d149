"""System checks catch configuration mistakes at start-up, with ids and hints."""

from __future__ import annotations

import pytest

from sora_products.checks import check_settings


def ids(settings, **overrides):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, **overrides}
    # The test settings use a per-process cache on purpose; W004 has its own test below.
    return {message.id for message in check_settings()} - {"sora_products.W004"}


def test_the_test_settings_are_clean(settings):
    assert ids(settings) == set()


def test_an_unknown_key_is_reported(settings):
    assert "sora_products.E001" in ids(settings, REQUIRE_APROVAL=False)


def test_a_preset_naming_an_unknown_provider(settings):
    assert "sora_products.E002" in ids(settings, PRESETS={"showcase": {"PROVIDER": "gateway"}})


def test_a_real_provider_without_a_key(settings):
    provider = {"BASE_URL": "https://gateway.example/v1", "EMULATOR": False, "API_KEY": ""}
    assert "sora_products.E003" in ids(settings, PROVIDERS={"default": provider})


@pytest.mark.parametrize(
    "preset,expected",
    [
        ({"SIZE": "1920x1080"}, "sora_products.E006"),  # sora-2 has no 1080p
        ({"SECONDS": 10}, "sora_products.E007"),
        ({"MODEL": "sora-3"}, "sora_products.E005"),
    ],
)
def test_sizes_durations_and_models_the_provider_lacks(settings, preset, expected):
    assert expected in ids(settings, PRESETS={"showcase": preset})


def test_a_gateway_model_declared_in_settings_passes(settings):
    provider = {
        "MODELS": {"seedance-1-pro": {"sizes": ["720x1280"], "seconds": [5, 10]}},
        "PRICES": {"seedance-1-pro": {"*": "0.12"}},
    }
    found = ids(
        settings, PROVIDERS={"default": provider}, PRESETS={"showcase": {"MODEL": "seedance-1-pro", "SECONDS": 5}}
    )
    assert found == set()


def test_a_model_without_a_price_fails_until_the_shop_sets_one(settings):
    provider = {"MODELS": {"seedance-1-pro": {"sizes": ["720x1280"], "seconds": [5, 10]}}}
    preset = {"showcase": {"MODEL": "seedance-1-pro", "SECONDS": 5}}
    assert ids(settings, PROVIDERS={"default": provider}, PRESETS=preset) == {"sora_products.E009"}


RUNWAY = {"BACKEND": "sora_products.providers.runway.RunwayProvider", "API_KEY": "key_from_the_environment"}


def test_runway_defaults_to_its_own_model_and_url_and_gen45_has_a_price(settings):
    assert ids(settings, PROVIDERS={"default": RUNWAY}, PRESETS={"showcase": {"SECONDS": 8}}) == set()


def test_veo_through_runway_needs_a_price_and_only_its_own_durations(settings):
    presets = {"showcase": {"MODEL": "veo3.1", "SECONDS": 5}}
    assert ids(settings, PROVIDERS={"default": RUNWAY}, PRESETS=presets) == {
        "sora_products.E009",
        "sora_products.E007",
    }
    priced = {**RUNWAY, "PRICES": {"veo3.1": {"*": "0.40"}}}
    presets = {"showcase": {"MODEL": "veo3.1", "SECONDS": 8}}
    assert ids(settings, PROVIDERS={"default": priced}, PRESETS=presets) == set()


def test_a_runway_entry_without_a_key_is_not_excused_as_the_emulator(settings):
    keyless = {"BACKEND": "sora_products.providers.runway.RunwayProvider", "API_KEY": ""}
    assert "sora_products.E003" in ids(settings, PROVIDERS={"default": keyless})


def test_turning_the_ai_label_off_warns(settings):
    assert "sora_products.W001" in ids(settings, AI_LABEL=False)


def test_try_on_with_a_per_process_cache_warns_and_a_shared_cache_does_not(settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "TRY_ON": {"ENABLED": True}}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "sora_products.W004" in {m.id for m in check_settings()}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}
    assert "sora_products.W004" not in {m.id for m in check_settings()}


@pytest.mark.parametrize(
    "overrides",
    [
        {"BACKOFF": {"FIRST_SECONDS": 0}},
        {"BACKOFF": {"FIRST_SECONDS": 60, "MAX_SECONDS": 30}},
        {"BACKOFF": {"JITTER": 2}},
        {"OUTAGE": {"AFTER_FAILURES": 0}},
        {"OUTAGE": {"PROBE_SECONDS": "soon"}},
    ],
)
def test_back_off_settings_a_worker_could_not_follow(settings, overrides):
    assert "sora_products.E008" in ids(settings, **overrides)


def test_the_default_back_off_is_fine(settings):
    assert "sora_products.E008" not in ids(settings, BACKOFF={"FIRST_SECONDS": 5}, OUTAGE={"PROBE_SECONDS": 10})


def test_a_route_is_checked_entry_by_entry_and_the_shape_needs_one_provider_that_makes_it(settings):
    providers = {"default": {}, "runway": RUNWAY}
    route = [{"NAME": "default", "MODEL": "sora-2"}, {"NAME": "runway", "MODEL": "gen4.5"}]
    # 10 s: sora-2 has no 10 s clip, gen4.5 has; a route needs only one that makes it.
    assert ids(settings, PROVIDERS=providers, PRESETS={"showcase": {"PROVIDER": route, "SECONDS": 10}}) == set()
    # 20 s: only sora-2 makes it; 30 s: nobody in the route does.
    assert ids(settings, PROVIDERS=providers, PRESETS={"showcase": {"PROVIDER": route, "SECONDS": 20}}) == set()
    assert ids(settings, PROVIDERS=providers, PRESETS={"showcase": {"PROVIDER": route, "SECONDS": 30}}) == {
        "sora_products.E007"
    }
    unknown = [*route, {"NAME": "fal"}]
    assert ids(settings, PROVIDERS=providers, PRESETS={"showcase": {"PROVIDER": unknown}}) == {"sora_products.E002"}


SHOP_SQLITE = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/shop/db.sqlite3"}


def test_sqlite_as_oscars_docs_set_it_up_is_missing_what_keeps_a_worker_from_locking():
    from sora_products.checks import sqlite_worker_problems

    assert sqlite_worker_problems(SHOP_SQLITE) == [
        "a busy timeout of at least 10 s",
        "IMMEDIATE transactions",
        "WAL journal mode",
    ]
    demo = {
        **SHOP_SQLITE,
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode = WAL; PRAGMA synchronous=NORMAL;",
        },
    }
    assert sqlite_worker_problems(demo) == []
    assert sqlite_worker_problems({"ENGINE": "django.db.backends.postgresql", "NAME": "shop"}) == []


def test_the_warning_names_what_is_missing_and_how_to_set_it(settings):
    from sora_products.checks import _check_sqlite_worker

    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "QUEUE": "sora_products.queues.DjangoQ2Queue"}
    (warning,) = _check_sqlite_worker({"default": {**SHOP_SQLITE, "OPTIONS": {"timeout": 20}}})
    assert warning.id == "sora_products.W005"
    assert "IMMEDIATE transactions, WAL journal mode" in warning.msg
    assert '"transaction_mode": "IMMEDIATE"' in warning.hint
    # The demo's own settings pass, and a shop with no worker (tests' capturing queue) is not warned.
    from demo_shop import settings as demo_settings

    assert _check_sqlite_worker({"default": demo_settings.DATABASES["default"]}) == []
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "QUEUE": "sora_products.queues.CapturingQueue"}
    assert _check_sqlite_worker({"default": SHOP_SQLITE}) == []


def test_with_atomic_requests_the_hint_says_what_immediate_costs(settings):
    from sora_products.checks import _check_sqlite_worker

    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "QUEUE": "sora_products.queues.DjangoQ2Queue"}
    (warning,) = _check_sqlite_worker({"default": {**SHOP_SQLITE, "ATOMIC_REQUESTS": True}})
    assert "ATOMIC_REQUESTS" in warning.hint and "PostgreSQL" in warning.hint


def test_an_unknown_face_action_and_a_missing_trust_anchor_file_are_errors(settings):
    assert "sora_products.E010" in ids(settings, FACES="blur")
    assert "sora_products.E011" in ids(settings, PROVENANCE={"TRUST_ANCHORS": "/nowhere/ca.pem"})


def test_faces_without_scikit_image_warn_that_photos_go_unchecked(settings, monkeypatch):
    from sora_products.trust import faces

    monkeypatch.setattr(faces, "available", lambda: False)
    assert "sora_products.W006" in ids(settings, FACES="refuse")
    assert "sora_products.W006" not in ids(settings, FACES="off")


def test_signing_without_the_certificate_in_the_environment_warns(settings, monkeypatch):
    monkeypatch.delenv("SORA_C2PA_CERTIFICATE", raising=False)
    assert "sora_products.W008" in ids(settings, PROVENANCE={"SIGN": True})


def test_the_staff_api_authentication_must_be_session_or_token(settings):
    assert "sora_products.E012" in ids(settings, API={"AUTHENTICATION": ["basic"]})
    assert "sora_products.E012" in ids(settings, API={"AUTHENTICATION": []})
    assert "sora_products.E012" not in ids(settings, API={"AUTHENTICATION": ["session", "token"]})


def test_token_authentication_needs_drf_authtoken_installed(settings):
    settings.INSTALLED_APPS = [app for app in settings.INSTALLED_APPS if app != "rest_framework.authtoken"]
    assert "sora_products.E012" in ids(settings, API={"AUTHENTICATION": ["token"]})
    assert "sora_products.E012" not in ids(settings, API={"AUTHENTICATION": ["session"]})
