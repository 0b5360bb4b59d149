"""Content Credentials (C2PA) of a stored MP4: read and validated against trust anchors, or added by the shop.

Needs the optional ``c2pa-python`` (``sora-products[provenance]``); without it every clip reads "unchecked".
Signing writes a new file around the same media boxes: the video stream is never decoded or re-encoded.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import asdict, dataclass, field
from typing import IO, Any

TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
MP4 = "video/mp4"
GENERATION_ASSERTION = "org.sora-products.generation"
"""The shop's own assertion: provider, model, product and the prompt's SHA-256 (never the prompt itself)."""
INGREDIENT_LABEL = "provider-clip"

# What a reader's validation state means to a shop admin.
NONE, TRUSTED, UNTRUSTED, INVALID, UNCHECKED = "none", "trusted", "untrusted", "invalid", "unchecked"
STATES = {"Trusted": TRUSTED, "Valid": UNTRUSTED, "Invalid": INVALID}


class SigningFailed(Exception):
    """The shop's certificate or key was refused, or the clip could not be signed."""


def available() -> bool:
    """True when c2pa-python is installed."""
    return importlib.util.find_spec("c2pa") is not None


@dataclass(frozen=True)
class Credentials:
    """What the clip's active manifest says, and whether its signature chains to a trust anchor."""

    state: str
    signer: str = ""
    claim_generator: str = ""
    digital_source_type: str = ""
    validation_state: str = ""
    failures: list[str] = field(default_factory=list)
    ingredients: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The findings as the JSON stored on the video."""
        return asdict(self)


def _context(trust_anchors: str) -> Any:
    """A reader context that trusts these CAs, or None for the library's defaults."""
    import c2pa

    if not trust_anchors:
        return None
    return c2pa.Context.from_dict({"trust": {"trust_anchors": trust_anchors}, "verify": {"verify_trust": True}})


def read_credentials(stream: IO[bytes], trust_anchors: str = "") -> Credentials:
    """Read and validate the manifest; ``trust_anchors`` is PEM text of the CAs the shop trusts."""
    if not available():
        return Credentials(UNCHECKED)
    import c2pa

    stream.seek(0)
    context = None
    try:
        context = _context(trust_anchors)
        with c2pa.Reader(MP4, stream, context=context) as reader:
            state = reader.get_validation_state() or ""
            report = json.loads(reader.json())
    except (c2pa.C2paError, ValueError) as exc:
        if "ManifestNotFound" in type(exc).__name__ or "no JUMBF" in str(exc):
            return Credentials(NONE)
        return Credentials(INVALID, failures=[str(exc)[:300]])
    finally:
        if context is not None:
            context.close()
    manifests = report.get("manifests") or {}
    active = manifests.get(report.get("active_manifest") or "", {})
    signature = active.get("signature_info") or {}
    generators = active.get("claim_generator_info") or [{}]
    failures = [
        status.get("code", "")
        for status in report.get("validation_status") or []
        if status.get("code") != "signingCredential.untrusted"
    ]
    return Credentials(
        state=STATES.get(state, INVALID),
        signer=signature.get("common_name") or signature.get("issuer") or "",
        claim_generator=generators[0].get("name", "") if generators else "",
        digital_source_type=_source_type(active),
        validation_state=state,
        failures=failures,
        ingredients=[ingredient.get("title", "") for ingredient in active.get("ingredients") or []],
    )


def _source_type(manifest: dict[str, Any]) -> str:
    for assertion in manifest.get("assertions") or []:
        if str(assertion.get("label", "")).startswith("c2pa.actions"):
            for action in (assertion.get("data") or {}).get("actions") or []:
                if action.get("digitalSourceType"):
                    return action["digitalSourceType"]
    return ""


def sign_copy(
    source: IO[bytes],
    target: IO[bytes],
    *,
    certificate_chain: bytes,
    private_key: bytes,
    algorithm: str,
    claim_generator: str,
    title: str,
    assertions: dict[str, Any],
) -> None:
    """Write ``source`` to ``target`` with the shop's manifest; the provider's clip, with the manifest it
    carries if any, becomes its parent ingredient."""
    import c2pa

    manifest = {
        "claim_generator_info": [{"name": claim_generator, "version": "1"}],
        "title": title,
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.opened",
                            "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
                            "parameters": {"ingredientIds": [INGREDIENT_LABEL]},
                        },
                        {"action": "c2pa.published", "softwareAgent": {"name": claim_generator}},
                    ]
                },
            },
            {"label": GENERATION_ASSERTION, "data": assertions},
        ],
    }
    try:
        signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(algorithm.encode(), certificate_chain, private_key, None))
    except c2pa.C2paError as exc:
        raise SigningFailed(str(exc)) from exc
    try:
        with c2pa.Builder(json.dumps(manifest)) as builder:
            source.seek(0)
            ingredient = {"title": "provider clip", "relationship": "parentOf", "label": INGREDIENT_LABEL}
            builder.add_ingredient(json.dumps(ingredient), MP4, source)
            source.seek(0)
            builder.sign(signer, MP4, source, target)
    except c2pa.C2paError as exc:
        raise SigningFailed(str(exc)) from exc
    finally:
        signer.close()
