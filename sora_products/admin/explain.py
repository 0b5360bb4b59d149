"""A failed or stuck video in plain words: what happened, and what a person can do about it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sora_products.conf import app_settings
from sora_products.models import ProductVideo, ReviewState, VideoStatus
from sora_products.providers import MODERATION_CODES


@dataclass(frozen=True)
class Explanation:
    headline: str
    detail: str
    advice: str
    tone: str  # "error", "warning" or "info": how the box is coloured


def is_refusal(code: str) -> bool:
    """A provider's moderation said no; asking again with the same inputs will fail again."""
    return code in MODERATION_CODES or "moderation" in code


def _headline_and_advice(video: ProductVideo) -> tuple[str, str]:
    code = video.error_code or ""
    if is_refusal(code):
        return (
            _("The provider refused to make this video."),
            _("Use a photo without faces, people or logos, or change the product text, then retry."),
        )
    if code.startswith("budget_"):
        return (
            _("The video is waiting for budget."),
            _("It starts by itself when the budget allows; raise the budget in SORA_PRODUCTS to start it sooner."),
        )
    if code in {"no_photo", "product_missing"} or code.startswith("image_"):
        return (
            _("The product photo cannot be used."),
            _("Fix the product's photo and save the product; a new video is asked for then."),
        )
    if code == "expired":
        return (
            _("The finished video expired at the provider before it was saved."),
            _("Retry the video; it is made again and paid again."),
        )
    if code in {"stuck", "not_found", "too_many_attempts"}:
        return (_("The provider did not finish the video."), _("Retry the video."))
    if code in {"insufficient_quota", "organization_spend_limit_exceeded", "project_spend_limit_exceeded"}:
        return (
            _("The provider account is out of credit."),
            _("Add credit or raise the limit at the provider; the video starts again by itself."),
        )
    return (_("The video could not be made."), _("Retry the video; if it fails again, check the provider settings."))


def explain(video: ProductVideo) -> Explanation | None:
    """Why a video has no file yet, when that needs a person's attention; None when all is well."""
    if video.status == VideoStatus.NEEDS_REVIEW:
        return Explanation(
            headline=str(_("The app could not tell whether the provider made this video.")),
            detail=video.error_message,
            advice=str(_("Check the provider's dashboard; retry only if no video was made there.")),
            tone="warning",
        )
    if video.status == VideoStatus.CANCELED:
        return Explanation(str(_("This video was canceled.")), "", str(_("Retry it to ask for it again.")), "info")
    if video.status == VideoStatus.HELD:
        return Explanation(
            str(_("Held for review: the product in the video looks different from its photo.")),
            video.hold_reason,
            str(_("Remix it with the suggested change to fix it, or approve it to show it anyway.")),
            "warning",
        )
    if video.is_active and video.status != VideoStatus.BLOCKED:
        if not video.error_message:
            return None
        return Explanation(
            str(_("The provider had a problem; the app keeps trying.")),
            video.error_message,
            str(_("Nothing to do for now.")),
            "info",
        )
    if video.status in (VideoStatus.FAILED, VideoStatus.BLOCKED):
        headline, advice = _headline_and_advice(video)
        tone = "error" if video.status == VideoStatus.FAILED else "warning"
        return Explanation(str(headline), video.error_message, str(advice), tone)
    return None


def storefront_note(video: ProductVideo, *, live: bool) -> str:
    """Whether shoppers see this video, and if not, why not."""
    if live:
        return str(_("Shown on the storefront."))
    if video.status == VideoStatus.HELD:
        return str(_("Not on the storefront: held, the product looks different from its photo."))
    if video.status != VideoStatus.READY:
        return str(_("Not on the storefront: the video is not finished."))
    if video.review_state == ReviewState.REJECTED:
        return str(_("Not on the storefront: rejected."))
    if video.outdated:
        return str(_("Not on the storefront: the product changed after this video was asked for."))
    if app_settings.REQUIRE_APPROVAL and video.review_state != ReviewState.APPROVED:
        return str(_("Not on the storefront yet: approve it to show it."))
    return str(_("Not on the storefront."))
