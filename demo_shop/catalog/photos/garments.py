"""Apparel drawings: garments laid flat front-on, with a faint shadow behind them."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PIL import Image

from .painter import (
    BRASS,
    FABRIC,
    FLAT,
    GLOSSY,
    SOFT,
    WHITE,
    Painter,
    Path,
    Point,
    _blur,
    _light_of,
    _shadow_of,
    bezier,
    luminance,
    mirrored,
    mix,
)


def _garment_backshadow(p: Painter, outline: Sequence[Point]) -> None:
    """A faint shadow behind a hanging garment so it sits a little off the backdrop."""
    shadow = p.part(p.colour, FLAT)  # only its mask is used
    shadow.polygon([(x + 0.012, y + 0.012) for x, y in outline])
    bbox = shadow.mask.getbbox()
    if bbox is None:
        return
    pad = p.u(0.06)
    box = (max(bbox[0] - pad, 0), max(bbox[1] - pad, 0), min(bbox[2] + pad, p.w), min(bbox[3] + pad, p.h))
    tile = Image.new("RGBA", (box[2] - box[0], box[3] - box[1]), (*_shadow_of((190, 186, 180), 0.5), 0))
    tile.putalpha(_blur(shadow.mask.crop(box), p.u(0.02)).point(lambda v: round(v * 0.35)))
    p.layer.alpha_composite(tile, dest=box[:2])
    shadow.release()


def draw_tshirt(p: Painter) -> Image.Image:
    """A crew-neck T-shirt laid out front-on, the most common apparel shot."""
    c = p.colour
    right = (
        Path((0.5, 0.175))
        .curve((0.55, 0.175), (0.59, 0.15), (0.6, 0.125))
        .curve((0.68, 0.14), (0.75, 0.15), (0.8, 0.17))
        .curve((0.86, 0.22), (0.9, 0.29), (0.94, 0.36))
        .to((0.815, 0.425))
        .curve((0.8, 0.4), (0.78, 0.36), (0.755, 0.33))
        .curve((0.75, 0.5), (0.755, 0.7), (0.76, 0.83))
        .curve((0.66, 0.84), (0.56, 0.845), (0.5, 0.845))
        .points
    )
    outline = mirrored(right)
    _garment_backshadow(p, outline)
    body = p.part(c, FABRIC)
    body.polygon(outline)
    body.fold(Path((0.245, 0.33)).curve((0.27, 0.4), (0.27, 0.45), (0.28, 0.52)).points, 0.025, 60)
    body.fold(Path((0.66, 0.55)).curve((0.68, 0.62), (0.7, 0.7), (0.71, 0.8)).points, 0.03, 50)
    body.fold([(0.4, 0.83), (0.42, 0.72)], 0.02, 45)
    body.shine(Path((0.35, 0.3)).curve((0.33, 0.45), (0.34, 0.6), (0.36, 0.75)).points, 0.06, 70)
    for side in (1, -1):
        sx = lambda x, s=side: 0.5 + s * (x - 0.5)  # noqa: E731
        body.seam([(sx(0.755), 0.33), (sx(0.8), 0.17)], 0.004, 110)
        body.stitches([(sx(0.925), 0.335), (sx(0.8), 0.395)], _shadow_of(c, 0.3))
    body.stitches(Path((0.245, 0.81)).curve((0.4, 0.82), (0.6, 0.82), (0.755, 0.81)).points, _shadow_of(c, 0.3))
    p.add(body)
    inside = p.part(_shadow_of(c, 0.35), FLAT)
    inside.polygon(
        Path((0.4, 0.125))
        .curve((0.45, 0.14), (0.55, 0.14), (0.6, 0.125))
        .curve((0.59, 0.15), (0.55, 0.175), (0.5, 0.175))
        .curve((0.45, 0.175), (0.41, 0.15), (0.4, 0.125))
        .points
    )
    p.add(inside)
    collar = p.part(mix(c, _shadow_of(c), 0.15), FLAT)
    collar.stroke(
        Path((0.405, 0.132))
        .curve((0.415, 0.155), (0.45, 0.178), (0.5, 0.178))
        .curve((0.55, 0.178), (0.585, 0.155), (0.595, 0.132))
        .points,
        0.018,
    )
    p.add(collar)
    return p.render(floor=0.92, shadow_strength=0.6, lift=0.4)


def draw_dress(p: Painter) -> Image.Image:
    """A sleeveless fit-and-flare dress; the fanned folds make the skirt read as fabric."""
    c = p.colour
    right = (
        Path((0.5, 0.2))
        .curve((0.54, 0.17), (0.57, 0.13), (0.585, 0.085))
        .to((0.625, 0.085))
        .curve((0.63, 0.15), (0.66, 0.22), (0.68, 0.26))
        .curve((0.675, 0.32), (0.655, 0.38), (0.645, 0.42))
        .curve((0.72, 0.55), (0.82, 0.72), (0.88, 0.85))
        .points
    )
    left = [(1 - x, y) for x, y in reversed(right)]
    # The hem dips where a fold comes towards the camera, so it waves in step with the folds.
    hem = [
        (x, 0.875 - 0.025 * ((x - 0.5) / 0.38) ** 2 + 0.006 * math.cos(2 * math.pi * (x - 0.27) / 0.133))
        for x in (0.88 - i * 0.76 / 120 for i in range(1, 120))
    ]
    outline = [*right, *hem, *left]
    _garment_backshadow(p, outline)
    dress = p.part(c, FABRIC)
    dress.polygon(outline)
    # Skirt folds fan out from the waist; light ridges sit between the shadowed valleys.
    for x_hem, x_waist in ((0.2, 0.38), (0.33, 0.43), (0.46, 0.48), (0.6, 0.54), (0.73, 0.58)):
        dress.fold(Path((x_waist, 0.45)).curve((x_waist, 0.6), (x_hem, 0.72), (x_hem, 0.87)).points, 0.03, 85)
    for x_hem, x_waist in ((0.27, 0.405), (0.4, 0.455), (0.53, 0.51), (0.67, 0.56), (0.8, 0.615)):
        dress.shine(Path((x_waist, 0.46)).curve((x_waist, 0.6), (x_hem, 0.72), (x_hem, 0.86)).points, 0.035, 80)
    dress.shade_polygon([(0.35, 0.41), (0.65, 0.41), (0.65, 0.445), (0.35, 0.445)], 40)
    dress.seam([(0.355, 0.42), (0.645, 0.42)], 0.005, 130)
    dress.fold([(0.44, 0.25), (0.455, 0.4)], 0.015, 40)
    dress.fold([(0.56, 0.25), (0.545, 0.4)], 0.015, 40)
    p.add(dress)
    inside = p.part(_shadow_of(c, 0.4), FLAT)
    inside.polygon(
        Path((0.415, 0.09))
        .curve((0.45, 0.12), (0.55, 0.12), (0.585, 0.09))
        .curve((0.57, 0.13), (0.54, 0.17), (0.5, 0.2))
        .curve((0.46, 0.17), (0.43, 0.13), (0.415, 0.09))
        .points
    )
    p.add(inside)
    return p.render(floor=0.93, shadow_strength=0.6, lift=0.35)


def _long_sleeved_outline(neck_y: float = 0.14, hem_y: float = 0.82, width: float = 0.255) -> list[Point]:
    """The outline shared by the hoodie and the jacket: shoulders, long sleeves, straight body."""
    side = 0.5 + width
    right = (
        Path((0.5, neck_y + 0.04))
        .curve((0.55, neck_y + 0.04), (0.59, neck_y + 0.02), (0.6, neck_y))
        .curve((0.68, neck_y + 0.015), (0.74, neck_y + 0.03), (side + 0.02, neck_y + 0.05))
        .curve((0.83, 0.3), (0.88, 0.5), (0.92, 0.7))
        .to((0.925, 0.74))
        .to((0.835, 0.755))
        .to((0.83, 0.72))
        .curve((0.8, 0.55), (0.775, 0.42), (side, 0.33))
        .curve((side, 0.5), (side, 0.7), (side, hem_y))
        .curve((0.66, hem_y + 0.008), (0.56, hem_y + 0.01), (0.5, hem_y + 0.01))
        .points
    )
    return mirrored(right)


def draw_hoodie(p: Painter) -> Image.Image:
    """A pullover hoodie with hood, drawstrings, kangaroo pocket and ribbed cuffs."""
    c = p.colour
    outline = _long_sleeved_outline(neck_y=0.17, hem_y=0.78)
    _garment_backshadow(p, outline)
    hood_back = p.part(mix(c, _shadow_of(c), 0.1), SOFT)
    hood_back.polygon(
        Path((0.36, 0.22))
        .curve((0.34, 0.12), (0.4, 0.06), (0.5, 0.06))
        .curve((0.6, 0.06), (0.66, 0.12), (0.64, 0.22))
        .points
    )
    p.add(hood_back)
    body = p.part(c, FABRIC)
    body.polygon(outline)
    for s in (1, -1):
        x = lambda v, s=s: 0.5 + s * (v - 0.5)  # noqa: E731
        body.seam([(x(0.755), 0.33), (x(0.78), 0.22)], 0.004, 100)
        body.fold(Path((x(0.8), 0.4)).curve((x(0.83), 0.5), (x(0.84), 0.58), (x(0.87), 0.68)).points, 0.02, 60)
    body.fold([(0.3, 0.6), (0.31, 0.74)], 0.03, 40)
    body.shine(Path((0.36, 0.28)).curve((0.34, 0.4), (0.35, 0.5), (0.36, 0.55)).points, 0.05, 60)
    # Kangaroo pocket.
    pocket = [(0.34, 0.72), (0.37, 0.56), (0.63, 0.56), (0.66, 0.72)]
    body.shade_polygon([(0.345, 0.72), (0.37, 0.57), (0.39, 0.57), (0.37, 0.72)], 70)
    body.seam(pocket, 0.004, 130)
    body.stitches([(0.37, 0.565), (0.63, 0.565)], _shadow_of(c, 0.3))
    p.add(body)
    ribs = p.part(mix(c, _shadow_of(c), 0.12), FABRIC)
    ribs.polygon([(0.245, 0.735), (0.755, 0.735), (0.755, 0.79), (0.5, 0.795), (0.245, 0.79)])
    for s in (1, -1):
        ribs.polygon(
            [(0.5 + s * 0.333, 0.705), (0.5 + s * 0.424, 0.695), (0.5 + s * 0.425, 0.74), (0.5 + s * 0.335, 0.755)]
        )
    for i in range(26):
        x = 0.25 + i * 0.02
        ribs.seam([(x, 0.74), (x, 0.79)], 0.002, 50)
    p.add(ribs)
    hood = p.part(c, SOFT)
    hood.polygon(
        Path((0.5, 0.3))
        .curve((0.42, 0.26), (0.36, 0.22), (0.37, 0.17))
        .curve((0.42, 0.2), (0.46, 0.21), (0.5, 0.21))
        .curve((0.54, 0.21), (0.58, 0.2), (0.63, 0.17))
        .curve((0.64, 0.22), (0.58, 0.26), (0.5, 0.3))
        .points
    )
    hood.seam([(0.5, 0.215), (0.5, 0.3)], 0.004, 120)
    p.add(hood)
    opening = p.part(_shadow_of(c, 0.45), FLAT)
    opening.polygon(
        Path((0.41, 0.195))
        .curve((0.44, 0.14), (0.56, 0.14), (0.59, 0.195))
        .curve((0.55, 0.21), (0.45, 0.21), (0.41, 0.195))
        .points
    )
    p.add(opening)
    cords = p.part(WHITE if luminance(c) < 0.6 else _shadow_of(c, 0.3), FLAT)
    cords.stroke(Path((0.46, 0.24)).curve((0.455, 0.3), (0.46, 0.36), (0.455, 0.42)).points, 0.008)
    cords.stroke(Path((0.54, 0.24)).curve((0.545, 0.31), (0.54, 0.37), (0.548, 0.44)).points, 0.008)
    cords.rounded((0.449, 0.415, 0.461, 0.445), 0.004)
    cords.rounded((0.542, 0.435, 0.554, 0.465), 0.004)
    p.add(cords)
    return p.render(floor=0.92, shadow_strength=0.6, lift=0.4)


def draw_trousers(p: Painter) -> Image.Image:
    """Wide-leg trousers with waistband, fly, pockets and pressed creases."""
    c = p.colour
    right = [
        (0.5, 0.36),
        *bezier((0.5, 0.36), (0.52, 0.5), (0.535, 0.7), (0.54, 0.88)),
        (0.77, 0.88),
        *bezier((0.77, 0.88), (0.76, 0.6), (0.74, 0.3), (0.715, 0.1)),
        (0.5, 0.1),
    ]
    outline = [*right, *((1 - x, y) for x, y in reversed(right))]
    _garment_backshadow(p, outline)
    legs = p.part(c, FABRIC)
    legs.polygon(outline)
    for s in (1, -1):
        x = lambda v, s=s: 0.5 + s * (v - 0.5)  # noqa: E731
        legs.shine([(x(0.635), 0.16), (x(0.645), 0.5), (x(0.655), 0.87)], 0.012, 110)
        legs.fold([(x(0.65), 0.16), (x(0.66), 0.5), (x(0.668), 0.87)], 0.006, 60)
        legs.seam(Path((x(0.6), 0.14)).curve((x(0.61), 0.19), (x(0.66), 0.22), (x(0.72), 0.23)).points, 0.004, 130)
        legs.fold([(x(0.56), 0.75), (x(0.6), 0.8), (x(0.56), 0.84)], 0.015, 45)
        legs.stitches([(x(0.545), 0.865), (x(0.768), 0.865)], _shadow_of(c, 0.2))
    legs.seam(Path((0.5, 0.14)).to((0.5, 0.33)).points, 0.004, 140)
    legs.stitches(
        Path((0.53, 0.14)).to((0.53, 0.3)).curve((0.53, 0.33), (0.515, 0.345), (0.5, 0.35)).points, _light_of(c, 0.2)
    )
    legs.fold([(0.5, 0.36), (0.5, 0.45)], 0.02, 70)
    p.add(legs)
    band = p.part(mix(c, _shadow_of(c), 0.06), FLAT)
    band.polygon([(0.284, 0.08), (0.716, 0.08), (0.719, 0.13), (0.281, 0.13)])
    band.stitches([(0.288, 0.126), (0.712, 0.126)], _light_of(c, 0.2))
    band.dots([(0.5, 0.105)], 0.012, BRASS)
    for x in (0.33, 0.43, 0.57, 0.67):
        band.seam([(x, 0.078), (x, 0.14)], 0.014, 45)
    p.add(band)
    return p.render(floor=0.94, shadow_strength=0.6, lift=0.3)


def draw_jacket(p: Painter) -> Image.Image:
    """A chore jacket: point collar, button placket and patch pockets."""
    c = p.colour
    outline = _long_sleeved_outline(neck_y=0.14, hem_y=0.8, width=0.26)
    _garment_backshadow(p, outline)
    body = p.part(c, FABRIC)
    body.polygon(outline)
    thread = _light_of(c, 0.35)
    for s in (1, -1):
        x = lambda v, s=s: 0.5 + s * (v - 0.5)  # noqa: E731
        body.seam([(x(0.76), 0.33), (x(0.78), 0.19)], 0.004, 110)
        body.fold(Path((x(0.79), 0.36)).curve((x(0.82), 0.5), (x(0.85), 0.6), (x(0.88), 0.7)).points, 0.02, 55)
        body.seam([(x(0.838), 0.715), (x(0.923), 0.7)], 0.004, 120)
        # Patch pockets: lower and chest.
        body.shade_polygon([(x(0.57), 0.56), (x(0.7), 0.56), (x(0.7), 0.565), (x(0.57), 0.565)], 120)
        body.stitches([(x(0.57), 0.56), (x(0.57), 0.7), (x(0.7), 0.7), (x(0.7), 0.56)], thread)
        body.stitches([(x(0.58), 0.565), (x(0.69), 0.565)], thread)
    body.seam([(0.6, 0.3), (0.7, 0.3), (0.7, 0.41), (0.6, 0.41)], 0.004, 90)
    body.stitches([(0.6, 0.305), (0.7, 0.305)], thread)
    body.seam([(0.5, 0.18), (0.5, 0.81)], 0.005, 160)
    body.stitches([(0.485, 0.2), (0.485, 0.805)], thread)
    body.shine(Path((0.36, 0.28)).curve((0.34, 0.45), (0.35, 0.6), (0.37, 0.75)).points, 0.06, 60)
    p.add(body)
    inside = p.part(_shadow_of(c, 0.45), FLAT)
    inside.polygon([(0.42, 0.145), (0.58, 0.145), (0.5, 0.2)])
    p.add(inside)
    collar = p.part(mix(c, _light_of(c), 0.08), SOFT)
    for s in (1, -1):
        x = lambda v, s=s: 0.5 + s * (v - 0.5)  # noqa: E731
        collar.polygon([(x(0.6), 0.135), (x(0.66), 0.16), (x(0.575), 0.26), (x(0.5), 0.205), (x(0.51), 0.19)])
    collar.seam([(0.5, 0.205), (0.5, 0.215)], 0.004, 140)
    p.add(collar)
    buttons = p.part(_shadow_of(c, 0.55), GLOSSY)
    for i in range(5):
        buttons.circle((0.5, 0.27 + i * 0.12), 0.011)
    p.add(buttons)
    return p.render(floor=0.92, shadow_strength=0.6, lift=0.4)
