"""Skipping the storefront's live-video query while nothing that is live has changed.

A counter in the shared cache changes (on commit) with every change that can alter what is live: a
video stored, approved or rejected, outdated or current again, deleted. A page reads the counter once;
while it is unchanged, each process answers a listing from its own memo instead of asking the
database. Only a cache shared by every process (Redis, Memcached) can carry the counter: with a
per-process cache a worker's change would go unseen, so the page keeps its query. Memo entries also
expire after MEMO_SECONDS, so a bump lost with the cache heals by itself.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import transaction

logger = logging.getLogger(__name__)

KEY = "sora_products:live-generation"
LOCAL_CACHES = ("LocMemCache", "DummyCache", "FileBasedCache", "DatabaseCache")
MEMO_SIZE = 256
MEMO_SECONDS = 60.0

_memo: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
_memo_lock = threading.Lock()  # threaded servers: a clear() must not meet a remember() half done
_shared: list[bool] = []


def shared() -> bool:
    """Whether the default cache is one every process shares, so the counter can be trusted."""
    if not _shared:
        backend = settings.CACHES.get("default", {}).get("BACKEND", "")
        _shared.append(bool(backend) and not backend.endswith(LOCAL_CACHES))
    return _shared[0]


def current() -> int | None:
    """The counter now, or None when there is no shared cache (or it failed): then ask the database."""
    if not shared():
        return None
    cache = caches["default"]
    try:
        value = cache.get(KEY)
        if value is None:
            # A fresh random start: a counter lost with the cache never meets memo entries of the old one.
            cache.add(KEY, secrets.randbits(62), timeout=None)
            value = cache.get(KEY)
    except Exception:
        logger.warning("sora_products could not read the live-video counter from the cache", exc_info=True)
        return None
    return value


def changed() -> None:
    """What is live may have changed: move the counter once the change is committed."""
    if shared():
        transaction.on_commit(_bump, robust=True)
    with _memo_lock:
        _memo.clear()  # this process sees its own change at once, committed or not


def _bump() -> None:
    cache = caches["default"]
    try:
        try:
            cache.incr(KEY)
        except ValueError:  # no counter yet, or it was evicted
            cache.set(KEY, secrets.randbits(62), timeout=None)
    except Exception:
        logger.warning("sora_products could not move the live-video counter; pages may lag by %ss", MEMO_SECONDS)


def recall(key: Hashable) -> Any | None:
    """The memo for ``key`` (which must include the counter), or None."""
    entry = _memo.get(key)
    if entry is None or entry[0] < time.monotonic():
        return None
    return entry[1]


def remember(key: Hashable, value: Any) -> None:
    with _memo_lock:
        _memo[key] = (time.monotonic() + MEMO_SECONDS, value)
        _memo.move_to_end(key)
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)


def forget(**kwargs: Any) -> None:
    """Drop the memo (and the cached view of CACHES when settings change)."""
    with _memo_lock:
        _memo.clear()
    if kwargs.get("setting") in (None, "CACHES"):
        _shared.clear()


setting_changed.connect(forget, dispatch_uid="sora_products.live_counter")
