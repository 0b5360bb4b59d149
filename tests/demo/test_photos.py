"""The offline product photos: every kind draws, at the promised size, from the product's colour."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from demo_shop.catalog.photos import CATALOGUE, COLOURS, DRAWINGS, draw_product_photo, encode_photo


def test_catalogue_entries_are_complete_and_unique():
    assert len({p.slug for p in CATALOGUE}) == len(CATALOGUE)
    for product in CATALOGUE:
        assert product.kind in DRAWINGS
        assert product.colour in COLOURS
        assert product.file_format in {"JPEG", "PNG"}
        assert 1 <= product.description.count(".") <= 3
        assert product.price > 0


def test_every_kind_in_the_catalogue_draws_at_least_1200_px(drawn_photos):
    for product in CATALOGUE:
        image = Image.open(io.BytesIO(drawn_photos[product.slug]))
        assert image.mode == "RGB"
        assert max(image.size) >= 1200
        assert image.format == product.file_format


def test_the_product_takes_its_colour_and_the_corners_stay_backdrop():
    red = draw_product_photo("mug", (200, 30, 30))
    blue = draw_product_photo("mug", (30, 30, 200))
    r, g, b = red.getpixel((int(red.width * 0.45), int(red.height * 0.6)))
    assert r > b + 60
    r, g, b = blue.getpixel((int(blue.width * 0.45), int(blue.height * 0.6)))
    assert b > r + 60
    corner = red.getpixel((5, 5))
    assert min(corner) > 200, "the studio backdrop should be light"


def test_drawing_is_deterministic():
    first = encode_photo(draw_product_photo("mug", COLOURS["Cobalt"]), "PNG")
    second = encode_photo(draw_product_photo("mug", COLOURS["Cobalt"]), "PNG")
    assert first == second


def test_size_can_be_chosen():
    assert draw_product_photo("lamp", (120, 120, 120), (1500, 1200)).size == (1500, 1200)


def test_unknown_kind_says_which_kinds_exist():
    with pytest.raises(ValueError, match="tshirt"):
        draw_product_photo("spaceship", (0, 0, 0))
