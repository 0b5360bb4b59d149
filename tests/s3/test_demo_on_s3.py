"""The demo shop on S3: AWS_S3_ENDPOINT_URL switches every file to the store, django-storages' names throughout."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx
import pytest
from django.core.management import call_command

from sora_products.models import ProductVideo, VideoStatus
from tests.integration.helpers import drive
from tests.stack import ROOT

SHOW_STORAGE = (
    "import json, demo_shop.settings as s; "
    "print(json.dumps({'storages': s.STORAGES if hasattr(s, 'STORAGES') else None, "
    "'aws': {k: getattr(s, k) for k in dir(s) if k.startswith('AWS_')}}))"
)


def demo_settings(**env: str) -> dict:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    output = subprocess.run(
        [sys.executable, "-c", SHOW_STORAGE], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output)


def test_the_demo_keeps_files_on_disk_without_an_endpoint_and_moves_them_all_to_s3_with_one():
    assert demo_settings()["storages"] is None
    configured = demo_settings(
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9",
        AWS_STORAGE_BUCKET_NAME="shop-media",
        AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY="not-a-secret",
        AWS_S3_ADDRESSING_STYLE="path",
        AWS_QUERYSTRING_AUTH="false",
    )
    backends = {alias: options["BACKEND"] for alias, options in configured["storages"].items()}
    assert backends["default"] == backends["sora_products"] == "storages.backends.s3.S3Storage"
    aws = configured["aws"]
    assert aws["AWS_STORAGE_BUCKET_NAME"] == "shop-media" and aws["AWS_S3_ADDRESSING_STYLE"] == "path"
    assert aws["AWS_QUERYSTRING_AUTH"] is False and aws["AWS_S3_FILE_OVERWRITE"] is False


@pytest.mark.django_db(transaction=True)
def test_the_demo_catalogue_photos_and_their_videos_live_in_the_bucket(provider, bucket, settings):
    client, name = bucket
    settings.STORAGES = {**settings.STORAGES, "default": settings.STORAGES["sora_products"]}
    call_command("seed_demo", verbosity=0)
    from demo_shop.catalog.models import Product

    photos = {product.image.name for product in Product.objects.exclude(image="")}
    keys = {item["Key"] for page in client.get_paginator("list_objects_v2").paginate(Bucket=name)
            for item in page.get("Contents", [])}  # fmt: skip
    assert photos and photos <= keys

    product = Product.objects.exclude(image="").first()
    photo = httpx.get(product.image.url)
    stored = client.get_object(Bucket=name, Key=product.image.name)["Body"].read()
    assert photo.status_code == 200 and photo.content == stored

    video = drive(ProductVideo.objects.for_product(product).get().pk)
    assert video.status == VideoStatus.READY, video.error_message
    assert {video.reference_image.name, video.video_file.name, video.poster.name} <= {
        item["Key"] for item in client.list_objects_v2(Bucket=name, Prefix="sora_products/")["Contents"]
    }
