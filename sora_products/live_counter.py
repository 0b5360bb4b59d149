"""Skipping the storefront's live-video query while nothing that is live has changed.

A counter in the shared cache changes (on commit) with every change that can alter what is live: a
video stored, approved or rejected, outdated or current again, deleted. A page reads the counter once
(with Django's Redis cache, each bump is also published and ``live_listener`` hears it, so the page reads
memory instead of Redis); while it is unchanged, each process answers a listing from its own memo instead of asking the
database. Only a cache shared by every process (Redis, Memcached) can carry the counter: with a
per-process cache a worker's change would go unseen, so the page keeps its query. Memo entries also
expire after MEMO_SECONDS, so a bump lost with the cache heals by itself.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache
from django.core.signals import setting_changed
from django.db import transaction

from sora_products import live_listener

logger = logging.getLogger(__name__)

KEY = "sora_products:live-generation"
LOCAL_CACHES = ("LocMemCache", "DummyCache", "FileBasedCache", "DatabaseCache")
MEMO_SIZE = 256
MEMO_SECONDS = 60.0

_memo: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
_memo_lock = threading.Lock()  # threaded servers: a clear() must not meet a remember() half done
_shared: list[bool] = []
_redis_clients: weakref.WeakKeyDictionary[RedisCache, Any] = weakref.WeakKeyDictionary()


def shared() -> bool:
    """Whether the default cache is one every process shares, so the counter can be trusted."""
    if not _shared:
        backend = settings.CACHES.get("default", {}).get("BACKEND", "")
        _shared.append(bool(backend) and not backend.endswith(LOCAL_CACHES))
    return _shared[0]


def current() -> Hashable | None:
    """The counter now, or None when there is no shared cache (or it failed): then ask the database."""
    if not shared():
        return None
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        pushed = live_listener.generation(lambda: _redis_client(cache), _clear_memo)
        if pushed is not None:
            return ("pushed", pushed)
    try:
        value = _read(cache)
        if value is None:
            # A fresh random start: a counter lost with the cache never meets memo entries of the old one.
            cache.add(KEY, secrets.randbits(62), timeout=None)
            value = cache.get(KEY)
    except Exception:
        logger.warning("sora_products could not read the live-video counter from the cache", exc_info=True)
        return None
    return value


def _read(cache: BaseCache) -> Any:
    """``cache.get(KEY)``; with Django's Redis backend through one kept client, as building one per call
    (what the backend does) costs a page about 0.1 ms in redis-py 7 and 8."""
    if not isinstance(cache, RedisCache):
        return cache.get(KEY)
    value = _redis_client(cache).get(cache.make_and_validate_key(KEY))
    return None if value is None else cache._cache._serializer.loads(value)  # noqa: SLF001


def _redis_client(cache: RedisCache) -> Any:
    """A client of the cache's primary server, kept per cache object (the backend builds one per call)."""
    client = _redis_clients.get(cache)
    if client is None:
        # The backend has no public way to keep its client; reads go to the primary, where bumps are published.
        client = _redis_clients[cache] = cache._cache.get_client(write=True)  # noqa: SLF001
    return client


def changed() -> None:
    """What is live may have changed: move the counter once the change is committed."""
    if shared():
        transaction.on_commit(_bump, robust=True)
    _clear_memo()  # this process sees its own change at once, committed or not


def _clear_memo() -> None:
    with _memo_lock:
        _memo.clear()


def _bump() -> None:
    cache = caches["default"]
    try:
        try:
            cache.incr(KEY)
        except ValueError:  # no counter yet, or it was evicted
            cache.set(KEY, secrets.randbits(62), timeout=None)
        if isinstance(cache, RedisCache):
            live_listener.publish(_redis_client(cache))
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
    """Drop the memo (and the cached view of CACHES, with its listener, when settings change)."""
    _clear_memo()
    if kwargs.get("setting") in (None, "CACHES"):
        _shared.clear()
        live_listener.stop()


setting_changed.connect(forget, dispatch_uid="sora_products.live_counter")
