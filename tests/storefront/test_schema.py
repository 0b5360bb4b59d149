"""The API's OpenAPI 3 schema: served, valid, committed as the code makes it, and true of real answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from sora_products.api.schema import as_yaml
from sora_products.specs import TryOnProfile
from tests.storefront.helpers import dress, ready_video

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/videos/api/schema/"
COMMITTED = Path(__file__).resolve().parents[2] / "sora_products" / "api" / "openapi.yaml"


def served_schema(client) -> dict[str, Any]:
    response = client.get(SCHEMA_URL, {"format": "json"})
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


def test_the_schema_is_served_to_anyone_as_valid_openapi_3_with_every_endpoint(client):
    schema = served_schema(client)

    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    operations = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert operations == {
        ("/videos/api/try-on/", "post"),
        ("/videos/api/videos/{id}/status/", "get"),
        ("/videos/api/videos/status/", "get"),
        ("/videos/api/products/{content_type}/{object_id}/videos/", "get"),
        ("/videos/api/estimate/", "post"),
        ("/videos/api/events/", "post"),
        ("/videos/api/generate/", "post"),
        ("/videos/api/spend/", "get"),
        ("/videos/api/videos/", "get"),
        ("/videos/api/videos/{id}/", "get"),
        *((f"/videos/api/videos/{{id}}/{action}/", "post") for action in ("approve", "reject", "retry", "cancel")),
        ("/videos/api/videos/{id}/remix/", "post"),
    }
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            refusals = {code: answer for code, answer in operation["responses"].items() if code.startswith("4")}
            assert refusals, f"{method} {path} documents no refusal"
            for answer in refusals.values():
                ref = answer["content"]["application/json"]["schema"]["$ref"]
                assert ref.rsplit("/", 1)[1] in {"Error", "Invalid"}, f"{method} {path}: {ref}"
    assert client.get(SCHEMA_URL).headers["Content-Type"].startswith("application/vnd.oai.openapi")


def test_the_committed_schema_is_the_one_the_code_makes():
    assert COMMITTED.read_text() == as_yaml(), (
        "sora_products/api/openapi.yaml is out of date: run `make schema` and commit the change."
    )


def as_json_schema(node: Any) -> Any:
    """OpenAPI 3.0's ``nullable`` spelled as JSON Schema, which jsonschema understands."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: as_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


def assert_answer_matches(schema: dict[str, Any], path: str, method: str, response) -> None:
    documented = schema["paths"][path][method]["responses"][str(response.status_code)]
    shape = documented["content"]["application/json"]["schema"]
    resolver = {"components": as_json_schema(schema["components"]), **as_json_schema(shape)}
    jsonschema.validate(response.json(), resolver)


def test_real_answers_match_the_documented_shapes(client, settings):
    settings.SORA_PRODUCTS = {**settings.SORA_PRODUCTS, "REQUIRE_APPROVAL": False}
    schema = served_schema(client)
    product = dress()
    ready_video(product, "worn", profile=TryOnProfile.from_choices(170, "M", "studio"))
    from sora_products.storefront import product_ref

    def ask(height: int, **extra):
        body = {"product": product_ref(product), "height_cm": height, "size": "M", "scene": "studio", **extra}
        return client.post("/videos/api/try-on/", json.dumps(body), content_type="application/json")

    accepted = ask(160)
    assert accepted.status_code == 202
    assert_answer_matches(schema, "/videos/api/try-on/", "post", accepted)
    assert_answer_matches(schema, "/videos/api/try-on/", "post", ask(170))  # 200, live
    invalid = ask(999)
    assert invalid.status_code == 400
    assert_answer_matches(schema, "/videos/api/try-on/", "post", invalid)

    status = client.get(accepted.json()["status_url"])
    assert_answer_matches(schema, "/videos/api/videos/{id}/status/", "get", status)
    missing = client.get(reverse("sora_products:api:video-status", kwargs={"pk": 10**9}))
    assert missing.status_code == 404
    assert_answer_matches(schema, "/videos/api/videos/{id}/status/", "get", missing)

    batch = client.get(reverse("sora_products:api:video-status-batch"), {"ids": f"{accepted.json()['id']},999999"})
    assert batch.json()["missing"] == [999999]
    assert_answer_matches(schema, "/videos/api/videos/status/", "get", batch)

    videos = client.get(reverse("sora_products:api:product-videos", args=["catalog.product", product.pk]))
    assert_answer_matches(schema, "/videos/api/products/{content_type}/{object_id}/videos/", "get", videos)
