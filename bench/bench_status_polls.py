"""Polling 200 videos: 200 single status polls vs one batch poll, and the batch again with an unchanged ETag (304).

Side by side in one run on SQLite, through Django's test client (no network): requests, SQL queries, time and
bytes. A front end following 200 videos polls once instead of 200 times; with its ETag unchanged, the answer is
an empty 304 (the server still builds the states to compare them, so queries stay the same).
"""

from __future__ import annotations

import time

from _django import setup

VIDEOS = 200


def main() -> None:
    setup("status-polls")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from sora_products.specs import TryOnProfile
    from tests.factories import make_product
    from tests.videos import ready_video

    heights, sizes = range(140, 201, 5), ["XS", "S", "M", "L", "XL"]
    ids = []
    for n in range(VIDEOS):
        profile = TryOnProfile.from_choices(heights[n % len(heights)], sizes[n // 13 % 5], "studio")
        ids.append(ready_video(make_product(name=f"Polled {n}", category="dresses"), "worn", profile=profile).pk)
    client = Client()
    client.get(reverse("sora_products:api:video-status", kwargs={"pk": ids[0]}))  # warm: session, imports

    def measure(label: str, requests: list[tuple[str, dict, dict]]) -> tuple[int, float]:
        sent = 0
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            for url, params, headers in requests:
                sent += len(client.get(url, params, headers=headers).content)
            elapsed = time.perf_counter() - started
        print(f"{label:38} {len(requests):4} requests {len(queries):5} queries {elapsed * 1000:7.0f} ms "
              f"{sent / 1024:7.0f} KiB")
        return len(queries), elapsed

    singles = [(reverse("sora_products:api:video-status", kwargs={"pk": pk}), {}, {}) for pk in ids]
    batch_url, batch = reverse("sora_products:api:video-status-batch"), {"ids": ",".join(map(str, ids))}
    _q1, single_time = measure(f"{VIDEOS} single polls", singles)
    _q2, batch_time = measure(f"one batch poll of {VIDEOS}", [(batch_url, batch, {})])
    etag = client.get(batch_url, batch)["ETag"]
    _q3, etag_time = measure("the batch again, ETag unchanged (304)", [(batch_url, batch, {"If-None-Match": etag})])
    print(f"one batch / {VIDEOS} singles: {batch_time / single_time:.2f}x the time; "
          f"304 / 200 batch: {etag_time / batch_time:.2f}x")


if __name__ == "__main__":
    main()
