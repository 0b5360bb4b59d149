"""The remix form and the chain of remixes a video belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from sora_products.models import ProductVideo

MAX_CHAIN = 60


class RemixForm(forms.Form):
    change = forms.CharField(
        label=_("What should change?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "placeholder": _("make the jacket navy blue")}),
        help_text=_("Say it in plain words, for example “make the car blue instead of red” or “slower camera”."),
    )


@dataclass(frozen=True)
class ChainLink:
    video: ProductVideo
    depth: int
    current: bool


def chain_root(video: ProductVideo) -> ProductVideo:
    """The original video this one was remixed from, however many remixes ago."""
    seen = {video.pk}
    while video.remixed_from_id and video.remixed_from_id not in seen and len(seen) < MAX_CHAIN:
        seen.add(video.remixed_from_id)
        video = ProductVideo.objects.get(pk=video.remixed_from_id)
    return video


def remix_chain(video: ProductVideo) -> list[ChainLink]:
    """The whole family tree, original first, each remix under the video it changed; [] when alone."""
    root = chain_root(video)
    children: dict[int, list[ProductVideo]] = {}
    level, count = [root.pk], 1
    while level and count < MAX_CHAIN:
        rows = list(ProductVideo.objects.filter(remixed_from__in=level).order_by("created_at", "pk"))
        for row in rows:
            children.setdefault(row.remixed_from_id, []).append(row)
        level, count = [row.pk for row in rows], count + len(rows)
    if not children:
        return []
    links: list[ChainLink] = []

    def walk(node: ProductVideo, depth: int) -> None:
        links.append(ChainLink(node, depth, node.pk == video.pk))
        for child in children.get(node.pk, []):
            if len(links) < MAX_CHAIN:
                walk(child, depth + 1)

    walk(root, 0)
    return links
