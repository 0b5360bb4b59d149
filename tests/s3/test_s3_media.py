"""Media on a real object store: references, videos and posters land in the bucket and are served from it."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest

from sora_products.models import ProductVideo, VideoStatus
from tests.factories import make_product
from tests.integration.helpers import drive

pytestmark = pytest.mark.django_db


def test_a_video_lands_in_the_bucket_and_its_url_answers_a_range_request(provider, bucket):
    client, name = bucket
    video = drive(ProductVideo.objects.for_product(make_product()).get().pk)
    assert video.status == VideoStatus.READY, video.error_message
    keys = {item["Key"] for item in client.list_objects_v2(Bucket=name, Prefix="sora_products/")["Contents"]}
    assert {video.video_file.name, video.poster.name, video.reference_image.name} <= keys
    stored = client.get_object(Bucket=name, Key=video.video_file.name)["Body"].read()
    assert len(stored) == video.video_bytes and stored[4:8] == b"ftyp"

    url = video.video_file.url
    assert url.startswith(bucket_url(video)) and "X-Amz-Signature=" in url  # presigned: the bucket stays private
    partial = httpx.get(url, headers={"Range": "bytes=0-99"})
    assert partial.status_code == 206 and partial.content == stored[:100]
    assert partial.headers["content-range"] == f"bytes 0-99/{len(stored)}"


def test_names_are_unique_so_a_new_video_never_overwrites_a_served_one(provider, bucket):
    first = drive(ProductVideo.objects.for_product(make_product()).get().pk)
    second = drive(ProductVideo.objects.for_product(make_product()).get().pk)
    names = {first.video_file.name, second.video_file.name, first.poster.name, second.poster.name}
    assert len(names) == 4


def bucket_url(video: ProductVideo) -> str:
    from django.conf import settings

    options = settings.STORAGES["sora_products"]["OPTIONS"]
    return f"{options['endpoint_url']}/{options['bucket_name']}/"


class StoreOutage:
    """Points the app's S3 storage at a port nobody listens on (connections are refused), and back."""

    def __init__(self) -> None:
        self.storage = ProductVideo._meta.get_field("video_file").storage
        self.endpoint = self.storage.endpoint_url
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.closed = f"http://127.0.0.1:{probe.getsockname()[1]}"

    def _point_at(self, endpoint: str) -> None:
        self.storage.endpoint_url = endpoint
        self.storage._connections, self.storage._bucket = threading.local(), None

    def begin(self) -> None:
        self._point_at(self.closed)

    def end(self) -> None:
        self._point_at(self.endpoint)


def process_until(pk: int, done, timeout: float = 60) -> ProductVideo:
    from sora_products import jobs

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs.process(pk)
        video = ProductVideo.objects.get(pk=pk)
        if done(video):
            return video
        time.sleep(0.2)
    raise AssertionError(f"video {pk} is still {video.status}: {video.error_message}")


@pytest.fixture
def outage():
    outage = StoreOutage()
    yield outage
    outage.end()


def test_a_store_down_before_the_create_holds_the_video_unsent(provider, bucket, outage):
    pk = ProductVideo.objects.for_product(make_product()).get().pk
    outage.begin()
    video = process_until(pk, lambda v: "did not take the reference image" in v.error_message)
    assert video.status == VideoStatus.REQUESTED and provider.stats()["creates"] == 0
    outage.end()
    assert drive(pk).status == VideoStatus.READY and provider.stats()["creates"] == 1


def test_a_store_down_while_the_video_is_saved_is_waited_for_and_it_is_paid_once(provider, bucket, outage):
    client, name = bucket
    pk = ProductVideo.objects.for_product(make_product()).get().pk
    process_until(pk, lambda v: bool(v.remote_id))  # created at the provider, with the store up
    outage.begin()
    video = process_until(pk, lambda v: "did not take the video" in v.error_message)
    assert video.status == VideoStatus.STORING and video.next_check_at is not None and not video.video_file
    outage.end()
    video = drive(pk)
    assert video.status == VideoStatus.READY and video.error_message == ""
    assert provider.stats()["creates"] == 1  # downloaded again, never made (or paid for) twice
    assert client.head_object(Bucket=name, Key=video.video_file.name)["ContentLength"] == video.video_bytes
