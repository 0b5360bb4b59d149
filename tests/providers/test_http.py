"""Retry rules and the status → error table (pure functions, no network)."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from sora_products.providers import (
    AuthError,
    BadResponse,
    InvalidRequest,
    ModerationRefused,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    TransientError,
)
from sora_products.providers.http import RetryPolicy, error_for_status, retry_after_seconds, should_retry


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({}, None),
        ({"retry-after-ms": "50"}, 0.05),
        ({"retry-after-ms": "12.5"}, 0.0125),
        ({"retry-after-ms": "50", "retry-after": "9"}, 0.05),
        ({"retry-after-ms": "soon", "retry-after": "9"}, 9.0),
        ({"retry-after": "2"}, 2.0),
        ({"retry-after": "garbage"}, None),
    ],
)
def test_retry_after_headers(headers, expected):
    assert retry_after_seconds(httpx.Headers(headers)) == expected


def test_retry_after_http_date():
    now = 1_760_000_000.0
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert retry_after_seconds(httpx.Headers({"retry-after": date}), now=now) == pytest.approx(30, abs=1)
    past = email.utils.formatdate(now - 30, usegmt=True)
    assert retry_after_seconds(httpx.Headers({"retry-after": past}), now=now) == 0.0


def test_backoff_is_exponential_jittered_capped_and_honours_sane_server_waits():
    policy = RetryPolicy(attempts=3, backoff=0.5, backoff_cap=8.0, max_wait=60.0)
    assert policy.delay(0, None, 0.0) == 0.5
    assert policy.delay(1, None, 0.0) == 1.0
    assert policy.delay(1, None, 1.0) == 0.75  # at most 25 % jitter, always downwards
    assert policy.delay(10, None, 0.0) == 8.0
    assert policy.delay(0, 3.0, 0.5) == 3.0
    assert policy.delay(0, 0.0, 0.0) == 0.5  # "retry after 0" still backs off


@pytest.mark.parametrize(
    "status, headers, expected",
    [
        (500, {}, True),
        (503, {"x-should-retry": "false"}, False),
        (400, {"x-should-retry": "true"}, True),
        (408, {}, True),
        (409, {}, True),
        (429, {}, True),
        (400, {}, False),
        (404, {}, False),
    ],
)
def test_should_retry(status, headers, expected):
    assert should_retry(httpx.Response(status, headers=headers)) is expected


@pytest.mark.parametrize(
    "status, code, paid, error_type",
    [
        (400, "invalid_value", False, InvalidRequest),
        (400, "sentinel_block", True, ModerationRefused),
        (400, "moderation_blocked", False, ModerationRefused),
        (401, None, True, AuthError),
        (403, None, False, AuthError),
        (404, None, False, NotFound),
        (408, None, False, TransientError),
        (408, None, True, OutcomeUnknown),
        (409, None, False, TransientError),
        (409, None, True, OutcomeUnknown),
        (413, None, True, InvalidRequest),
        (422, None, False, InvalidRequest),
        (429, "rate_limit_exceeded", True, RateLimited),
        (500, None, False, TransientError),
        (502, None, True, OutcomeUnknown),
        (302, None, False, BadResponse),
    ],
)
def test_error_table(status, code, paid, error_type):
    error = error_for_status(status, message="m", code=code, request_id="req_1", retry_after=None, paid=paid)
    assert type(error) is error_type
    assert (error.status_code, error.code, error.request_id) == (status, code, "req_1")


@pytest.mark.parametrize(
    "code, quota",
    [
        ("rate_limit_exceeded", False),
        (None, False),
        ("insufficient_quota", True),
        ("organization_spend_limit_exceeded", True),
        ("project_spend_limit_exceeded", True),
    ],
)
def test_quota_429s_are_marked(code, quota):
    error = error_for_status(429, message="m", code=code, request_id=None, retry_after=2.0)
    assert isinstance(error, RateLimited) and error.quota is quota and error.retry_after == 2.0
