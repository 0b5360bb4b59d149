"""Two hundred visitors reporting at once (over 16 connections) to the live server: each counted once, none lost."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from django.urls import reverse

from sora_products.experiments.assignment import VISITOR_COOKIE, arm_of, token_for
from sora_products.experiments.models import Exposure
from tests.experiments.helpers import BROWSER, photo_vs_video, visitor

pytestmark = pytest.mark.django_db(transaction=True)

VISITORS, CARDS, CONNECTIONS = 200, 12, 16


async def crowd(url: str, experiment) -> list[int]:
    """Each visitor: one report for a listing of CARDS marks (impression and play), then one with sound on."""

    async def one(client: httpx.AsyncClient, n: int) -> list[int]:
        who = visitor(n)
        token = token_for(experiment.pk, who, arm_of(experiment.pk, who, 0.5))
        first = {"items": [{"token": token, "events": ["impression", "play"]}] * CARDS}
        second = {"items": [{"token": token, "events": ["sound_on"]}]}
        statuses = []
        for body in (first, second):
            answer = await client.post(url, json=body, headers={"Cookie": f"{VISITOR_COOKIE}={who}"})
            statuses.append(answer.status_code)
        return statuses

    limits = httpx.Limits(max_connections=CONNECTIONS)  # the test server's listen backlog is small
    async with httpx.AsyncClient(headers={"User-Agent": BROWSER}, limits=limits, timeout=60) as client:
        results = await asyncio.gather(*(one(client, n) for n in range(VISITORS)))
    return [status for statuses in results for status in statuses]


def test_two_hundred_concurrent_visitors_are_each_counted_once(live_server, settings):
    options = settings.SORA_PRODUCTS.get("EXPERIMENTS", {})
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "EXPERIMENTS": {**options, "NEW_VISITORS_PER_HOUR": 1000}}
    experiment = photo_vs_video()
    statuses = asyncio.run(crowd(live_server.url + reverse("sora_products:api:events"), experiment))
    assert statuses == [202] * (2 * VISITORS)
    rows = Exposure.objects.filter(experiment=experiment)
    assert rows.count() == VISITORS
    assert rows.filter(played=True, sound_on=True).count() == VISITORS
    treated = rows.filter(arm="treatment").count()
    assert 70 < treated < 130  # about half, as the hash splits them
