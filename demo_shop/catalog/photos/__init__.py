"""Studio-style product photos drawn offline with Pillow, so the demo shop needs no image downloads.

Each kind of product is a small drawing function working in fractions of the canvas; a shared painter
adds a soft gradient backdrop, a floor shadow and simple form shading, draws at 2x and downsamples.
The drawings are deterministic: the same kind, colour and size give the same pixels every run.

- `painter`: colour and outline helpers, shading presets, `Painter`/`Part`, backdrop and floor shadow.
- `garments`, `accessories` (shoes and bags), `home`: one drawing function per kind of product.
- `catalogue`: the demo products, the kind-to-drawing table, and drawing and encoding their photos.

Every name is re-exported here, so ``from demo_shop.catalog.photos import ...`` works as it always has.
"""

from .accessories import draw_backpack, draw_boots, draw_sneakers, draw_tote
from .catalogue import (
    CATALOGUE,
    COLOURS,
    DRAWINGS,
    DemoProduct,
    draw_product_photo,
    encode_photo,
    photo_for,
    photos_for,
)
from .garments import draw_dress, draw_hoodie, draw_jacket, draw_trousers, draw_tshirt
from .home import draw_chair, draw_lamp, draw_mug
from .painter import (
    BRASS,
    DARK_SOLE,
    FABRIC,
    FLAT,
    GLOSSY,
    LINEN,
    MATTE_ROUND,
    PORTRAIT,
    RGB,
    RUBBER,
    SCALE,
    SOFT,
    SQUARE,
    WHITE,
    WOOD,
    Painter,
    Part,
    Path,
    Point,
    Shading,
    bezier,
    luminance,
    mirrored,
    mix,
)

__all__ = [
    "BRASS",
    "CATALOGUE",
    "COLOURS",
    "DARK_SOLE",
    "DRAWINGS",
    "FABRIC",
    "FLAT",
    "GLOSSY",
    "LINEN",
    "MATTE_ROUND",
    "PORTRAIT",
    "RGB",
    "RUBBER",
    "SCALE",
    "SOFT",
    "SQUARE",
    "WHITE",
    "WOOD",
    "DemoProduct",
    "Painter",
    "Part",
    "Path",
    "Point",
    "Shading",
    "bezier",
    "draw_backpack",
    "draw_boots",
    "draw_chair",
    "draw_dress",
    "draw_hoodie",
    "draw_jacket",
    "draw_lamp",
    "draw_mug",
    "draw_product_photo",
    "draw_sneakers",
    "draw_tote",
    "draw_trousers",
    "draw_tshirt",
    "encode_photo",
    "luminance",
    "mirrored",
    "mix",
    "photo_for",
    "photos_for",
]
