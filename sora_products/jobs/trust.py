"""The checks a stored video passes before it can go live: product fidelity and Content Credentials.

Both read the downloaded file before it is saved. Neither can lose a paid video: a check that cannot run
is written down and the video goes on as it would have without it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from PIL import Image

from sora_products.catalog import get_adapter
from sora_products.conf import app_settings
from sora_products.models import ProductVideo
from sora_products.trust import provenance
from sora_products.trust.fidelity import ClipUnreadable, FidelityScores, check_clip

logger = logging.getLogger(__name__)

FIX_PROMPT = "Keep the {product} exactly {colour} as in the photo, the same colour in every frame."


@dataclass
class Inspection:
    """What the checks found, what to store instead of the download (when the shop signed it), and why to hold."""

    fidelity: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)
    hold_reason: str = ""
    fix_prompt: str = ""
    signed: IO[bytes] | None = None


def inspect_download(video: ProductVideo, handle: IO[bytes]) -> Inspection:
    """Run the fidelity check and read (and, when set up, add) Content Credentials.

    Whatever goes wrong inside a check (a bad setting, a broken reference, a library's own error) is
    written down on the video and the video is stored as it would have been without the check."""
    inspection = Inspection()
    try:
        _check_fidelity(video, handle, inspection)
    except Exception:  # a check must never cost the shop a paid video
        logger.exception("The fidelity check of video %s failed", video.pk)
        inspection.fidelity, inspection.hold_reason, inspection.fix_prompt = {"skipped": "the check failed"}, "", ""
    try:
        _check_provenance(video, handle, inspection)
    except Exception:
        logger.exception("Reading the Content Credentials of video %s failed", video.pk)
        if inspection.signed is not None:
            inspection.signed.close()
            inspection.signed = None
        inspection.provenance = {"state": provenance.UNCHECKED, "failures": ["the check failed"]}
    handle.seek(0)
    return inspection


def _reference_of(video: ProductVideo) -> Image.Image | None:
    for row in (video, video.remixed_from):
        if row is not None and row.reference_image:
            try:
                with row.reference_image.open("rb") as stored:
                    image = Image.open(stored)
                    image.load()
                return image
            except (OSError, ValueError, Image.DecompressionBombError) as exc:
                logger.info("The reference of video %s could not be read for the fidelity check: %s", row.pk, exc)
    return None


def _check_fidelity(video: ProductVideo, handle: IO[bytes], inspection: Inspection) -> None:
    options = app_settings.FIDELITY
    if not options.get("CHECK", True):
        return
    reference = _reference_of(video)
    if reference is None:
        inspection.fidelity = {"skipped": "no reference image"}
        return
    handle.seek(0)
    try:
        scores = check_clip(handle, reference, frames=int(options.get("FRAMES", 6)))
    except ClipUnreadable as exc:
        inspection.fidelity = {"skipped": f"unreadable clip: {exc}"[:300]}
        return
    limit = float(options.get("MAX_DELTA_E", 3.0))
    min_match = float(options.get("MIN_FIRST_FRAME_MATCH", 0.5))
    inspection.fidelity = {**scores.as_dict(), "max_delta_e": limit, "min_first_frame_match": min_match}
    reasons = []
    if scores.delta_e > limit:
        reasons.append(
            _(
                "The product's colour drifted from the photo: %(photo)s in the photo, %(video)s in the video "
                "(ΔE %(delta).1f; the limit is %(limit).1f)."
            )
            % {
                "photo": scores.photo_colour_name,
                "video": scores.video_colour_name,
                "delta": scores.delta_e,
                "limit": limit,
            }
        )
    if scores.first_frame_match < min_match:
        reasons.append(
            _("Only %(share)d%% of the product in the first frame still matches the photo (the limit is %(limit)d%%).")
            % {"share": round(scores.first_frame_match * 100), "limit": round(min_match * 100)}
        )
    if reasons:
        inspection.hold_reason = " ".join(
            [*reasons, _("It is held until a person shows it anyway or remixes it to fix the colour.")]
        )
        inspection.fix_prompt = fix_prompt(video, scores)


def fix_prompt(video: ProductVideo, scores: FidelityScores) -> str:
    """The remix that asks for the photo's colour back, named the way a video model understands."""
    name = "product"
    product = video.product
    if product is not None:
        try:
            name = get_adapter(product).get_title(product) or name
        except Exception:  # an unregistered or broken adapter only costs the product's name in the prompt
            logger.info("No title for the fix prompt of video %s", video.pk, exc_info=True)
    return FIX_PROMPT.format(product=name, colour=scores.photo_colour_name)


def trust_anchors() -> str:
    """The PEM text of the trusted CAs: the setting itself, or the file it names."""
    value = str(app_settings.PROVENANCE.get("TRUST_ANCHORS") or "").strip()
    if value and "-----BEGIN" not in value and os.path.isfile(value):
        with open(value, encoding="ascii") as handle:
            return handle.read()
    return value


def _pem_from_env(name: str) -> bytes | None:
    value = os.environ.get(name, "").strip() if name else ""
    if not value:
        return None
    if "-----BEGIN" not in value and os.path.isfile(value):
        with open(value, "rb") as handle:
            return handle.read()
    return value.encode()


def _check_provenance(video: ProductVideo, handle: IO[bytes], inspection: Inspection) -> None:
    anchors = trust_anchors()
    found = provenance.read_credentials(handle, anchors)
    inspection.provenance = found.as_dict()
    options = app_settings.PROVENANCE
    if not options.get("SIGN") or not provenance.available():
        return
    chain = _pem_from_env(str(options.get("CERTIFICATE_ENV") or ""))
    key = _pem_from_env(str(options.get("KEY_ENV") or ""))
    if chain is None or key is None:
        inspection.provenance["shop"] = {"error": "no certificate or key in the environment"}
        return
    signed = tempfile.TemporaryFile()
    try:
        provenance.sign_copy(
            handle,
            signed,
            certificate_chain=chain,
            private_key=key,
            algorithm=str(options.get("ALGORITHM", "es256")),
            claim_generator=str(options.get("CLAIM_GENERATOR") or "sora-products"),
            title=f"{video.pk}.mp4",
            assertions={
                "provider": video.provider,
                "model": video.model,
                "product": f"{video.content_type.app_label}.{video.content_type.model}:{video.object_id}",
                "prompt_sha256": _prompt_hash(video),
            },
        )
    except Exception as exc:  # SigningFailed, or the temporary file could not be written
        signed.close()
        logger.warning("Video %s was stored without the shop's Content Credentials: %s", video.pk, exc)
        inspection.provenance["shop"] = {"error": str(exc)[:300]}
        return
    inspection.signed = signed
    inspection.provenance["shop"] = provenance.read_credentials(signed, anchors).as_dict()
    signed.seek(0)


def _prompt_hash(video: ProductVideo) -> str:
    return hashlib.sha256(video.prompt.encode("utf-8")).hexdigest()
