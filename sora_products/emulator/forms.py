"""Request bodies as the provider reads them: multipart (with bracketed keys), JSON, or url-encoded."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from .errors import ApiError
from .protocol import Request

JSON_ERROR = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP "
    "library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you "
    "have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)"
)
_KEY_PART = re.compile(r"\[([^\]]*)\]")


def parse_body(request: Request) -> dict[str, Any]:
    """Decode the body into nested dicts; file parts become bytes."""
    if not request.body.strip():
        return {}
    kind = request.content_type
    if kind == "multipart/form-data":
        boundary = _boundary(request.headers.get("content-type", ""))
        return nest(parse_multipart(request.body, boundary))
    if kind == "application/x-www-form-urlencoded":
        return nest(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
    try:
        data = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiError(400, JSON_ERROR) from None
    if not isinstance(data, dict):
        raise ApiError(400, JSON_ERROR)
    return data


def _boundary(content_type: str) -> bytes:
    """The multipart boundary parameter, unquoted."""
    for param in content_type.split(";")[1:]:
        name, _, value = param.strip().partition("=")
        if name.lower() == "boundary" and value:
            return value.strip('"').encode("latin-1")
    raise ApiError(400, "Invalid multipart body: the Content-Type header has no boundary.")


def parse_multipart(body: bytes, boundary: bytes) -> list[tuple[str, Any]]:
    """Split a multipart/form-data body into (name, value) pairs; parts with a filename stay bytes."""
    delimiter = b"--" + boundary
    pairs: list[tuple[str, Any]] = []
    chunks = body.split(delimiter)
    if len(chunks) < 3:
        raise ApiError(400, "Invalid multipart body: no parts found for the declared boundary.")
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk[2:] if chunk.startswith(b"\r\n") else chunk.lstrip(b"\n")
        head, sep, payload = chunk.partition(b"\r\n\r\n")
        if not sep:
            head, sep, payload = chunk.partition(b"\n\n")
        if payload.endswith(b"\r\n"):
            payload = payload[:-2]
        elif payload.endswith(b"\n"):
            payload = payload[:-1]
        disposition = _part_disposition(head.decode("utf-8", "replace"))
        name = disposition.get("name")
        if name is None:
            continue
        if "filename" in disposition:
            pairs.append((name, payload))
        else:
            pairs.append((name, payload.decode("utf-8", "replace")))
    return pairs


def _part_disposition(head: str) -> dict[str, str]:
    """Parameters of a part's Content-Disposition header (name, filename)."""
    for line in head.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() != "content-disposition":
            continue
        params: dict[str, str] = {}
        for match in re.finditer(r';\s*([\w*]+)="((?:[^"\\]|\\.)*)"|;\s*([\w*]+)=([^;]*)', value):
            if match.group(1):
                params[match.group(1).lower()] = match.group(2).replace('\\"', '"')
            else:
                params[match.group(3).lower()] = match.group(4).strip()
        return params
    return {}


def nest(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Turn bracketed keys into structure: a[b]=1 -> {a: {b: 1}}, c[][id]=x -> {c: [{id: x}]}."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        head = key.split("[", 1)[0]
        parts = [head] + _KEY_PART.findall(key[len(head) :])
        _assign(result, parts, value)
    return result


def _assign(container: dict[str, Any], parts: list[str], value: Any) -> None:
    """Place one value along a bracket path, starting a new list item when a key repeats."""
    node: Any = container
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        following = None if last else parts[index + 1]
        if isinstance(node, list):
            # part == "": append; the next key decides whether to reuse the last dict item.
            if last:
                node.append(value)
                return
            if not node or not isinstance(node[-1], dict) or (following in node[-1] and index + 2 == len(parts)):
                node.append({})
            node = node[-1]
            continue
        if last:
            node[part] = value
            return
        if part not in node or not isinstance(node[part], (dict, list)):
            node[part] = [] if following == "" else {}
        node = node[part]
