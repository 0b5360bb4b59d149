"""Who may do what in the admin: the app's own permissions, checked in one place."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

APP = "sora_products"
GENERATE = f"{APP}.generate_productvideo"
REVIEW = f"{APP}.review_productvideo"
REMIX = f"{APP}.remix_productvideo"
VIEW_COSTS = f"{APP}.view_costs"
VIEW_VIDEOS = (f"{APP}.view_productvideo", f"{APP}.change_productvideo")


def has(request: HttpRequest, permission: str) -> bool:
    """Staff with the permission (superusers have them all)."""
    user = request.user
    return bool(user.is_active and user.is_staff and user.has_perm(permission))


def can_generate(request: HttpRequest) -> bool:
    return has(request, GENERATE)


def can_review(request: HttpRequest) -> bool:
    return has(request, REVIEW)


def can_remix(request: HttpRequest) -> bool:
    return has(request, REMIX)


def can_see_costs(request: HttpRequest) -> bool:
    return has(request, VIEW_COSTS)


def can_see_videos(request: HttpRequest) -> bool:
    """Watching progress needs the right to see videos, or to ask for them."""
    return any(has(request, permission) for permission in (*VIEW_VIDEOS, GENERATE))


def require(allowed: bool) -> None:
    """Raise 403 unless allowed: a hidden button is not a permission check."""
    if not allowed:
        raise PermissionDenied
