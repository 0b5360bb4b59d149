"""The test project with the app's media on S3 (django-storages), as a shop that outgrew one machine runs it.

CI points it at SeaweedFS's S3 gateway on loopback; the names are django-storages' own environment settings.
Run as ``pytest --ds=tests.s3.settings tests/s3``.
"""

import os

from tests.settings import *  # noqa: F403

S3_ENDPOINT = os.environ.get("AWS_S3_ENDPOINT_URL", "http://127.0.0.1:8333")
S3_BUCKET = os.environ.get("AWS_STORAGE_BUCKET_NAME", "sora-products-test")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "sora_products": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "endpoint_url": S3_ENDPOINT,
            "bucket_name": S3_BUCKET,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID", "sora-test"),
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY", "sora-test-secret"),
            "region_name": os.environ.get("AWS_S3_REGION_NAME", "us-east-1"),
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE", "path"),
            "querystring_auth": os.environ.get("AWS_QUERYSTRING_AUTH", "true").lower() != "false",
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    },
}
