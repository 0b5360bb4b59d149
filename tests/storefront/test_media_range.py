"""serve_media answers HTTP Range requests, so Safari and iOS can play and seek stored videos."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = bytes(range(256)) * 4 + b"tail"  # 1028 bytes
SIZE = len(DATA)


@pytest.fixture
def media_client(client, settings):
    settings.ROOT_URLCONF = "tests.storefront.urls"
    folder = Path(settings.MEDIA_ROOT) / "sora_products" / "videos"
    folder.mkdir(parents=True)
    (folder / "clip.mp4").write_bytes(DATA)
    return client


URL = "/shop-media/sora_products/videos/clip.mp4"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_no_range_is_the_whole_file_and_advertises_ranges(media_client):
    response = media_client.get(URL)

    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert int(response["Content-Length"]) == SIZE
    assert body(response) == DATA


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-1", 0, 1),  # Safari's first probe
        ("bytes=0-99", 0, 99),
        ("bytes=100-299", 100, 299),
        ("bytes=-100", SIZE - 100, SIZE - 1),
        ("bytes=1000-", 1000, SIZE - 1),
        ("bytes=1000-999999", 1000, SIZE - 1),
        ("bytes=-5000", 0, SIZE - 1),
    ],
    ids=["first-two", "first-hundred", "middle", "suffix", "open-ended", "end-past-size", "suffix-past-size"],
)
def test_ranges_return_exactly_the_asked_bytes(media_client, header, start, end):
    response = media_client.get(URL, HTTP_RANGE=header)

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{SIZE}"
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert body(response) == DATA[start : end + 1]


@pytest.mark.parametrize("header", ["bytes=5000-", "bytes=1028-1030", "bytes=300-200"])
def test_unsatisfiable_range_is_416(media_client, header):
    response = media_client.get(URL, HTTP_RANGE=header)

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"


def test_a_range_it_does_not_understand_gets_the_whole_file(media_client):
    response = media_client.get(URL, HTTP_RANGE="bytes=0-1,5-9")

    assert response.status_code == 200 and body(response) == DATA


def test_paths_outside_media_root_are_not_found(media_client):
    assert media_client.get("/shop-media/../../etc/passwd").status_code == 404
    assert media_client.get("/shop-media/sora_products/videos/missing.mp4").status_code == 404
