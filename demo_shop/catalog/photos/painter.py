"""The shared painter behind the demo shop's product photos: colours, outlines, shading and the studio.

Drawings work in fractions of the canvas. A `Painter` composes shaded `Part`s at 2x on a transparent
layer, then downsamples them onto a soft gradient backdrop with a floor shadow. Everything here is
deterministic: the same drawing, colour and size give the same pixels every run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

RGB = tuple[int, int, int]
Point = tuple[float, float]

SCALE = 2
PORTRAIT: tuple[int, int] = (1200, 1500)
SQUARE: tuple[int, int] = (1400, 1400)

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
