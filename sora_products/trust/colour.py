"""sRGB to CIELAB (D65) and the CIEDE2000 colour difference, vectorised with numpy, plus colour names.

Written out rather than imported: the formulas are short and fixed (Sharma, Wu and Dalal 2005), and the
libraries that carry them (scikit-image, colour-science) would bring SciPy into every shop's install.
The tests check both against Sharma's published pairs and against scikit-image.
"""

from __future__ import annotations

import numpy as np

WHITE_D65 = np.array([0.95047, 1.0, 1.08883])
SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)

# Names a shop admin and a video model both understand, for the remix prompt that asks for the colour back.
COLOUR_NAMES: dict[str, tuple[int, int, int]] = {
    "black": (20, 20, 22),
    "charcoal": (54, 57, 62),
    "grey": (128, 128, 130),
    "silver": (192, 192, 196),
    "white": (246, 246, 244),
    "ivory": (250, 245, 228),
    "cream": (244, 234, 206),
    "beige": (222, 204, 170),
    "sand": (203, 180, 140),
    "camel": (193, 154, 107),
    "tan": (200, 160, 115),
    "ochre": (204, 119, 34),
    "mustard": (214, 170, 40),
    "yellow": (245, 210, 40),
    "gold": (212, 175, 55),
    "orange": (238, 118, 33),
    "rust": (170, 70, 30),
    "brown": (112, 72, 40),
    "chocolate": (80, 48, 30),
    "red": (200, 30, 40),
    "burgundy": (118, 24, 42),
    "pink": (240, 130, 170),
    "blush": (230, 180, 175),
    "coral": (245, 115, 95),
    "magenta": (200, 40, 150),
    "purple": (110, 50, 150),
    "lavender": (185, 165, 220),
    "navy": (24, 36, 90),
    "blue": (40, 90, 200),
    "sky blue": (120, 180, 230),
    "denim": (70, 100, 140),
    "teal": (20, 125, 125),
    "turquoise": (60, 195, 195),
    "mint": (160, 225, 190),
    "green": (40, 140, 70),
    "olive": (110, 115, 45),
    "khaki": (180, 170, 120),
    "forest green": (30, 80, 45),
}


def srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """8-bit sRGB values (any shape ending in 3) as CIELAB L*, a*, b* under D65."""
    c = np.asarray(rgb, dtype=np.float64) / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = linear @ SRGB_TO_XYZ.T / WHITE_D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def delta_e_2000(lab1: np.ndarray, lab2: np.ndarray) -> np.ndarray:
    """CIEDE2000 between two arrays of CIELAB colours (kL = kC = kH = 1), broadcast like numpy."""
    lab1, lab2 = np.asarray(lab1, dtype=np.float64), np.asarray(lab2, dtype=np.float64)
    L1, a1, b1 = lab1[..., 0], lab1[..., 1], lab1[..., 2]
    L2, a2, b2 = lab2[..., 0], lab2[..., 1], lab2[..., 2]
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25.0**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dL = L2 - L1
    dC = c2p - c1p
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(c1p * c2p == 0, 0.0, dh)
    dH = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh) / 2)
    L_mean = (L1 + L2) / 2
    C_mean = (c1p + c2p) / 2
    h_sum = h1p + h2p
    h_mean = np.where(
        c1p * c2p == 0,
        h_sum,
        np.where(np.abs(h1p - h2p) <= 180, h_sum / 2, np.where(h_sum < 360, (h_sum + 360) / 2, (h_sum - 360) / 2)),
    )
    t = (
        1
        - 0.17 * np.cos(np.radians(h_mean - 30))
        + 0.24 * np.cos(np.radians(2 * h_mean))
        + 0.32 * np.cos(np.radians(3 * h_mean + 6))
        - 0.20 * np.cos(np.radians(4 * h_mean - 63))
    )
    s_l = 1 + 0.015 * (L_mean - 50) ** 2 / np.sqrt(20 + (L_mean - 50) ** 2)
    s_c = 1 + 0.045 * C_mean
    s_h = 1 + 0.015 * C_mean * t
    d_theta = 30 * np.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(C_mean**7 / (C_mean**7 + 25.0**7))
    r_t = -r_c * np.sin(np.radians(2 * d_theta))
    return np.sqrt((dL / s_l) ** 2 + (dC / s_c) ** 2 + (dH / s_h) ** 2 + r_t * (dC / s_c) * (dH / s_h))


_NAMES = list(COLOUR_NAMES)
_NAME_LABS = srgb_to_lab(np.array([COLOUR_NAMES[name] for name in _NAMES]))


def colour_name(lab: np.ndarray) -> str:
    """The nearest plain colour name to a CIELAB colour, by CIEDE2000."""
    return _NAMES[int(np.argmin(delta_e_2000(_NAME_LABS, np.asarray(lab)[None, :])))]


def lab_to_hex(lab: np.ndarray) -> str:
    """A CIELAB colour as #rrggbb, for showing the two colours side by side in the admin."""
    L, a, b = (float(v) for v in lab)
    fy = (L + 16) / 116
    f = np.array([fy + a / 500, fy, fy - b / 200])
    xyz = np.where(f > 6 / 29, f**3, 3 * (6 / 29) ** 2 * (f - 4 / 29)) * WHITE_D65
    linear = np.clip(np.linalg.solve(SRGB_TO_XYZ, xyz), 0, 1)
    c = np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)
    r, g, b8 = (int(round(v * 255)) for v in np.clip(c, 0, 1))
    return f"#{r:02x}{g:02x}{b8:02x}"
