"""Studio-style product photos drawn offline with Pillow, so the demo shop needs no image downloads.

Each kind of product is a small drawing function working in fractions of the canvas; a shared painter
adds a soft gradient backdrop, a floor shadow and simple form shading, draws at 2x and downsamples.
The drawings are deterministic: the same kind, colour and size give the same pixels every run.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

RGB = tuple[int, int, int]
Point = tuple[float, float]

SCALE = 2
PORTRAIT: tuple[int, int] = (1200, 1500)
SQUARE: tuple[int, int] = (1400, 1400)

COLOURS: dict[str, RGB] = {
    "Sage": (139, 160, 128),
    "Terracotta": (190, 101, 72),
    "Heather grey": (150, 152, 156),
    "Navy": (38, 52, 86),
    "Ochre": (196, 146, 58),
    "Cobalt": (46, 84, 170),
    "Chestnut": (120, 70, 42),
    "Natural": (222, 208, 182),
    "Forest green": (47, 88, 66),
    "Sand": (214, 190, 156),
    "Moss": (104, 116, 70),
}

WHITE: RGB = (244, 242, 238)
RUBBER: RGB = (236, 232, 224)
WOOD: RGB = (128, 86, 54)
LINEN: RGB = (240, 232, 214)
DARK_SOLE: RGB = (48, 40, 36)
BRASS: RGB = (196, 164, 96)


# --- colour helpers -------------------------------------------------------------------------------


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Blend two colours; the shading and backdrop are all blends of the product colour."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def luminance(c: RGB) -> float:
    """Relative brightness 0..1, to keep light products visible against the light backdrop."""
    r, g, b = (v / 255 for v in c)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _shadow_of(c: RGB, t: float = 0.55) -> RGB:
    """A shadow tone: darker and a little cooler, like a real studio shadow."""
    return mix(c, (18, 20, 30), t)


def _light_of(c: RGB, t: float = 0.35) -> RGB:
    """A highlight tone: towards warm white."""
    return mix(c, (255, 252, 246), t)


# --- geometry helpers -----------------------------------------------------------------------------


def bezier(p0: Point, c1: Point, c2: Point, p1: Point, steps: int = 24) -> list[Point]:
    """Points on a cubic curve (without its start point), to build smooth outlines from polygons."""
    out = []
    for i in range(1, steps + 1):
        t = i / steps
        u = 1 - t
        out.append(
            (
                u**3 * p0[0] + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t**3 * p1[0],
                u**3 * p0[1] + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t**3 * p1[1],
            )
        )
    return out


class Path:
    """A polyline built from straight and curved segments, in canvas fractions."""

    def __init__(self, start: Point) -> None:
        self.points: list[Point] = [start]

    def to(self, p: Point) -> Path:
        self.points.append(p)
        return self

    def curve(self, c1: Point, c2: Point, p: Point) -> Path:
        self.points.extend(bezier(self.points[-1], c1, c2, p))
        return self


def mirrored(right_half: Sequence[Point]) -> list[Point]:
    """A symmetric outline from its right half (drawn top-centre to bottom-centre)."""
    return [*right_half, *((1 - x, y) for x, y in reversed(right_half))]


# --- painter --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shading:
    """How a part catches the light: a left-to-right profile (-1 dark .. +1 light) and edge roll-off."""

    profile: tuple[tuple[float, float], ...]
    edge: float  # blur radius of the rounded-edge darkening, as a fraction of the canvas short side
    edge_strength: float
    round_corners: float = 0.004


FABRIC = Shading(((0, 0.18), (0.35, 0.08), (0.7, -0.05), (1, -0.28)), edge=0.03, edge_strength=0.55)
SOFT = Shading(((0, 0.12), (0.4, 0.05), (1, -0.25)), edge=0.05, edge_strength=0.6, round_corners=0.008)
GLOSSY = Shading(
    ((0, -0.35), (0.18, 0.05), (0.3, 0.55), (0.4, 0.15), (0.75, -0.2), (1, -0.55)),
    edge=0.012,
    edge_strength=0.45,
    round_corners=0.002,
)
MATTE_ROUND = Shading(((0, -0.25), (0.25, 0.2), (0.4, 0.22), (0.7, -0.1), (1, -0.45)), edge=0.015, edge_strength=0.4)
FLAT = Shading(((0, 0.06), (1, -0.12)), edge=0.01, edge_strength=0.3, round_corners=0.002)


class Part:
    """One surface of the product: a mask plus dark (seams, folds) and light (sheen) detail layers."""

    def __init__(self, painter: Painter, colour: RGB, shading: Shading) -> None:
        self.painter = painter
        self.colour = colour
        self.shading = shading
        self.mask = Image.new("L", (painter.w, painter.h), 0)
        self.m = ImageDraw.Draw(self.mask)
        self._layers: dict[str, Image.Image] = {}

    def layer(self, name: str) -> Image.Image | None:
        """A detail layer if anything was drawn on it; most parts use only one or two."""
        return self._layers.get(name)

    def _draw(self, name: str) -> ImageDraw.ImageDraw:
        if name not in self._layers:
            mode = "RGBA" if name == "ink" else "L"
            self._layers[name] = Image.new(mode, (self.painter.w, self.painter.h), 0)
        return ImageDraw.Draw(self._layers[name])

    def release(self) -> None:
        """Drop the full-canvas layers once composed: at 2x they are most of the memory used."""
        self._layers.clear()
        self.mask = Image.new("L", (1, 1), 0)
        self.m = ImageDraw.Draw(self.mask)

    # Shapes go into the mask.
    def polygon(self, points: Sequence[Point]) -> None:
        self.m.polygon(self.painter.px(points), fill=255)

    def ellipse(self, box: tuple[float, float, float, float]) -> None:
        self.m.ellipse(self.painter.box(box), fill=255)

    def circle(self, centre: Point, radius: float) -> None:
        x, y = self.painter.px([centre])[0]
        r = self.painter.u(radius)
        self.m.ellipse((x - r, y - r, x + r, y + r), fill=255)

    def rounded(self, box: tuple[float, float, float, float], radius: float) -> None:
        self.m.rounded_rectangle(self.painter.box(box), radius=self.painter.u(radius), fill=255)

    def ring(self, box: tuple[float, float, float, float], width: float) -> None:
        self.m.ellipse(self.painter.box(box), outline=255, width=self.painter.u(width))

    def stroke(self, points: Sequence[Point], width: float) -> None:
        self.m.line(self.painter.px(points), fill=255, width=self.painter.u(width), joint="curve")

    # Details go into the shading layers (strength 0..255).
    def seam(self, points: Sequence[Point], width: float = 0.003, strength: int = 120) -> None:
        self._draw("seam").line(self.painter.px(points), fill=strength, width=self.painter.u(width), joint="curve")

    def fold(self, points: Sequence[Point], width: float = 0.02, strength: int = 90) -> None:
        self._draw("fold").line(self.painter.px(points), fill=strength, width=self.painter.u(width), joint="curve")

    def shine(self, points: Sequence[Point], width: float = 0.02, strength: int = 90) -> None:
        self._draw("light").line(self.painter.px(points), fill=strength, width=self.painter.u(width), joint="curve")

    def shade_polygon(self, points: Sequence[Point], strength: int = 90) -> None:
        self._draw("seam").polygon(self.painter.px(points), fill=strength)

    def shade_ellipse(self, box: tuple[float, float, float, float], strength: int = 90) -> None:
        self._draw("seam").ellipse(self.painter.box(box), fill=strength)

    def dots(self, centres: Sequence[Point], radius: float, colour: RGB) -> None:
        """Solid small details (buttons, eyelets, rivets) painted on top, unshaded."""
        r = self.painter.u(radius)
        ink = self._draw("ink")
        for x, y in self.painter.px(centres):
            ink.ellipse((x - r, y - r, x + r, y + r), fill=(*colour, 255))

    def stitches(self, points: Sequence[Point], colour: RGB, dash: float = 0.008, width: float = 0.0025) -> None:
        """A dashed stitch line along a path, the detail that makes flat shapes read as sewn goods."""
        pts = self.painter.px(points)
        ink = self._draw("ink")
        step, w = self.painter.u(dash), self.painter.u(width)
        carry, on = 0.0, True
        for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
            length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
            pos = -carry
            while pos < length:
                a, b = max(pos, 0.0), min(pos + step, length)
                if on and b > a:
                    t0, t1 = a / length, b / length
                    seg = [(x0 + (x1 - x0) * t0, y0 + (y1 - y0) * t0), (x0 + (x1 - x0) * t1, y0 + (y1 - y0) * t1)]
                    ink.line(seg, fill=(*colour, 200), width=w)
                if pos + step > length:
                    carry = length - pos
                    break
                pos += step
                on = not on
            else:
                carry = 0.0


class Painter:
    """Composes parts at 2x on a transparent layer, then lays them on a studio backdrop at 1x."""

    def __init__(self, size: tuple[int, int], colour: RGB) -> None:
        self.size = size
        self.colour = colour
        self.w, self.h = size[0] * SCALE, size[1] * SCALE
        self.unit = min(self.w, self.h)
        self.layer = Image.new("RGBA", (self.w, self.h), (0, 0, 0, 0))

    def px(self, points: Sequence[Point]) -> list[tuple[float, float]]:
        """Canvas fractions to 2x pixels, so drawings don't depend on the photo size."""
        return [(x * self.w, y * self.h) for x, y in points]

    def box(self, b: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        return (b[0] * self.w, b[1] * self.h, b[2] * self.w, b[3] * self.h)

    def u(self, length: float) -> int:
        """A length as a fraction of the short side, in 2x pixels (line widths, radii)."""
        return max(1, round(length * self.unit))

    def part(self, colour: RGB, shading: Shading = FABRIC) -> Part:
        return Part(self, colour, shading)

    def add(self, part: Part) -> None:
        """Shade a part inside its own bounding box (cheap) and place it over what is drawn so far."""
        bbox = part.mask.getbbox()
        if bbox is None:
            return
        pad = self.u(part.shading.edge) * 2 + 4
        box = (max(bbox[0] - pad, 0), max(bbox[1] - pad, 0), min(bbox[2] + pad, self.w), min(bbox[3] + pad, self.h))
        mask = _round_corners(part.mask.crop(box), self.u(part.shading.round_corners))
        tile = _shade(part, mask, box, self.u(part.shading.edge))
        tile.putalpha(mask)
        if (ink_layer := part.layer("ink")) is not None:
            ink = ink_layer.crop(box)
            ink.putalpha(ImageChops.multiply(ink.getchannel("A"), mask))
            tile.alpha_composite(ink)
        self.layer.alpha_composite(tile, dest=box[:2])
        part.release()

    def render(self, floor: float, shadow_strength: float = 1.0, lift: float = 0.0) -> Image.Image:
        """Downsample the product and put it on the backdrop with a floor shadow at height `floor`."""
        product = _downsample(self.layer, self.size)
        image = _backdrop(self.size, self.colour)
        _floor_shadow(image, product, floor, shadow_strength, lift)
        image.paste(product, (0, 0), product)
        return image


def _downsample(layer: Image.Image, size: tuple[int, int]) -> Image.Image:
    """LANCZOS-downsample only the drawn area (on even pixel bounds) for anti-aliased edges."""
    out = Image.new("RGBA", size, (0, 0, 0, 0))
    bbox = layer.getchannel("A").getbbox()
    if bbox is None:
        return out
    x0, y0 = max(bbox[0] - 8, 0) // SCALE * SCALE, max(bbox[1] - 8, 0) // SCALE * SCALE
    x1 = min(-(-(bbox[2] + 8) // SCALE) * SCALE, layer.width)
    y1 = min(-(-(bbox[3] + 8) // SCALE) * SCALE, layer.height)
    tile = layer.crop((x0, y0, x1, y1)).resize(((x1 - x0) // SCALE, (y1 - y0) // SCALE), Image.Resampling.LANCZOS)
    out.paste(tile, (x0 // SCALE, y0 // SCALE))
    return out


def _blur(image: Image.Image, radius: float) -> Image.Image:
    """Wide blurs run on a reduced copy: the result is smooth anyway and many times cheaper."""
    factor = int(min(8, radius // 3))
    if factor < 2:
        return image.filter(ImageFilter.GaussianBlur(radius))
    small = image.reduce(factor).filter(ImageFilter.GaussianBlur(radius / factor))
    return small.resize(image.size, Image.Resampling.BILINEAR)


def _round_corners(mask: Image.Image, radius: int) -> Image.Image:
    """Soften sharp polygon corners the way sewn fabric and moulded plastic look."""
    if radius < 2:
        return mask
    return _blur(mask, radius).point(lambda v: 0 if v < 110 else (255 if v > 146 else (v - 110) * 7))


def _profile(stops: Sequence[tuple[float, float]], size: tuple[int, int]) -> tuple[Image.Image, Image.Image]:
    """Horizontal light and dark maps from profile stops: -1 is full shadow, +1 full highlight."""
    values = []
    for i in range(256):
        t = i / 255
        for (x0, v0), (x1, v1) in zip(stops, stops[1:], strict=False):
            if x0 <= t <= x1:
                values.append(v0 + (v1 - v0) * ((t - x0) / (x1 - x0) if x1 > x0 else 0))
                break
    dark = Image.new("L", (256, 1))
    light = Image.new("L", (256, 1))
    dark.putdata([round(max(0.0, -v) * 255) for v in values])
    light.putdata([round(max(0.0, v) * 255) for v in values])
    return dark.resize(size, Image.Resampling.BILINEAR), light.resize(size, Image.Resampling.BILINEAR)


def _shade(part: Part, mask: Image.Image, box: tuple[int, int, int, int], edge: int) -> Image.Image:
    """Colour a part: base colour, a directional light profile, rounded-edge darkening and details."""
    s = part.shading
    bbox = mask.getbbox() or (0, 0, *mask.size)
    inner = (bbox[2] - bbox[0], bbox[3] - bbox[1])
    dark_map = Image.new("L", mask.size, 0)
    light_map = Image.new("L", mask.size, 0)
    pd, pl = _profile(s.profile, inner)
    dark_map.paste(pd, bbox[:2])
    light_map.paste(pl, bbox[:2])
    rim = _blur(mask, edge).point(lambda v: round((255 - v) * s.edge_strength))
    dark_map = ImageChops.add(dark_map, rim)
    for name, radius in (("seam", max(1, edge // 12)), ("fold", max(2, edge // 4))):
        if (layer := part.layer(name)) is not None:
            dark_map = ImageChops.add(dark_map, _blur(layer.crop(box), radius))
    if (layer := part.layer("light")) is not None:
        light_map = ImageChops.add(light_map, _blur(layer.crop(box), max(2, edge // 2)))
    # Pasting solid colours through the maps needs one image, not three: memory matters at 2x.
    image = Image.new("RGB", mask.size, part.colour)
    image.paste(_light_of(part.colour, 0.45), (0, 0, *mask.size), light_map)
    image.paste(_shadow_of(part.colour, 0.7), (0, 0, *mask.size), dark_map)
    return image


# A 4x4 Bayer matrix: ordered dithering hides 8-bit banding in the smooth backdrop, repeats
# exactly from run to run, and (unlike random noise) still compresses well in PNG.
_BAYER = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], dtype=np.float32) / 16


def _backdrop(size: tuple[int, int], colour: RGB) -> Image.Image:
    """A seamless studio sweep lightly tinted by the product, brighter behind the product."""
    top = mix((247, 245, 241), colour, 0.05)
    bottom = mix((226, 222, 215), colour, 0.09)
    if luminance(colour) > 0.7:  # keep pale products from melting into the backdrop
        top, bottom = mix(top, (200, 198, 194), 0.25), mix(bottom, (180, 176, 170), 0.3)
    w, h = size
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    x = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    glow = np.clip(1 - np.hypot((x - 0.5) / 0.7, (y - 0.4) / 0.55), 0, 1) ** 1.5 * 0.45
    dither = np.tile(_BAYER, (h // 4 + 1, w // 4 + 1))[:h, :w]
    light = _light_of(top, 0.6)
    channels = []
    for c in range(3):  # one channel at a time keeps the float temporaries small
        sweep = top[c] + (bottom[c] - top[c]) * y
        channels.append(np.clip(np.floor(sweep + (light[c] - sweep) * glow + dither), 0, 255).astype(np.uint8))
    return Image.fromarray(np.dstack(channels), "RGB")


def _floor_shadow(image: Image.Image, product: Image.Image, floor: float, strength: float, lift: float) -> None:
    """A soft contact shadow plus a wider ambient one, centred under the product's footprint."""
    bbox = product.getchannel("A").getbbox()
    if bbox is None:
        return
    w, h = image.size
    cx = (bbox[0] + bbox[2]) / 2
    half = (bbox[2] - bbox[0]) / 2
    y = floor * h
    mask = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(mask)
    spread = 1.0 + lift * 2
    draw.ellipse(
        (cx - half * 0.95 * spread, y - h * 0.03, cx + half * 0.95 * spread, y + h * 0.03), fill=round(70 * strength)
    )
    mask = _blur(mask, h * (0.025 + lift * 0.03))
    if lift < 0.05:
        contact = Image.new("L", image.size, 0)
        ImageDraw.Draw(contact).ellipse(
            (cx - half * 0.85, y - h * 0.008, cx + half * 0.85, y + h * 0.01), fill=round(120 * strength)
        )
        mask = ImageChops.lighter(mask, contact.filter(ImageFilter.GaussianBlur(h * 0.006)))
    tone = _shadow_of(image.getpixel((int(cx), min(int(y), h - 1))), 0.45)
    image.paste(tone, (0, 0, w, h), mask)


# --- apparel --------------------------------------------------------------------------------------


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


# --- home -----------------------------------------------------------------------------------------


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


DRAWINGS: dict[str, tuple[Callable[[Painter], Image.Image], tuple[int, int]]] = {
    "tshirt": (draw_tshirt, PORTRAIT),
    "dress": (draw_dress, PORTRAIT),
    "hoodie": (draw_hoodie, PORTRAIT),
    "trousers": (draw_trousers, PORTRAIT),
    "jacket": (draw_jacket, PORTRAIT),
    "sneakers": (draw_sneakers, SQUARE),
    "boots": (draw_boots, SQUARE),
    "tote": (draw_tote, SQUARE),
    "backpack": (draw_backpack, SQUARE),
    "lamp": (draw_lamp, SQUARE),
    "chair": (draw_chair, SQUARE),
    "mug": (draw_mug, SQUARE),
}


def draw_product_photo(kind: str, colour_rgb: tuple[int, int, int], size: tuple[int, int] | None = None) -> Image.Image:
    """Draw one product photo (RGB); `size` defaults to the kind's natural portrait or square frame."""
    try:
        draw, natural = DRAWINGS[kind]
    except KeyError:
        raise ValueError(f"Unknown product kind {kind!r}; choose one of {', '.join(DRAWINGS)}.") from None
    return draw(Painter(size or natural, tuple(colour_rgb)))  # type: ignore[arg-type]


# --- the demo catalogue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoProduct:
    """One product of the demo shop, with what is needed to draw its photo."""

    name: str
    slug: str
    description: str
    price: Decimal
    category: str
    colour: str
    kind: str
    file_format: str  # "JPEG" or "PNG"

    @property
    def colour_rgb(self) -> RGB:
        return COLOURS[self.colour]

    @property
    def filename(self) -> str:
        return f"{self.slug}.{'jpg' if self.file_format == 'JPEG' else 'png'}"


CATALOGUE: list[DemoProduct] = [
    DemoProduct(
        name="Organic Cotton Tee",
        slug="organic-cotton-tee",
        description="A mid-weight crew-neck T-shirt in organic cotton jersey. Regular fit, ribbed collar.",
        price=Decimal("32.00"),
        category="apparel",
        colour="Sage",
        kind="tshirt",
        file_format="JPEG",
    ),
    DemoProduct(
        name="Linen Midi Dress",
        slug="linen-midi-dress",
        description=(
            "A sleeveless midi dress in washed linen with a fitted bodice and a full skirt. Lined to the waist."
        ),
        price=Decimal("148.00"),
        category="apparel",
        colour="Terracotta",
        kind="dress",
        file_format="JPEG",
    ),
    DemoProduct(
        name="Everyday Hoodie",
        slug="everyday-hoodie",
        description="A brushed-back fleece hoodie with a kangaroo pocket and ribbed cuffs. Warm without bulk.",
        price=Decimal("79.00"),
        category="apparel",
        colour="Heather grey",
        kind="hoodie",
        file_format="JPEG",
    ),
    DemoProduct(
        name="Wide-Leg Trousers",
        slug="wide-leg-trousers",
        description=(
            "High-rise trousers with a wide, straight leg and pressed creases. Cotton twill with a little stretch."
        ),
        price=Decimal("110.00"),
        category="apparel",
        colour="Navy",
        kind="trousers",
        file_format="PNG",
    ),
    DemoProduct(
        name="Chore Jacket",
        slug="chore-jacket",
        description="A boxy workwear jacket in cotton canvas with three patch pockets. It softens with every wash.",
        price=Decimal("165.00"),
        category="apparel",
        colour="Ochre",
        kind="jacket",
        file_format="JPEG",
    ),
    DemoProduct(
        name="Court Sneakers",
        slug="court-sneakers",
        description="Low-top sneakers with a suede upper and a natural rubber cupsole. Cushioned insole.",
        price=Decimal("120.00"),
        category="shoes",
        colour="Cobalt",
        kind="sneakers",
        file_format="PNG",
    ),
    DemoProduct(
        name="Chelsea Boots",
        slug="chelsea-boots",
        description="Ankle boots in waxed leather with elastic side panels and a pull tab. Stitched rubber sole.",
        price=Decimal("210.00"),
        category="shoes",
        colour="Chestnut",
        kind="boots",
        file_format="JPEG",
    ),
    DemoProduct(
        name="Canvas Tote",
        slug="canvas-tote",
        description="A roomy tote in heavy cotton canvas with riveted handles. Fits a laptop and the groceries.",
        price=Decimal("45.00"),
        category="bags",
        colour="Natural",
        kind="tote",
        file_format="PNG",
    ),
    DemoProduct(
        name="Daypack",
        slug="daypack",
        description="A 20-litre backpack in recycled nylon with a padded laptop sleeve and a zipped front pocket.",
        price=Decimal("95.00"),
        category="bags",
        colour="Forest green",
        kind="backpack",
        file_format="JPEG",
    ),
    DemoProduct(
        name="Ceramic Table Lamp",
        slug="ceramic-table-lamp",
        description="A glazed stoneware lamp base with a linen drum shade. Each glaze varies a little.",
        price=Decimal("135.00"),
        category="home",
        colour="Sand",
        kind="lamp",
        file_format="PNG",
    ),
    DemoProduct(
        name="Lounge Armchair",
        slug="lounge-armchair",
        description="A compact armchair with a solid oak base and removable wool-blend covers.",
        price=Decimal("690.00"),
        category="home",
        colour="Moss",
        kind="chair",
        file_format="JPEG",
    ),
    DemoProduct(
        name="Stoneware Mug",
        slug="stoneware-mug",
        description="A 350 ml mug with a glossy glaze and a raw clay foot. Dishwasher safe.",
        price=Decimal("24.00"),
        category="home",
        colour="Cobalt",
        kind="mug",
        file_format="PNG",
    ),
]


def encode_photo(image: Image.Image, file_format: str) -> bytes:
    """Encode a photo the way a shop would upload it; fixed options keep the bytes reproducible."""
    buffer = io.BytesIO()
    if file_format == "JPEG":
        image.save(buffer, "JPEG", quality=88, optimize=True, progressive=True)
    else:
        image.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()


def photo_for(product: DemoProduct) -> bytes:
    """The encoded photo of one catalogue product."""
    return encode_photo(draw_product_photo(product.kind, product.colour_rgb), product.file_format)


def photos_for(products: Sequence[DemoProduct]) -> dict[str, bytes]:
    """Encoded photos by slug, drawn in threads: Pillow releases the GIL, so this scales with cores."""
    if not products:
        return {}
    with ThreadPoolExecutor(max_workers=min(len(products), os.cpu_count() or 1, 4)) as pool:
        return dict(zip((p.slug for p in products), pool.map(photo_for, products), strict=True))
