"""Schemathesis against the live test server, from the served schema: no 5xx, every 4xx a sentence, answers as
documented, and nothing changes for a caller without the permission."""

from __future__ import annotations

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from sora_products.models import ProductVideo, Spend
from tests.factories import make_product
from tests.videos import ready_video

EXAMPLES = 40
SENT = {"requests": 0, "statuses": {}, "no negative case": [], "failures": 0, "runs": 0}


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    print(
        f"\nschemathesis: {SENT['requests']} requests, statuses {dict(sorted(SENT['statuses'].items()))}; "
        f"operations with no negative case: {SENT['no negative case']}"
    )
    if SENT["runs"] == 3:  # all three fuzz runs took part (not a -k selection)
        assert SENT["requests"] >= 300, "fewer than 300 generated requests were sent"


@pytest.fixture
def shop(settings, transactional_db):
    """The API with relaxed throttles, both authentications, a product with a live video, and a superuser token."""
    options = settings.SORA_PRODUCTS["TRY_ON"]
    relaxed = {"ip": "100000/hour", "session": "100000/hour", "status": "100000/hour"}
    settings.SORA_PRODUCTS = {
        **settings.SORA_PRODUCTS,
        "API": {"AUTHENTICATION": ["session", "token"]},
        "TRY_ON": {**options, "THROTTLE_RATES": relaxed},
    }
    ready_video(make_product(name="Fuzzed shirt"))
    user = get_user_model().objects.create_user("fuzzer", is_staff=True, is_superuser=True)
    return Token.objects.create(user=user).key


def fuzz(live_server_url: str, token: str, mode: str) -> None:
    """Every operation of the served schema, EXAMPLES generated cases each, in ``mode`` (positive or negative)."""
    from schemathesis import GenerationMode

    SENT["runs"] += 1
    api = schemathesis.openapi.from_url(f"{live_server_url}/videos/api/schema/?format=json")
    generation = GenerationMode.POSITIVE if mode == "positive" else GenerationMode.NEGATIVE
    for result in api.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(generation_mode=generation))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case) -> None:
            response = case.call(headers={"Authorization": f"Token {token}"})
            SENT["requests"] += 1
            SENT["statuses"][response.status_code] = SENT["statuses"].get(response.status_code, 0) + 1
            try:
                case.validate_response(response, checks=CHECKS)
                assert_sentence(response)
            except Exception:
                SENT["failures"] += 1
                raise

        try:
            run()
        except Unsatisfiable:  # an operation whose every input is valid has no negative case to send
            assert mode == "negative", operation.label
            SENT["no negative case"].append(operation.label)


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def assert_sentence(response) -> None:
    if 400 <= response.status_code < 500:
        body = response.json()
        assert isinstance(body.get("detail"), str) and body["detail"].rstrip().endswith((".", "?", "!")), body
        assert body.get("code"), body


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_generated_requests_get_no_5xx_and_every_refusal_says_why(live_server, shop, mode):
    fuzz(live_server.url, shop, mode)


def snapshot() -> tuple:
    videos = ProductVideo.objects.order_by("pk").values_list("pk", "status", "review_state", "remixed_from")
    return list(videos), list(Spend.objects.order_by("pk").values_list("pk", "kind", "amount"))


def staff_calls(video: ProductVideo) -> list[tuple[str, str, dict | None]]:
    """Every staff operation, aimed at a real video with a valid body: what the generated cases may miss."""
    product = f"catalog.product:{video.object_id}"
    at = f"/videos/api/videos/{video.pk}"
    return [
        ("GET", "/videos/api/videos/", None),
        ("GET", f"{at}/", None),
        ("POST", f"{at}/approve/", {}),
        ("POST", f"{at}/reject/", {}),
        ("POST", f"{at}/retry/", {}),
        ("POST", f"{at}/cancel/", {}),
        ("POST", f"{at}/remix/", {"change": "make the shirt navy blue"}),
        ("POST", "/videos/api/generate/", {"products": [product], "preset": "showcase_wide", "confirm": True}),
        ("POST", "/videos/api/estimate/", {"products": [product], "presets": ["showcase_wide"]}),
        ("GET", "/videos/api/spend/", None),
    ]


def test_staff_without_permissions_change_nothing_however_they_ask(live_server, shop):
    import httpx

    video = ProductVideo.objects.get()
    ProductVideo.objects.filter(pk=video.pk).update(remote_id="video_fuzzed")  # remixable, if one were allowed
    nobody = get_user_model().objects.create_user("nobody", is_staff=True)
    token = Token.objects.create(user=nobody).key
    before = snapshot()
    fuzz(live_server.url, token, "positive")
    assert snapshot() == before

    # Session comes first in AUTHENTICATION, so DRF answers 403 (not 401) to a missing or bad token too.
    for headers in ({"Authorization": f"Token {token}"}, {}, {"Authorization": "Token not-a-token"}):
        with httpx.Client(base_url=live_server.url, headers=headers) as client:
            for method, path, body in staff_calls(video):
                answer = client.request(method, path, json=body)
                assert answer.status_code == 403, (method, path, headers, answer.text)
                assert_sentence(answer)
    assert snapshot() == before
    with httpx.Client(base_url=live_server.url, headers={"Authorization": f"Token {shop}"}) as client:
        allowed = [client.request(method, path, json=body).status_code for method, path, body in staff_calls(video)]
    assert allowed == [200, 200, 200, 200, 409, 409, 201, 202, 200, 200]  # the same calls were valid ones


def test_at_the_default_rates_a_runaway_poller_is_answered_429_with_a_sentence(live_server, transactional_db):
    import httpx
    from django.core.cache import cache

    cache.clear()  # the throttle counts of the runs above
    url = f"{live_server.url}/videos/api/videos/status/"
    with httpx.Client() as client:  # no cookies kept: every poll counts against this network, 600 an hour
        answers = [client.get(url, params={"ids": "1"}) for _ in range(601)]
    assert [answer.status_code for answer in answers[:600]] == [200] * 600
    refused = answers[600]
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert refused.json()["detail"].startswith("You have asked for a lot of videos in a short time.")
