"""Warnings the admin shows at the top of a page, each at most once however the page was reached."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest


def warn_once(request: HttpRequest, sentence: str) -> None:
    """Add ``sentence`` as a warning unless this request's messages already hold it."""
    storage = messages.get_messages(request)
    shown = {str(message) for message in storage}
    storage.used = False  # reading them must not drop the page's other messages
    if sentence not in shown:
        messages.warning(request, sentence)
