"""Shoes and bags: footwear in side view, bags front-on."""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image

from .painter import (
    BRASS,
    DARK_SOLE,
    FABRIC,
    FLAT,
    RGB,
    RUBBER,
    SOFT,
    Painter,
    Path,
    Point,
    _light_of,
    _shadow_of,
    luminance,
    mix,
)

# --- shoes ----------------------------------------------------------------------------------------


def draw_sneakers(p: Painter) -> Image.Image:
    """A low-top sneaker in side view, the way shoe shops show them."""
    _sneaker(p, p.colour)
    return p.render(floor=0.7, shadow_strength=1.0)


def _sneaker(p: Painter, c: RGB) -> None:
    """A low-top sneaker in side view, toe to the left, laced over a padded tongue."""

    scale = 0.84  # leaves room for a 4:5 crop of the square photo

    def t(pts: Sequence[Point]) -> list[Point]:
        return [(0.5 + (x - 0.5) * scale, 0.7 + (y - 0.7) * scale) for x, y in pts]

    rubber = RUBBER
    tongue = p.part(mix(c, _light_of(c), 0.1), SOFT)
    tongue.polygon(
        t(
            Path((0.43, 0.49))
            .to((0.385, 0.46))
            .to((0.52, 0.335))
            .curve((0.53, 0.3), (0.59, 0.29), (0.605, 0.33))
            .to((0.6, 0.37))
            .to((0.45, 0.5))
            .points
        )
    )
    p.add(tongue)
    upper = p.part(c, SOFT)
    upper.polygon(
        t(
            Path((0.13, 0.64))
            .curve((0.12, 0.59), (0.17, 0.56), (0.26, 0.535))
            .curve((0.32, 0.52), (0.37, 0.505), (0.41, 0.48))
            .curve((0.47, 0.44), (0.51, 0.4), (0.55, 0.36))
            .curve((0.56, 0.345), (0.59, 0.345), (0.6, 0.36))
            .curve((0.62, 0.39), (0.65, 0.43), (0.7, 0.435))
            .curve((0.75, 0.44), (0.78, 0.42), (0.8, 0.395))
            .curve((0.85, 0.42), (0.875, 0.52), (0.87, 0.64))
            .points
        )
    )
    upper.shade_polygon(
        t(Path((0.72, 0.64)).curve((0.72, 0.55), (0.75, 0.47), (0.83, 0.44)).to((0.87, 0.5)).to((0.87, 0.64)).points),
        35,
    )
    upper.seam(t(Path((0.72, 0.64)).curve((0.72, 0.55), (0.75, 0.47), (0.83, 0.435)).points), 0.004, 140)
    upper.seam(t(Path((0.27, 0.64)).curve((0.27, 0.59), (0.3, 0.55), (0.34, 0.525)).points), 0.004, 140)
    upper.stitches(t(Path((0.285, 0.635)).curve((0.285, 0.595), (0.31, 0.56), (0.35, 0.535)).points), _light_of(c, 0.4))
    upper.stitches(t(Path((0.705, 0.635)).curve((0.705, 0.55), (0.735, 0.47), (0.81, 0.44)).points), _light_of(c, 0.4))
    upper.shine(t(Path((0.18, 0.58)).curve((0.26, 0.55), (0.34, 0.53), (0.42, 0.5)).points), 0.025, 100)
    upper.fold(
        t(Path((0.6, 0.375)).curve((0.63, 0.42), (0.67, 0.445), (0.72, 0.447)).to((0.79, 0.41)).points), 0.012, 150
    )
    eyelets = t([(0.42 + i * 0.032, 0.5 - i * 0.032) for i in range(5)])
    upper.dots(eyelets, 0.0065, _shadow_of(c, 0.65))
    p.add(upper)
    laces = p.part(rubber, FLAT)
    for x, y in eyelets:
        laces.stroke([(x + 0.004, y), (x - 0.02 * scale, y - 0.03 * scale)], 0.0095)
    p.add(laces)
    sole = p.part(rubber, FLAT)
    sole.polygon(
        t(
            Path((0.125, 0.63))
            .to((0.87, 0.63))
            .curve((0.885, 0.645), (0.885, 0.69), (0.865, 0.7))
            .to((0.23, 0.7))
            .curve((0.17, 0.7), (0.12, 0.68), (0.115, 0.65))
            .to((0.125, 0.63))
            .points
        )
    )
    sole.seam(t([(0.13, 0.652), (0.875, 0.652)]), 0.003, 70)
    sole.shade_polygon(t([(0.12, 0.686), (0.89, 0.686), (0.89, 0.71), (0.12, 0.71)]), 120)
    p.add(sole)


