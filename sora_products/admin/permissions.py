"""Who may do what in the admin: the app's own permissions, checked in one place."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from sora_products.permissions import (  # noqa: F401 - the admin names them from here too
    APP,
    GENERATE,
    REMIX,
    REVIEW,
    VIEW_COSTS,
    VIEW_VIDEOS,
    user_has,
    user_sees_videos,
)


def has(request: HttpRequest, permission: str) -> bool:
    """Staff with the permission (superusers have them all)."""
    return user_has(request.user, permission)


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
    return user_sees_videos(request.user)


def require(allowed: bool) -> None:
    """Raise 403 unless allowed: a hidden button is not a permission check."""
    if not allowed:
        raise PermissionDenied
