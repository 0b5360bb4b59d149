"""The colour maths the fidelity check stands on: CIELAB and CIEDE2000 as published, and plain colour names."""

from __future__ import annotations

import numpy as np
import pytest

from sora_products.trust.colour import colour_name, delta_e_2000, lab_to_hex, srgb_to_lab

# Pairs from Sharma, Wu and Dalal (2005), "The CIEDE2000 colour-difference formula", table 1.
SHARMA_PAIRS = [
    ((50.0000, 2.6772, -79.7751), (50.0000, 0.0000, -82.7485), 2.0425),
    ((50.0000, 3.1571, -77.2803), (50.0000, 0.0000, -82.7485), 2.8615),
    ((50.0000, 0.0000, 0.0000), (50.0000, -1.0000, 2.0000), 2.3669),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0009), 7.1792),
    ((50.0000, 2.5000, 0.0000), (73.0000, 25.0000, -18.0000), 27.1492),
    ((50.0000, 2.5000, 0.0000), (56.0000, -27.0000, -3.0000), 31.9030),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
]


@pytest.mark.parametrize(("first", "second", "expected"), SHARMA_PAIRS)
def test_ciede2000_gives_the_published_differences(first, second, expected):
    assert float(delta_e_2000(np.array(first), np.array(second))) == pytest.approx(expected, abs=1e-4)
    assert float(delta_e_2000(np.array(second), np.array(first))) == pytest.approx(expected, abs=1e-4)


def test_lab_and_ciede2000_agree_with_scikit_image_on_random_colours():
    color = pytest.importorskip("skimage.color")
    rng = np.random.default_rng(7)
    first, second = rng.integers(0, 256, (2, 2000, 3))
    lab1, lab2 = color.rgb2lab(first[None] / 255.0)[0], color.rgb2lab(second[None] / 255.0)[0]
    assert np.abs(srgb_to_lab(first) - lab1).max() < 0.01
    assert np.abs(delta_e_2000(lab1, lab2) - color.deltaE_ciede2000(lab1, lab2)).max() < 1e-6


def test_colours_get_the_names_a_shop_would_use_and_round_trip_to_hex():
    assert colour_name(srgb_to_lab(np.array([204, 119, 34]))) == "ochre"
    assert colour_name(srgb_to_lab(np.array([22, 35, 92]))) == "navy"
    assert colour_name(srgb_to_lab(np.array([250, 250, 248]))) == "white"
    assert lab_to_hex(srgb_to_lab(np.array([204, 119, 34]))) == "#cc7722"
