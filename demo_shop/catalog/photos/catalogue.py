"""The demo shop's catalogue, and how each product's photo is drawn and encoded.

Each kind of product has a drawing (in `garments`, `accessories` and `home`) and a natural frame; a
catalogue entry names its kind and colour, and `photos_for` draws and encodes the photos in threads.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

from PIL import Image

from .accessories import draw_backpack, draw_boots, draw_sneakers, draw_tote
from .garments import draw_dress, draw_hoodie, draw_jacket, draw_trousers, draw_tshirt
from .home import draw_chair, draw_lamp, draw_mug
from .painter import PORTRAIT, RGB, SQUARE, Painter

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