def draw_boots(p: Painter) -> Image.Image:
    """A Chelsea boot in side view: elastic gusset, pull tab, stacked heel."""
    c = p.colour
    outline = (
        Path((0.56, 0.16))
        .to((0.78, 0.16))
        .curve((0.78, 0.3), (0.77, 0.4), (0.79, 0.5))
        .curve((0.81, 0.58), (0.82, 0.66), (0.815, 0.715))
        .to((0.3, 0.715))
        .curve((0.21, 0.715), (0.16, 0.7), (0.16, 0.65))
        .curve((0.16, 0.58), (0.21, 0.54), (0.31, 0.515))
        .curve((0.42, 0.49), (0.5, 0.46), (0.55, 0.4))
        .curve((0.57, 0.33), (0.56, 0.22), (0.56, 0.16))
        .points
    )
    leather = p.part(c, SOFT)
    leather.polygon(outline)
    leather.shine(Path((0.2, 0.6)).curve((0.25, 0.55), (0.35, 0.53), (0.45, 0.5)).points, 0.03, 110)
    leather.shine([(0.6, 0.2), (0.605, 0.4)], 0.03, 70)
    leather.seam(Path((0.45, 0.7)).curve((0.45, 0.6), (0.5, 0.5), (0.56, 0.44)).points, 0.004, 120)
    leather.stitches(Path((0.2, 0.7)).to((0.8, 0.7)).points, _light_of(c, 0.3))
    p.add(leather)
    gusset = p.part(_shadow_of(c, 0.5), FLAT)
    gusset.polygon(
        Path((0.63, 0.16))
        .to((0.73, 0.16))
        .curve((0.72, 0.3), (0.7, 0.42), (0.68, 0.44))
        .curve((0.66, 0.42), (0.64, 0.3), (0.63, 0.16))
        .points
    )
    for i in range(6):
        x = 0.64 + i * 0.015
        gusset.seam([(x, 0.16), (0.68 + (x - 0.68) * 0.3, 0.43)], 0.003, 70)
    p.add(gusset)
    tab = p.part(mix(c, _shadow_of(c), 0.2), FLAT)
    tab.polygon(
        Path((0.745, 0.17)).to((0.76, 0.125)).curve((0.77, 0.11), (0.795, 0.11), (0.79, 0.13)).to((0.78, 0.18)).points
    )
    p.add(tab)
    sole = p.part(DARK_SOLE, FLAT)
    sole.polygon(
        Path((0.17, 0.7))
        .curve((0.16, 0.74), (0.19, 0.76), (0.26, 0.76))
        .to((0.5, 0.76))
        .curve((0.55, 0.76), (0.57, 0.735), (0.62, 0.735))
        .to((0.66, 0.735))
        .to((0.665, 0.76))
        .to((0.82, 0.76))
        .to((0.82, 0.71))
        .to((0.3, 0.71))
        .curve((0.22, 0.71), (0.18, 0.71), (0.17, 0.7))
        .points
    )
    sole.stitches([(0.2, 0.722), (0.81, 0.722)], (120, 104, 90))
    p.add(sole)
    return p.render(floor=0.76, shadow_strength=1.0)


# --- bags -----------------------------------------------------------------------------------------


