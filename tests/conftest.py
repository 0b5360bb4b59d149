"""Suite-wide fixtures and the rules for tests that need a service or a browser.

Tests marked ``browser`` need Debian's chromium; ``postgres`` and ``redis`` need those services
(DATABASE_URL / SORA_REDIS_URL). Without them a test is skipped with a plain message, except
under SORA_REQUIRE_SERVICES=1 (CI), where a missing service fails the run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest_plugins = ["sora_products.emulator.testing", "tests.stack"]

CHROMIUM = os.environ.get("SORA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
# The Oscar shop is its own Django project: it runs as `pytest --ds=tests.oscar_shop.settings tests/oscar_shop`
# (and its forked-catalogue variant with --ds=tests.oscar_shop.forked_settings tests/oscar_shop/forked).
if not os.environ.get("DJANGO_SETTINGS_MODULE", "").startswith("tests.oscar_shop."):
    collect_ignore = ["oscar_shop"]
# Media on S3 is its own settings module too: `pytest --ds=tests.s3.settings tests/s3` (CI starts the store).
if os.environ.get("DJANGO_SETTINGS_MODULE") != "tests.s3.settings":
    collect_ignore = [*globals().get("collect_ignore", []), "s3"]
ARTIFACTS = Path(os.environ.get("SORA_TEST_ARTIFACTS", Path(__file__).resolve().parent.parent / "test-artifacts"))


def require_services() -> bool:
    return os.environ.get("SORA_REQUIRE_SERVICES") == "1"


def _missing(marker: str) -> str | None:
    if marker == "browser" and not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        return f"headless Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if marker == "postgres" and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return "PostgreSQL not configured (set DATABASE_URL=postgres://...)"
    if marker == "redis" and not os.environ.get("SORA_REDIS_URL"):
        return "Redis not configured (set SORA_REDIS_URL=redis://...)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for marker in ("browser", "postgres", "redis"):
            if marker not in item.keywords:
                continue
            reason = _missing(marker)
            if reason is None:
                continue
            if not require_services():
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in ("browser", "postgres", "redis"):
        if marker in item.keywords and require_services():
            reason = _missing(marker)
            if reason:
                pytest.fail(f"SORA_REQUIRE_SERVICES=1 but {reason}", pytrace=False)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in LANGUAGE_CODE: a request with Accept-Language leaves its language active in the thread."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def artifacts_dir() -> Path:
    """Where browser tests leave screenshots for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def browser():
    """A headless Chromium driven by Playwright (Debian's binary; Playwright's download can't work here)."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Each test writes media into its own folder, never into the demo's media/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def _fresh_live_memo():
    """The storefront's per-process memo starts empty: rows of an earlier test are gone from the database."""
    from sora_products import live_counter

    live_counter.forget()
    yield


@pytest.fixture(autouse=True)
def _captured_queue():
    from sora_products.queues import CapturingQueue

    CapturingQueue.captured = []
    yield CapturingQueue.captured


@pytest.fixture(scope="session")
def real_clip(tmp_path_factory) -> bytes:
    """A real 2-second H.264 clip from the emulator's renderer, so a browser can be seen playing it."""
    from sora_products.emulator.renderer import RenderSettings, render
    from sora_products.emulator.store import RenderSpec

    folder = tmp_path_factory.mktemp("clip")
    result = render(RenderSpec(360, 640, 2, "a linen dress"), str(folder), RenderSettings.for_mode(fast=True))
    return Path(result.video).read_bytes()
