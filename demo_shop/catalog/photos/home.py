"""Home goods: a table lamp, an armchair and a mug, each on the studio floor."""

from __future__ import annotations

from PIL import Image

from .painter import FLAT, GLOSSY, LINEN, MATTE_ROUND, SOFT, WOOD, Painter, Path, _light_of, _shadow_of, mix


def draw_lamp(p: Painter) -> Image.Image:
    """A glossy gourd-shaped lamp base under a pleated linen drum shade."""
    c = p.colour
    base = p.part(c, GLOSSY)
    base.polygon(
        Path((0.47, 0.47))
        .to((0.53, 0.47))
        .curve((0.53, 0.5), (0.54, 0.52), (0.56, 0.54))
        .curve((0.7, 0.6), (0.68, 0.78), (0.6, 0.82))
        .to((0.4, 0.82))
        .curve((0.32, 0.78), (0.3, 0.6), (0.44, 0.54))
        .curve((0.46, 0.52), (0.47, 0.5), (0.47, 0.47))
        .points
    )
    p.add(base)
    foot = p.part(mix(c, _shadow_of(c), 0.3), FLAT)
    foot.rounded((0.41, 0.815, 0.59, 0.84), 0.006)
    p.add(foot)
    shade = p.part(LINEN, MATTE_ROUND)
    shade.polygon([(0.37, 0.14), (0.63, 0.14), (0.72, 0.46), (0.28, 0.46)])
    for i in range(1, 12):
        x_top = 0.37 + i * 0.26 / 12
        x_bot = 0.28 + i * 0.44 / 12
        shade.seam([(x_top, 0.145), (x_bot, 0.455)], 0.002, 18)
    shade.seam([(0.37, 0.148), (0.63, 0.148)], 0.006, 60)
    shade.shade_polygon([(0.28, 0.445), (0.72, 0.445), (0.72, 0.46), (0.28, 0.46)], 70)
    p.add(shade)
    glow = p.part(_light_of(LINEN, 0.5), FLAT)
    glow.ellipse((0.29, 0.448, 0.71, 0.472))
    p.add(glow)
    return p.render(floor=0.84, shadow_strength=1.0)


def draw_chair(p: Painter) -> Image.Image:
    """An upholstered armchair front-on on a wooden base with tapered legs."""
    c = p.colour
    legs = p.part(WOOD, MATTE_ROUND)
    for top, bottom in (((0.3, 0.68), (0.27, 0.84)), ((0.7, 0.68), (0.73, 0.84))):
        legs.polygon(
            [
                (top[0] - 0.018, top[1]),
                (top[0] + 0.018, top[1]),
                (bottom[0] + 0.009, bottom[1]),
                (bottom[0] - 0.009, bottom[1]),
            ]
        )
    for top, bottom in (((0.36, 0.67), (0.35, 0.78)), ((0.64, 0.67), (0.65, 0.78))):
        legs.polygon(
            [
                (top[0] - 0.012, top[1]),
                (top[0] + 0.012, top[1]),
                (bottom[0] + 0.006, bottom[1]),
                (bottom[0] - 0.006, bottom[1]),
            ]
        )
    legs.rounded((0.25, 0.655, 0.75, 0.69), 0.01)
    p.add(legs)
    back = p.part(c, SOFT)
    back.rounded((0.29, 0.17, 0.71, 0.6), 0.08)
    back.seam([(0.5, 0.22), (0.5, 0.55)], 0.005, 80)
    back.shine([(0.38, 0.24), (0.38, 0.5)], 0.06, 60)
    p.add(back)
    arms = p.part(mix(c, _light_of(c), 0.04), SOFT)
    arms.rounded((0.22, 0.38, 0.34, 0.67), 0.05)
    arms.rounded((0.66, 0.38, 0.78, 0.67), 0.05)
    p.add(arms)
    seat = p.part(mix(c, _light_of(c), 0.08), SOFT)
    seat.rounded((0.31, 0.5, 0.69, 0.665), 0.045)
    seat.stitches([(0.335, 0.515), (0.665, 0.515)], _shadow_of(c, 0.3))
    seat.fold([(0.32, 0.6), (0.68, 0.6)], 0.02, 30)
    p.add(seat)
    return p.render(floor=0.84, shadow_strength=1.0)


def draw_mug(p: Painter) -> Image.Image:
    """A glazed mug with a raw clay foot, seen from slightly above."""
    c = p.colour
    clay = (196, 176, 150)
    handle = p.part(c, GLOSSY)
    handle.ring((0.58, 0.43, 0.8, 0.7), 0.045)
    p.add(handle)
    body = p.part(c, GLOSSY)
    body.polygon(
        Path((0.3, 0.36))
        .to((0.66, 0.36))
        .to((0.66, 0.76))
        .curve((0.66, 0.79), (0.64, 0.8), (0.6, 0.8))
        .to((0.36, 0.8))
        .curve((0.32, 0.8), (0.3, 0.79), (0.3, 0.76))
        .points
    )
    p.add(body)
    foot = p.part(clay, MATTE_ROUND)
    foot.polygon(
        Path((0.3, 0.74))
        .curve((0.4, 0.755), (0.56, 0.755), (0.66, 0.74))
        .to((0.66, 0.76))
        .curve((0.66, 0.79), (0.64, 0.8), (0.6, 0.8))
        .to((0.36, 0.8))
        .curve((0.32, 0.8), (0.3, 0.79), (0.3, 0.76))
        .points
    )
    p.add(foot)
    rim = p.part(_light_of(c, 0.15), FLAT)
    rim.ellipse((0.3, 0.33, 0.66, 0.39))
    p.add(rim)
    inside = p.part(_shadow_of(c, 0.35), FLAT)
    inside.ellipse((0.31, 0.337, 0.65, 0.385))
    inside.shade_ellipse((0.31, 0.337, 0.65, 0.37), 110)
    p.add(inside)
    return p.render(floor=0.8, shadow_strength=1.0)
