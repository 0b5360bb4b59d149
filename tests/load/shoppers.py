"""A bounded crowd of simulated shoppers (asyncio + httpx): each browses, asks for try-ons and polls, then stops.

Every shopper comes from its own address behind the shop's one trusted proxy, which appends that address to
X-Forwarded-For; a spoofer sends a made-up X-Forwarded-For of its own, which the proxy keeps in front of it.
"""

from __future__ import annotations

import asyncio
import random
import re
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import httpx

PRODUCT_LINK = re.compile(r'href="(/products/[-\w]+/)"')
PRODUCT_REF = re.compile(r'name="product" value="([^"]+)"')
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HEIGHTS = range(140, 201, 5)
SIZES = ("XS", "S", "M", "L", "XL")
SCENES = ("studio", "street")
TRY_ON_URL = "/videos/api/try-on/"


class Dropped(Exception):
    """A request the server dropped (no answer): the shopper gives up its visit."""


@dataclass
class Record:
    endpoint: str
    status: int
    seconds: float
    code: str = ""
    detail: str = ""


@dataclass
class Crowd:
    """What every shopper saw, for the run's assertions and figures."""

    records: list[Record] = field(default_factory=list)
    accepted: dict[int, int] = field(default_factory=Counter)  # shopper -> asks that started a new video
    seconds: float = 0.0

    def by_endpoint(self) -> dict[str, list[Record]]:
        groups: dict[str, list[Record]] = defaultdict(list)
        for record in self.records:
            groups[record.endpoint].append(record)
        return groups

    def server_errors(self) -> list[Record]:
        return [record for record in self.records if record.status >= 500]

    def dropped(self) -> list[Record]:
        return [record for record in self.records if record.status == 0]

    def table(self) -> str:
        """Per endpoint: requests, statuses, p50 and p95 latency."""
        lines = [f"{'endpoint':10} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8}  statuses"]
        for endpoint, records in sorted(self.by_endpoint().items()):
            times = sorted(record.seconds * 1000 for record in records)
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            statuses = dict(sorted(Counter(record.status for record in records).items()))
            lines.append(f"{endpoint:10} {len(records):8} {statistics.median(times):8.0f} {p95:8.0f}  {statuses}")
        lines.append(f"{len(self.records)} requests in {self.seconds:.1f} s = {len(self.records) / self.seconds:.0f}/s")
        return "\n".join(lines)


def address(shopper: int) -> str:
    return f"10.{shopper // 250 % 250}.{shopper % 250}.7"


class Shopper:
    """One browser: its own cookies (session, CSRF) and its own address."""

    def __init__(self, number: int, base_url: str, crowd: Crowd) -> None:
        self.number, self.crowd = number, crowd
        self.rng = random.Random(number)
        self.client = httpx.AsyncClient(
            base_url=base_url,
            timeout=60,
            headers={"X-Forwarded-For": address(number), "User-Agent": "sora-products-load/1"},
        )

    async def send(self, endpoint: str, method: str, url: str, **kwargs) -> httpx.Response:
        started = time.monotonic()
        try:
            response = await self.client.request(method, url, **kwargs)
        except httpx.TransportError as exc:  # counted (the run asserts there are none), not a crashed run
            self.crowd.records.append(Record(endpoint, 0, time.monotonic() - started, "transport", repr(exc)))
            raise Dropped from exc
        record = Record(endpoint, response.status_code, time.monotonic() - started)
        if response.status_code >= 400 and response.headers.get("content-type", "").startswith("application/json"):
            body = response.json()
            record.code, record.detail = str(body.get("code", "")), str(body.get("detail", ""))
        self.crowd.records.append(record)
        return response

    async def browse(self, products: int = 2) -> list[tuple[str, str]]:
        """The listing, then a few product pages: (product ref, CSRF token) of those offering a try-on."""
        listing = await self.send("listing", "GET", "/")
        links = sorted(set(PRODUCT_LINK.findall(listing.text)))
        offered = []
        for link in self.rng.sample(links, min(products, len(links))):
            page = await self.send("product", "GET", link)
            ref, token = PRODUCT_REF.search(page.text), CSRF_TOKEN.search(page.text)
            if ref and token:
                offered.append((ref.group(1), token.group(1)))
        return offered

    async def ask(self, ref: str, token: str) -> httpx.Response:
        body = {
            "product": ref,
            "height_cm": self.rng.choice(HEIGHTS),
            "size": self.rng.choice(SIZES),
            "scene": self.rng.choice(SCENES),
        }
        return await self.send("ask", "POST", TRY_ON_URL, json=body, headers={"X-CSRFToken": token})

    async def visit(self, asks: int, polls: int) -> None:
        """Browse, ask ``asks`` times, then poll every video it is waiting for ``polls`` times."""
        try:
            offered = await self.browse() or await self.browse(products=6)
            status_urls = []
            for _ in range(asks if offered else 0):
                response = await self.ask(*self.rng.choice(offered))
                data = response.json() if response.status_code < 300 else {}
                if data.get("new_generation"):
                    self.crowd.accepted[self.number] += 1
                if data.get("status_url"):
                    status_urls.append(data["status_url"])
            for _ in range(polls):
                await asyncio.sleep(self.rng.uniform(0.2, 0.6))
                for url in status_urls:
                    await self.send("status", "GET", url)
        except Dropped:
            pass
        finally:
            await self.client.aclose()


async def run_crowd(base_url: str, shoppers: int, *, asks: int = 3, polls: int = 3) -> Crowd:
    """``shoppers`` shoppers at once, each visiting once; returns when the last one is done."""
    crowd = Crowd()
    started = time.monotonic()
    await asyncio.gather(*(Shopper(n, base_url, crowd).visit(asks, polls) for n in range(shoppers)))
    crowd.seconds = time.monotonic() - started
    return crowd


async def run_spoofer(base_url: str, asks: int, number: int = 100_000) -> Crowd:
    """One address sending ``asks`` asks, each from a fresh session behind a different made-up X-Forwarded-For."""
    crowd = Crowd()
    started = time.monotonic()
    for n in range(asks):
        shopper = Shopper(number, base_url, crowd)
        shopper.client.headers["X-Forwarded-For"] = f"192.0.2.{n % 250}, {address(number)}"
        try:
            offered = await shopper.browse(products=6)
            await shopper.ask(*offered[0])
        except Dropped:
            pass
        finally:
            await shopper.client.aclose()
    crowd.seconds = time.monotonic() - started
    return crowd
