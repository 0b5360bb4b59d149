"""Who may do what with videos: the app's own permissions, the same for the admin and the staff API."""

from __future__ import annotations

from typing import Any

APP = "sora_products"
GENERATE = f"{APP}.generate_productvideo"
REVIEW = f"{APP}.review_productvideo"
REMIX = f"{APP}.remix_productvideo"
VIEW_COSTS = f"{APP}.view_costs"
VIEW_VIDEOS = (f"{APP}.view_productvideo", f"{APP}.change_productvideo")


def user_has(user: Any, permission: str) -> bool:
    """Active staff with the permission (superusers have them all)."""
    return bool(user and user.is_active and user.is_staff and user.has_perm(permission))


def user_sees_videos(user: Any) -> bool:
    """Watching progress needs the right to see videos, or to ask for them."""
    return any(user_has(user, permission) for permission in (*VIEW_VIDEOS, GENERATE))
