"""Scoped rate limits for shopper endpoints, per session and per network, on the default cache.

Rates come from ``SORA_PRODUCTS["TRY_ON"]["THROTTLE_RATES"]`` (keys ``session``, ``ip``, ``status``),
read on every request so ``override_settings`` works; DRF's DEFAULT_THROTTLE_RATES is not used.
The counts live in Django's default cache: use Redis or Memcached when several processes serve
the shop, or each process counts on its own. DRF throttling is rate shaping, not a guarantee;
the budget is the guarantee.
"""

from __future__ import annotations

import ipaddress

from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from sora_products.conf import app_settings

DEFAULT_RATES = {
    # New asks ("show me") from one browser session.
    "session": "20/hour",
    # New asks from one network (IPv4 address or IPv6 /64): generous, for shared office and mobile NATs.
    "ip": "60/hour",
    # Status polls from one session (or network when there is no session).
    "status": "600/hour",
}


def configured_rate(name: str) -> str | None:
    rates = {**DEFAULT_RATES, **(app_settings.TRY_ON.get("THROTTLE_RATES") or {})}
    return rates.get(name)


def client_ip(request: HttpRequest) -> str:
    """The client address the way DRF sees it (honours REST_FRAMEWORK["NUM_PROXIES"])."""
    return BaseThrottle().get_ident(request) or ""


def client_network(request: HttpRequest) -> str:
    """The address, with IPv6 masked to its /64, since one home or phone holds a whole /64."""
    ip = client_ip(request)
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class TryOnThrottle(SimpleRateThrottle):
    """A SimpleRateThrottle whose rate is read from TRY_ON["THROTTLE_RATES"][rate_name]."""

    rate_name = ""

    def get_rate(self) -> str | None:
        return configured_rate(self.rate_name)

    def session_or_network(self, request: HttpRequest) -> str:
        session = getattr(request, "session", None)
        key = getattr(session, "session_key", None)
        return f"s:{key}" if key else f"n:{client_network(request)}"


class TryOnSessionThrottle(TryOnThrottle):
    """New try-on asks per browser session (per network for cookie-less clients)."""

    scope = "sora_try_on_session"
    rate_name = "session"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.session_or_network(request)}


class TryOnNetworkThrottle(TryOnThrottle):
    """New try-on asks per client network."""

    scope = "sora_try_on_ip"
    rate_name = "ip"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_network(request)}


class StatusThrottle(TryOnThrottle):
    """Status polls per session: generous, but a runaway poller can't hammer the database."""

    scope = "sora_status"
    rate_name = "status"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.session_or_network(request)}


def first_refusal(request: HttpRequest, throttles: list[SimpleRateThrottle]) -> float | None:
    """Run throttles outside DRF (the plain form view): None when all allow, else seconds to wait."""
    waits = [throttle.wait() for throttle in throttles if not throttle.allow_request(request, None)]
    if not waits:
        return None
    return max((wait for wait in waits if wait is not None), default=60.0)
