"""The bucket the S3 tests write to: made once, emptied afterwards."""

from __future__ import annotations

import os

import pytest
from django.conf import settings


def _client():
    import boto3

    options = settings.STORAGES["sora_products"]["OPTIONS"]
    return boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
        region_name=options["region_name"],
    )


@pytest.fixture(scope="session")
def bucket():
    """The test bucket on the object store; skipped (or failed, in CI) when no store answers."""
    import botocore.exceptions

    client = _client()
    name = settings.STORAGES["sora_products"]["OPTIONS"]["bucket_name"]
    try:
        client.create_bucket(Bucket=name)
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    except (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ClientError) as exc:
        if os.environ.get("SORA_REQUIRE_SERVICES") == "1":
            pytest.fail(f"SORA_REQUIRE_SERVICES=1 but the S3 store is unreachable: {exc}", pytrace=False)
        pytest.skip(f"no S3 store at {settings.STORAGES['sora_products']['OPTIONS']['endpoint_url']}: {exc}")
    yield client, name
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=name, Key=item["Key"])
