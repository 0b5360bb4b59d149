"""The trust checks of one video in a shop admin's words: colour fidelity and Content Credentials."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from sora_products.models import ProductVideo
from sora_products.trust import provenance


@dataclass(frozen=True)
class CheckLine:
    """One line under the player: what a check found, coloured by whether it passed."""

    text: str
    tone: str  # "good", "bad" or "muted"
    swatches: tuple[str, ...] = ()


def fidelity_line(video: ProductVideo) -> CheckLine | None:
    """ "Colour within ΔE 0.6 of the photo", with the photo's and the video's colour side by side."""
    scores = video.fidelity or {}
    if not scores:
        return None
    if "skipped" in scores:
        return CheckLine(_("Colour not checked: %(why)s.") % {"why": scores["skipped"]}, "muted")
    if not all(key in scores for key in ("delta_e", "photo_colour", "video_colour")):
        return None  # scores written by another version: the page still opens
    within = scores["delta_e"] <= scores.get("max_delta_e", 3.0)
    values = {
        "delta": scores["delta_e"],
        "limit": scores.get("max_delta_e", 3.0),
        "share": round(scores.get("first_frame_match", 0) * 100),
    }
    if within:
        text = _(
            "Colour within ΔE %(delta).1f of the photo (limit %(limit).1f); %(share)d%% of the first frame matches."
        )
    else:
        text = _(
            "Colour ΔE %(delta).1f away from the photo (limit %(limit).1f); %(share)d%% of the first frame matches."
        )
    matches = scores.get("first_frame_match", 1) >= scores.get("min_first_frame_match", 0)
    return CheckLine(
        text % values, "good" if within and matches else "bad", (scores["photo_colour"], scores["video_colour"])
    )


def _credentials_text(found: dict) -> str:
    state = found.get("state", provenance.UNCHECKED)
    signer = found.get("signer") or _("an unnamed signer")
    if state == provenance.TRUSTED:
        return _("signed by %(signer)s, valid") % {"signer": signer}
    if state == provenance.UNTRUSTED:
        return _("signed by %(signer)s, untrusted (not among the trust anchors)") % {"signer": signer}
    if state == provenance.INVALID:
        return _("invalid: the manifest does not match the video")
    if state == provenance.NONE:
        return _("none")
    return _("not checked (install sora-products[provenance])")


def credentials_lines(video: ProductVideo) -> list[CheckLine]:
    """ "Content Credentials: signed by …, valid / untrusted / none", and the shop's own when it signs."""
    found = video.provenance or {}
    if not found:
        return []
    tones = {provenance.TRUSTED: "good", provenance.INVALID: "bad"}
    lines = [
        CheckLine(
            _("Content Credentials: %(what)s.") % {"what": _credentials_text(found)},
            tones.get(found.get("state"), "muted"),
        )
    ]
    shop = found.get("shop")
    if shop:
        if "error" in shop:
            lines.append(CheckLine(_("The shop's own credentials were not added: %(error)s.") % shop, "bad"))
        else:
            lines.append(
                CheckLine(
                    _("The shop's own credentials: %(what)s.") % {"what": _credentials_text(shop)},
                    tones.get(shop.get("state"), "muted"),
                )
            )
    return lines


def summary(video: ProductVideo) -> list[CheckLine]:
    """Every check line for the video's page, in the order they ran."""
    line = fidelity_line(video)
    return [*([line] if line else []), *credentials_lines(video)]