def draw_tote(p: Painter) -> Image.Image:
    """A canvas tote with riveted handles, the back handle seen behind the bag."""
    c = p.colour
    strap = mix(c, _shadow_of(c), 0.25) if luminance(c) > 0.5 else _light_of(c, 0.2)
    back_handle = p.part(_shadow_of(strap, 0.2), FLAT)
    back_handle.stroke(Path((0.4, 0.4)).curve((0.4, 0.2), (0.6, 0.2), (0.6, 0.4)).points, 0.028)
    p.add(back_handle)
    bag = p.part(c, FABRIC)
    bag.polygon(
        Path((0.26, 0.38))
        .to((0.74, 0.38))
        .to((0.78, 0.8))
        .curve((0.78, 0.82), (0.77, 0.83), (0.75, 0.83))
        .to((0.25, 0.83))
        .curve((0.23, 0.83), (0.22, 0.82), (0.22, 0.8))
        .points
    )
    bag.stitches([(0.263, 0.42), (0.737, 0.42)], _shadow_of(c, 0.35))
    bag.seam([(0.262, 0.425), (0.738, 0.425)], 0.006, 60)
    bag.fold(Path((0.38, 0.43)).curve((0.37, 0.55), (0.35, 0.68), (0.33, 0.82)).points, 0.03, 55)
    bag.fold(Path((0.66, 0.45)).curve((0.67, 0.6), (0.68, 0.7), (0.69, 0.82)).points, 0.025, 40)
    bag.shine(Path((0.5, 0.45)).curve((0.5, 0.6), (0.49, 0.7), (0.48, 0.8)).points, 0.08, 50)
    bag.shade_polygon([(0.22, 0.79), (0.78, 0.79), (0.78, 0.83), (0.22, 0.83)], 60)
    p.add(bag)
    handle = p.part(strap, FLAT)
    handle.stroke(Path((0.36, 0.42)).curve((0.36, 0.16), (0.64, 0.16), (0.64, 0.42)).points, 0.03)
    handle.stitches(
        Path((0.37, 0.42)).curve((0.37, 0.18), (0.63, 0.18), (0.63, 0.42)).points, _light_of(strap, 0.3), width=0.002
    )
    p.add(handle)
    rivets = p.part(strap, FLAT)
    for x in (0.36, 0.64):
        rivets.rounded((x - 0.022, 0.39, x + 0.022, 0.47), 0.008)
        rivets.dots([(x, 0.45)], 0.006, BRASS)
    p.add(rivets)
    return p.render(floor=0.835, shadow_strength=1.0)


def draw_backpack(p: Painter) -> Image.Image:
    """A zipped daypack front-on, with straps showing at the sides."""
    c = p.colour
    webbing = _shadow_of(c, 0.5)
    straps = p.part(_shadow_of(c, 0.3), SOFT)
    straps.stroke(Path((0.34, 0.3)).curve((0.25, 0.4), (0.25, 0.6), (0.3, 0.8)).points, 0.05)
    straps.stroke(Path((0.66, 0.3)).curve((0.75, 0.4), (0.75, 0.6), (0.7, 0.8)).points, 0.05)
    p.add(straps)
    handle = p.part(webbing, FLAT)
    handle.stroke(Path((0.45, 0.21)).curve((0.45, 0.13), (0.55, 0.13), (0.55, 0.21)).points, 0.018)
    p.add(handle)
    body = p.part(c, SOFT)
    body.polygon(
        Path((0.3, 0.84))
        .to((0.3, 0.34))
        .curve((0.3, 0.16), (0.7, 0.16), (0.7, 0.34))
        .to((0.7, 0.84))
        .curve((0.6, 0.86), (0.4, 0.86), (0.3, 0.84))
        .points
    )
    body.seam(Path((0.32, 0.42)).curve((0.32, 0.2), (0.68, 0.2), (0.68, 0.42)).points, 0.008, 140)
    body.stitches(Path((0.33, 0.43)).curve((0.33, 0.23), (0.67, 0.23), (0.67, 0.43)).points, _light_of(c, 0.3))
    body.shine(Path((0.38, 0.3)).curve((0.36, 0.45), (0.36, 0.6), (0.37, 0.75)).points, 0.05, 70)
    p.add(body)
    pocket = p.part(mix(c, _light_of(c), 0.06), SOFT)
    pocket.rounded((0.35, 0.55, 0.65, 0.81), 0.04)
    pocket.seam([(0.37, 0.59), (0.63, 0.59)], 0.006, 150)
    pocket.stitches([(0.36, 0.785), (0.64, 0.785)], _light_of(c, 0.3))
    p.add(pocket)
    pulls = p.part(webbing, FLAT)
    pulls.rounded((0.6, 0.585, 0.615, 0.64), 0.004)
    pulls.rounded((0.625, 0.255, 0.64, 0.31), 0.004)
    for x in (0.4, 0.6):
        pulls.rounded((x - 0.018, 0.38, x + 0.018, 0.86), 0.006)
        pulls.rounded((x - 0.024, 0.45, x + 0.024, 0.49), 0.006)
    p.add(pulls)
    return p.render(floor=0.85, shadow_strength=1.0)
