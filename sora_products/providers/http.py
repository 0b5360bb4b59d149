"""Retrying HTTP transport for provider reads, and the status → error mapping shared by backends.

Only idempotent calls go through ``Retrying``. Paid calls are sent once by the backend and mapped
with ``error_for_status(..., paid=True)``, which turns every ambiguous answer into OutcomeUnknown.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from sora_products.providers.base import (
    MODERATION_CODES as DEFAULT_MODERATION_CODES,
)
from sora_products.providers.base import (
    QUOTA_CODES,
    AuthError,
    BadResponse,
    InvalidRequest,
    ModerationRefused,
    NotFound,
    OutcomeUnknown,
    ProviderError,
    RateLimited,
    TransientError,
)

# Statuses that say "try again" rather than "you are wrong" (the OpenAI SDK's rule too).
RETRYABLE_STATUSES = frozenset({408, 409, 429})

# Transport failures that happen before any byte of the request left: a paid call is safe to report
# as "nothing happened". Everything else (write/read errors, read timeouts, protocol errors) may
# have delivered the request.
NOT_SENT_ERRORS: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry an idempotent call."""

    attempts: int = 3
    backoff: float = 0.5
    backoff_cap: float = 8.0
    max_wait: float = 60.0

    def delay(self, retries_so_far: int, server_wait: float | None, rand: float) -> float:
        """Seconds to sleep: the server's wait when it gave a sane one, else jittered exponential backoff."""
        if server_wait is not None and 0 < server_wait <= self.max_wait:
            return server_wait
        base = min(self.backoff * (2**retries_so_far), self.backoff_cap)
        return base * (1 - 0.25 * rand)


def retry_after_seconds(headers: httpx.Headers, now: float | None = None) -> float | None:
    """The wait a server asked for, from ``retry-after-ms`` (ms) or ``retry-after`` (seconds or HTTP date)."""
    raw_ms = headers.get("retry-after-ms")
    if raw_ms:
        try:
            return max(float(raw_ms) / 1000.0, 0.0)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return max(float(raw), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def should_retry(response: httpx.Response) -> bool:
    """Whether a failed answer is worth repeating; ``x-should-retry`` overrides the status rule."""
    hint = response.headers.get("x-should-retry", "").strip().lower()
    if hint == "true":
        return True
    if hint == "false":
        return False
    return response.status_code in RETRYABLE_STATUSES or response.status_code >= 500


def error_for_status(
    status: int,
    *,
    message: str,
    code: str | None,
    request_id: str | None,
    retry_after: float | None,
    paid: bool = False,
    moderation_codes: frozenset[str] = DEFAULT_MODERATION_CODES,
) -> ProviderError:
    """Map an HTTP error answer to the typed error that tells the caller what to do.

    With ``paid`` (create, remix), 408, 409 and 5xx become OutcomeUnknown: the provider or a
    gateway in front of it may have created the job before failing to answer.
    """
    fields = {"code": code, "status_code": status, "request_id": request_id, "retry_after": retry_after}
    if status == 429:
        return RateLimited(message, quota=code in QUOTA_CODES, **fields)
    if paid and (status in (408, 409) or status >= 500):
        return OutcomeUnknown(message, **fields)
    if status in (408, 409) or status >= 500:
        return TransientError(message, **fields)
    if status in (401, 403):
        return AuthError(message, **fields)
    if status == 404:
        return NotFound(message, **fields)
    if status == 400 and code in moderation_codes:
        return ModerationRefused(message, **fields)
    if 400 <= status < 500:
        return InvalidRequest(message, **fields)
    return BadResponse(message or f"unexpected HTTP status {status}; check BASE_URL", **fields)


def transport_error(exc: httpx.TransportError, *, paid: bool) -> ProviderError:
    """Map a connection-level failure: safe (TransientError) unless a paid request may have been sent."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if paid and not isinstance(exc, NOT_SENT_ERRORS):
        return OutcomeUnknown(f"the connection failed after the request was sent ({text})")
    return TransientError(f"the connection failed ({text})")


class Retrying:
    """Runs an idempotent HTTP call until it succeeds, fails for good, or runs out of attempts."""

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.policy = policy
        self.sleep = sleep
        self.rand = rand

    def pause(self, retries_so_far: int, server_wait: float | None = None) -> None:
        """Sleep before the next attempt."""
        self.sleep(self.policy.delay(retries_so_far, server_wait, self.rand()))

    def call(
        self,
        send: Callable[[], httpx.Response],
        to_error: Callable[[httpx.Response], ProviderError],
    ) -> httpx.Response:
        """Return the first 2xx response from ``send``; raise the mapped error otherwise.

        ``send`` may open a streamed response; error responses are read and closed here.
        """
        attempts = max(self.policy.attempts, 1)
        for attempt in range(1, attempts + 1):
            try:
                response = send()
            except httpx.TransportError as exc:
                if attempt == attempts:
                    raise transport_error(exc, paid=False) from exc
                self.pause(attempt - 1)
                continue
            if response.is_success:
                return response
            try:
                response.read()
            except httpx.TransportError as exc:
                if attempt == attempts:
                    raise transport_error(exc, paid=False) from exc
                self.pause(attempt - 1)
                continue
            finally:
                response.close()
            error = to_error(response)
            if attempt == attempts or not self.retryable(response, error):
                raise error
            self.pause(attempt - 1, error.retry_after)
        raise AssertionError("unreachable")  # pragma: no cover

    def retryable(self, response: httpx.Response, error: ProviderError) -> bool:
        """A retry must be wanted by the server, useful (not quota), and not asked to wait too long."""
        if isinstance(error, RateLimited) and error.quota:
            return False
        if not should_retry(response):
            return False
        return error.retry_after is None or error.retry_after <= self.policy.max_wait
