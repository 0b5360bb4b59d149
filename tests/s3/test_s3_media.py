"""Media on a real object store: references, videos and posters land in the bucket and are served from it."""

from __future__ import annotations

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
