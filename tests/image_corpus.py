"""A deterministic corpus of good, odd and hostile product photos, built with Pillow in a few seconds.

``build_corpus(seed=0)`` returns CorpusImage entries whose ``expect`` is ``"ok"``, an error code of
``sora_products.references`` or ``ANY`` (mutated files: any clean outcome, never a crash). Entries
are meant to be run with ``max_pixels=TEST_MAX_PIXELS``. Reusable by any test that needs photos.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image, ImageCms, ImageDraw

ANY = "any"
"""Expectation for fuzzed files: a valid reference or any ReferenceImageError, nothing else."""

TEST_MAX_PIXELS = 4_000_000
"""The pixel cap the corpus is built against: some real images sit just below it, some just above."""

Colour = tuple[int, int, int]

BACKGROUND: Colour = (228, 233, 240)
PRODUCT: Colour = (30, 60, 150)
MARKER: Colour = (220, 30, 30)
"""Drawn near the top-left corner of the upright photo."""
SECOND_MARKER: Colour = (30, 170, 60)
"""Drawn near the top-right corner, so a transpose cannot pass for the identity."""
WHITE: Colour = (255, 255, 255)


@dataclass(frozen=True)
class CorpusImage:
    """One file a shop might hold, and what build_reference must make of it."""

    name: str
    data: bytes = field(repr=False)
    expect: str
    source_size: tuple[int, int] | None = None
    """Upright (after EXIF) size the reference must report, when known."""
    border: Colour | None = None
    """Colour the padding must (approximately) have, when the photo's border is uniform."""
    markers: bool = False
    """The upright photo carries MARKER top-left and SECOND_MARKER top-right."""
    tags: frozenset[str] = frozenset()


def product_photo(size: tuple[int, int] = (300, 200), background: Colour = BACKGROUND) -> Image.Image:
    """A packshot: plain background, a product in the middle, corner markers inside the border."""
    width, height = size
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    if width >= 20 and height >= 20:
        draw.ellipse((width * 0.3, height * 0.3, width * 0.7, height * 0.75), fill=PRODUCT)
        draw.rectangle((width * 0.06, height * 0.06, width * 0.22, height * 0.22), fill=MARKER)
        draw.rectangle((width * 0.78, height * 0.06, width * 0.94, height * 0.22), fill=SECOND_MARKER)
    return image


def cutout_photo(size: tuple[int, int] = (300, 200), hidden: Colour = (0, 0, 0)) -> Image.Image:
    """An RGBA packshot with a transparent background whose hidden RGB is not white, plus a 50% patch."""
    image = product_photo(size).convert("RGBA")
    alpha = Image.new("L", size, 0)
    draw = ImageDraw.Draw(alpha)
    width, height = size
    draw.ellipse((width * 0.3, height * 0.3, width * 0.7, height * 0.75), fill=255)
    draw.rectangle((width * 0.06, height * 0.06, width * 0.22, height * 0.22), fill=255)
    draw.rectangle((width * 0.78, height * 0.06, width * 0.94, height * 0.22), fill=255)
    draw.rectangle((width * 0.4, height * 0.82, width * 0.6, height * 0.95), fill=128)
    rgb = Image.new("RGB", size, hidden)
    rgb.paste(image.convert("RGB"), mask=alpha.point(lambda v: 255 if v == 255 else 0))
    ImageDraw.Draw(rgb).rectangle((width * 0.4, height * 0.82, width * 0.6, height * 0.95), fill=(0, 0, 255))
    rgb.putalpha(alpha)
    return rgb


def save(image: Image.Image, image_format: str, **params: object) -> bytes:
    """Encode an image to bytes."""
    buffer = io.BytesIO()
    image.save(buffer, image_format, **params)
    return buffer.getvalue()


def _ok(name: str, data: bytes, size: tuple[int, int], border: Colour | None, **extra: object) -> CorpusImage:
    return CorpusImage(name, data, "ok", source_size=size, border=border, **extra)  # type: ignore[arg-type]


# --- valid files in every format and mode --------------------------------------------------------


def _jpeg_cmyk_marker_stripped(image: Image.Image) -> bytes:
    """An Adobe (inverted) CMYK JPEG whose APP14 marker a metadata stripper removed (exiftool -all=).

    Pillow reads every CMYK JPEG as Adobe-inverted, which is right for these files too.
    """
    return strip_jpeg_segment(save(image.convert("CMYK"), "JPEG", quality=95), 0xEE)


def strip_jpeg_segment(data: bytes, marker: int) -> bytes:
    """Remove every APPn/COM segment with this marker byte from a JPEG's header."""
    out, pos = bytearray(data[:2]), 2
    while pos + 4 <= len(data) and data[pos] == 0xFF and data[pos + 1] not in (0xDA, 0xD9):
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if data[pos + 1] != marker:
            out += data[pos : pos + 2 + length]
        pos += 2 + length
    return bytes(out + data[pos:])


def _palette_with_transparency(photo: Image.Image) -> bytes:
    """A palette PNG whose background index is transparent (tRNS)."""
    paletted = photo.quantize(colors=16)
    corner = paletted.getpixel((0, 0))
    return save(paletted, "PNG", transparency=corner)


def _sixteen_bit(photo: Image.Image, image_format: str) -> bytes:
    """A 16-bit greyscale file whose values use the full 0..65535 range."""
    grey = photo.convert("L").convert("I").point(lambda v: v * 257)
    return save(grey.convert("I;16") if image_format == "PNG" else grey, image_format)


def _float_tiff(photo: Image.Image) -> bytes:
    """A 32-bit float TIFF with values in 0..1, as scientific and HDR tools write them."""
    return save(photo.convert("L").convert("F").point(lambda v: v / 255.0), "TIFF")


def srgb_icc() -> bytes:
    """An sRGB ICC profile with its creation date and ID zeroed, so the corpus is byte-identical each run."""
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    icc[24:36] = bytes(12)
    icc[84:100] = bytes(16)
    return bytes(icc)


def _lab_tiff(photo: Image.Image) -> bytes:
    """A CIELAB TIFF; the Lab profile Pillow attaches is dropped, as it carries a timestamp."""
    lab = photo.convert("LAB")
    lab.info.pop("icc_profile", None)
    return save(lab, "TIFF")


def _metadata_jpeg(photo: Image.Image) -> bytes:
    """A JPEG carrying EXIF with GPS, an ICC profile, XMP and a comment: none may reach the provider."""
    exif = Image.Exif()
    exif[0x010F] = "ShopCam"  # Make
    exif.get_ifd(0x8825)[2] = (35.0, 39.0, 31.0)  # GPSLatitude
    icc = srgb_icc()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">secret</x:xmpmeta>'
    return save(photo, "JPEG", exif=exif, icc_profile=icc, xmp=xmp, comment=b"internal note")


def _metadata_png(photo: Image.Image) -> bytes:
    """A PNG carrying text chunks, an ICC profile and EXIF."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "supplier price 3.20")
    info.add_itxt("Author", "Someone", zip=True)
    icc = srgb_icc()
    exif = Image.Exif()
    exif[0x010F] = "ShopCam"
    return save(photo, "PNG", pnginfo=info, icc_profile=icc, exif=exif)


def _animated(image_format: str, size: tuple[int, int]) -> bytes:
    """Two very different frames: only the first one may end up in the reference."""
    first = product_photo(size)
    second = product_photo(size, background=(20, 20, 20))
    params: dict[str, object] = {"save_all": True, "append_images": [second], "duration": 100, "loop": 0}
    if image_format == "WEBP":
        params["lossless"] = True
    return save(first, image_format, **params)


def format_variants() -> list[CorpusImage]:
    """Every format and mode a shop's photos come in, each with a uniform, known border."""
    size = (300, 200)
    photo = product_photo(size)
    level = photo.convert("L").getpixel((0, 0))
    grey = (level, level, level)  # BACKGROUND in L
    items = [
        _ok("rgb.jpg", save(photo, "JPEG", quality=92), size, BACKGROUND, markers=True),
        _ok("progressive.jpg", save(photo, "JPEG", progressive=True), size, BACKGROUND, markers=True),
        _ok("optimized-444.jpg", save(photo, "JPEG", optimize=True, subsampling=0), size, BACKGROUND),
        _ok("grey.jpg", save(photo.convert("L"), "JPEG"), size, grey),
        _ok("cmyk-adobe-inverted.jpg", save(photo.convert("CMYK"), "JPEG", quality=95), size, BACKGROUND),
        _ok("cmyk-marker-stripped.jpg", _jpeg_cmyk_marker_stripped(photo), size, BACKGROUND),
        _ok("mpo.jpg", save(photo, "MPO", save_all=True, append_images=[photo]), size, BACKGROUND),
        _ok("metadata.jpg", _metadata_jpeg(photo), size, BACKGROUND, tags=frozenset({"metadata"})),
        _ok("broken-icc.jpg", save(photo, "JPEG", icc_profile=b"not a profile" * 20), size, BACKGROUND),
        _ok("broken-icc.png", save(cutout_photo(size), "PNG", icc_profile=bytes(300)), size, WHITE),
        _ok("icc-rgba.png", save(cutout_photo(size), "PNG", icc_profile=srgb_icc()), size, WHITE),
        _ok("rgb.png", save(photo, "PNG"), size, BACKGROUND, markers=True),
        _ok("metadata.png", _metadata_png(photo), size, BACKGROUND, tags=frozenset({"metadata"})),
        _ok("grey.png", save(photo.convert("L"), "PNG"), size, grey),
        _ok("one-bit.png", save(photo.convert("1", dither=Image.Dither.NONE), "PNG"), size, WHITE),
        _ok("palette.png", save(photo.quantize(colors=16), "PNG"), size, BACKGROUND),
        _ok("palette-trns.png", _palette_with_transparency(photo), size, WHITE),
        _ok("rgb-trns.png", save(photo, "PNG", transparency=BACKGROUND), size, WHITE),
        _ok("grey-trns.png", save(photo.convert("L"), "PNG", transparency=level), size, WHITE),
        _ok("la.png", save(cutout_photo(size).convert("LA"), "PNG"), size, WHITE),
        _ok("rgba.png", save(cutout_photo(size), "PNG"), size, WHITE, tags=frozenset({"cutout"})),
        _ok("sixteen-bit.png", _sixteen_bit(photo, "PNG"), size, grey),
        _ok("apng.png", _animated("PNG", size), size, BACKGROUND, tags=frozenset({"animated"})),
        _ok("lossy.webp", save(photo, "WEBP", quality=90), size, BACKGROUND, markers=True),
        _ok("lossless.webp", save(photo, "WEBP", lossless=True), size, BACKGROUND),
        _ok("alpha.webp", save(cutout_photo(size), "WEBP", lossless=True), size, WHITE),
        _ok("animated.webp", _animated("WEBP", size), size, BACKGROUND, tags=frozenset({"animated"})),
        _ok("still.gif", save(photo, "GIF"), size, BACKGROUND),
        _ok("transparent.gif", save(photo, "GIF", transparency=0), size, None),
        _ok("animated.gif", _animated("GIF", size), size, BACKGROUND, tags=frozenset({"animated"})),
        _ok("raw.tif", save(photo, "TIFF"), size, BACKGROUND, markers=True),
        _ok("lzw.tif", save(photo, "TIFF", compression="tiff_lzw"), size, BACKGROUND),
        _ok("jpeg.tif", save(photo, "TIFF", compression="jpeg"), size, BACKGROUND),
        _ok("deflate.tif", save(photo, "TIFF", compression="tiff_adobe_deflate"), size, BACKGROUND),
        _ok("cmyk.tif", save(photo.convert("CMYK"), "TIFF"), size, BACKGROUND),
        _ok("sixteen-bit.tif", _sixteen_bit(photo, "TIFF"), size, grey),
        _ok("float.tif", _float_tiff(photo), size, grey),
        _ok("lab.tif", _lab_tiff(photo), size, BACKGROUND),
        _ok("one-bit-g4.tif", save(photo.convert("1"), "TIFF", compression="group4"), size, None),
        _ok("rgba.tif", save(cutout_photo(size), "TIFF"), size, WHITE),
        _ok("multipage.tif", save(photo, "TIFF", save_all=True, append_images=[photo.rotate(90)]), size, None),
        _ok("rgb.bmp", save(photo, "BMP"), size, BACKGROUND, markers=True),
        _ok("palette.bmp", save(photo.quantize(colors=200), "BMP"), size, BACKGROUND),
        _ok("one-bit.bmp", save(photo.convert("1"), "BMP"), size, None),
    ]
    return items


# --- EXIF orientation --------------------------------------------------------------------------------

# The transform that turns an upright picture into what a camera stores for each orientation tag
# (the inverse of what exif_transpose applies).
STORED_FOR_ORIENTATION: dict[int, Callable[[Image.Image], Image.Image]] = {
    1: lambda im: im,
    2: lambda im: im.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
    3: lambda im: im.transpose(Image.Transpose.ROTATE_180),
    4: lambda im: im.transpose(Image.Transpose.FLIP_TOP_BOTTOM),
    5: lambda im: im.transpose(Image.Transpose.TRANSPOSE),
    6: lambda im: im.transpose(Image.Transpose.ROTATE_90),
    7: lambda im: im.transpose(Image.Transpose.TRANSVERSE),
    8: lambda im: im.transpose(Image.Transpose.ROTATE_270),
}


def oriented(upright: Image.Image, orientation: int, image_format: str) -> bytes:
    """The file a camera writes for an upright scene held at this orientation."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored = STORED_FOR_ORIENTATION[orientation](upright)
    params: dict[str, object] = {"exif": exif}
    if image_format == "JPEG":
        params["quality"] = 92
    return save(stored, image_format, **params)


def orientation_variants() -> list[CorpusImage]:
    """EXIF orientations 1..8 in JPEG and PNG, two in WebP, and broken orientation values."""
    size = (320, 200)
    upright = product_photo(size)
    items = []
    for image_format, extension in (("JPEG", "jpg"), ("PNG", "png")):
        for orientation in range(1, 9):
            data = oriented(upright, orientation, image_format)
            name = f"orientation-{orientation}.{extension}"
            items.append(_ok(name, data, size, BACKGROUND, markers=True, tags=frozenset({"orientation"})))
    for orientation in (6, 8):
        data = oriented(upright, orientation, "WEBP")
        name = f"orientation-{orientation}.webp"
        items.append(_ok(name, data, size, BACKGROUND, markers=True, tags=frozenset({"orientation"})))
    for value in (0, 9, 65535):
        exif = Image.Exif()
        exif[0x0112] = value
        data = save(upright, "JPEG", exif=exif)
        items.append(_ok(f"orientation-bogus-{value}.jpg", data, size, BACKGROUND, markers=True))
    return items


# --- sizes, aspect ratios and border colours --------------------------------------------------------


def size_variants() -> list[CorpusImage]:
    """Tiny, thin, extreme, exact-fit and large-but-allowed photos."""
    items = []
    plain = (
        ((1, 1), "PNG"),
        ((1, 1), "JPEG"),
        ((1, 1), "GIF"),
        ((2, 2), "BMP"),
        ((2, 300), "PNG"),
        ((300, 2), "PNG"),
        ((3, 7), "WEBP"),
        ((5000, 50), "JPEG"),
        ((50, 5000), "PNG"),
        ((6000, 3), "PNG"),
        ((4000, 40), "WEBP"),
    )
    for size, image_format in plain:
        colour = (180, 120, 60)
        data = save(Image.new("RGB", size, colour), image_format)
        name = f"tiny-{size[0]}x{size[1]}.{image_format.lower()}"
        items.append(_ok(name, data, size, colour if image_format != "GIF" else None))
    for size in ((720, 1280), (1280, 720), (1920, 1080), (1024, 1792)):
        data = save(product_photo(size), "JPEG", quality=90)
        items.append(_ok(f"exact-{size[0]}x{size[1]}.jpg", data, size, None, markers=True))
    big = product_photo((2400, 1600))
    items.append(_ok("large-allowed.jpg", save(big, "JPEG", quality=90), (2400, 1600), BACKGROUND, markers=True))
    items.append(_ok("large-allowed.png", save(big.resize((1600, 2400)), "PNG", compress_level=1), (1600, 2400), None))
    return items


def colour_variants(rng: random.Random, count: int = 24) -> list[CorpusImage]:
    """Random sizes and background colours, to check the padding takes the photo's border colour."""
    items = []
    formats = ("JPEG", "PNG", "WEBP", "BMP")
    for index in range(count):
        size = (rng.randint(40, 900), rng.randint(40, 900))
        background = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        image_format = formats[index % len(formats)]
        params = {"quality": 95} if image_format in ("JPEG", "WEBP") else {}
        data = save(product_photo(size, background), image_format, **params)
        name = f"colour-{index:02d}.{image_format.lower()}"
        items.append(_ok(name, data, size, background, markers=min(size) >= 100))
    return items


def wrong_extensions() -> list[CorpusImage]:
    """File names that lie about the format: content decides."""
    photo = product_photo((240, 160))
    pairs = (
        ("jpeg-named.png", "JPEG"),
        ("png-named.jpg", "PNG"),
        ("webp-named.gif", "WEBP"),
        ("bmp-named.webp", "BMP"),
        ("gif-named.jpeg", "GIF"),
        ("tiff-named.bmp", "TIFF"),
        ("no-extension", "PNG"),
        ("photo.txt", "JPEG"),
    )
    return [_ok(name, save(photo, fmt), (240, 160), None, tags=frozenset({"wrong-extension"})) for name, fmt in pairs]


# --- things that are not (acceptable) images ------------------------------------------------------


def _random_bytes(rng: random.Random, length: int) -> bytes:
    """Noise whose first byte cannot start any image signature."""
    data = bytearray(rng.randbytes(length))
    data[0] = rng.choice([0x00, 0x11, 0x7A, 0xC3])
    return bytes(data)


def not_images(rng: random.Random) -> list[CorpusImage]:
    """Empty, noise, text, documents and image formats we deliberately do not open."""
    photo = product_photo((64, 48))
    items = [
        CorpusImage("empty.jpg", b"", "empty"),
        CorpusImage("one-byte.png", b"\x89", "not_an_image"),
        CorpusImage("space.png", b" ", "not_an_image"),
        CorpusImage("newlines.jpg", b"\n\n\n\n", "not_an_image"),
    ]
    for index, length in enumerate((3, 16, 100, 1000, 4096, 20000, 65536, 7, 512, 2048)):
        items.append(CorpusImage(f"noise-{index}.jpg", _random_bytes(rng, length), "not_an_image"))
    texts = {
        "error-page.png": b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>",
        "login.jpg": b"<html><head><title>Sign in</title></head><body><form></form></body></html>",
        "api.webp": b'{"error": {"message": "Not found", "code": 404}}',
        "readme.png": b"This is not an image.\n" * 20,
        "vector.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>',
        "catalogue.pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
        "archive.zip": b"PK\x03\x04" + b"\x00" * 60,
        "clip.mp4": b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 40,
        "iphone.heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 40,
        "utf16.txt": "<html>テスト</html>".encode("utf-16"),
    }
    items += [CorpusImage(name, data, "not_an_image") for name, data in texts.items()]
    # Real images in formats Pillow reads but we refuse to try (EPS would even run Ghostscript).
    refused = {
        "netpbm.ppm": save(photo, "PPM"),
        "targa.tga": save(photo, "TGA"),
        "pcx.pcx": save(photo, "PCX"),
        "icon.ico": save(photo, "ICO"),
        "jpeg2000.jp2": save(photo, "JPEG2000"),
        "avif.avif": save(photo, "AVIF"),
        "sgi.sgi": save(photo, "SGI"),
        "eps.eps": b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n",
    }
    items += [CorpusImage(name, data, "not_an_image") for name, data in refused.items()]
    return items


def truncations() -> list[CorpusImage]:
    """Valid files cut short at fixed points inside the header and the pixel data."""
    photo = product_photo((160, 120))
    bases = {
        "jpg": save(photo, "JPEG"),
        "progressive.jpg": save(photo, "JPEG", progressive=True),
        "png": save(photo, "PNG"),
        "rgba.png": save(cutout_photo((160, 120)), "PNG"),
        "gif": save(photo, "GIF"),
        "webp": save(photo, "WEBP"),
        "tif": save(photo, "TIFF"),
        "bmp": save(photo, "BMP"),
    }
    items = []
    for extension, data in bases.items():
        cuts = {4, 12, 40, len(data) // 10, len(data) // 3, len(data) // 2, len(data) * 3 // 4, len(data) - 30}
        for cut in sorted(cuts):
            items.append(CorpusImage(f"truncated-{cut}.{extension}", data[:cut], "corrupt"))
    return items


# --- decompression bombs and oversized images --------------------------------------------------------


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    """One PNG chunk with its CRC."""
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_with_header_size(width: int, height: int) -> bytes:
    """A tiny PNG whose IHDR claims another size (CRC fixed), built without allocating the pixels."""
    data = bytearray(save(Image.new("RGB", (1, 1), (1, 2, 3)), "PNG"))
    ihdr = bytes(data[12:16]) + struct.pack(">II", width, height) + bytes(data[24:29])
    data[8:33] = struct.pack(">I", 13) + ihdr + struct.pack(">I", zlib.crc32(ihdr))
    return bytes(data)


def zlib_bomb_png(width: int, height: int) -> bytes:
    """A real, valid black greyscale PNG that is tiny on disk and huge once decoded."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + pixels
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", body) + png_chunk(b"IEND", b"")


def gif_with_header_size(width: int, height: int) -> bytes:
    """A tiny GIF whose screen and frame descriptors claim another size."""
    data = bytearray(save(Image.new("P", (1, 1)), "GIF"))
    data[6:10] = struct.pack("<HH", width, height)
    descriptor = data.index(b"\x2c", 13)
    data[descriptor + 5 : descriptor + 9] = struct.pack("<HH", width, height)
    return bytes(data)


def tiff_with_header_size(width: int, height: int) -> bytes:
    """A tiny little-endian TIFF whose ImageWidth/ImageLength tags claim another size."""
    data = bytearray(save(Image.new("L", (1, 1)), "TIFF"))
    ifd = struct.unpack("<I", data[4:8])[0]
    for index in range(struct.unpack("<H", data[ifd : ifd + 2])[0]):
        entry = ifd + 2 + 12 * index
        tag, kind = struct.unpack("<HH", data[entry : entry + 4])
        if tag in (256, 257):
            value = width if tag == 256 else height
            packed = struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
            data[entry + 8 : entry + 12] = packed
    return bytes(data)


def jpeg_with_header_size(width: int, height: int) -> bytes:
    """A tiny JPEG whose SOF0 frame header claims another size."""
    data = bytearray(save(Image.new("RGB", (8, 8)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def bmp_with_header_size(width: int, height: int) -> bytes:
    """A tiny BMP whose info header claims another size."""
    data = bytearray(save(Image.new("RGB", (1, 1)), "BMP"))
    data[18:26] = struct.pack("<ii", width, height)
    return bytes(data)


def oversized() -> list[CorpusImage]:
    """Headers claiming 10k and 30k squares, a real zlib bomb and a real photo just over the cap."""
    crafted = {
        "png": png_with_header_size,
        "gif": gif_with_header_size,
        "tif": tiff_with_header_size,
        "jpg": jpeg_with_header_size,
        "bmp": bmp_with_header_size,
    }
    items = []
    for extension, craft in crafted.items():
        for side in (10_000, 30_000):
            items.append(CorpusImage(f"bomb-{side}.{extension}", craft(side, side), "decompression_bomb"))
        items.append(CorpusImage(f"over-cap-7000.{extension}", craft(7000, 7000), "too_large_pixels"))
    items.append(CorpusImage("bomb-65535x65535.png", png_with_header_size(65535, 65535), "decompression_bomb"))
    items.append(CorpusImage("zlib-bomb-6000.png", zlib_bomb_png(6000, 6000), "too_large_pixels"))
    over = save(product_photo((2500, 1700)), "JPEG", quality=85)
    items.append(CorpusImage("over-cap-real.jpg", over, "too_large_pixels"))
    return items


# --- mutations --------------------------------------------------------------------------------------


def mutate(data: bytes, rng: random.Random) -> bytes:
    """Flip a few bytes, or splice the file with itself: the shapes storage and transfer damage takes."""
    buffer = bytearray(data)
    kind = rng.random()
    if kind < 0.7:
        for _ in range(rng.randint(1, 8)):
            buffer[rng.randrange(len(buffer))] ^= 1 << rng.randrange(8)
    elif kind < 0.85:
        start = rng.randrange(len(buffer))
        buffer[start : start + rng.randint(1, 64)] = rng.randbytes(rng.randint(0, 64))
    else:
        start, end = sorted(rng.randrange(len(buffer)) for _ in range(2))
        buffer = buffer[:start] + buffer[end:] + buffer[start:end]
    return bytes(buffer)


def mutations(rng: random.Random, per_base: int = 9) -> list[CorpusImage]:
    """Fixed-seed damaged copies of valid files in every format; any clean outcome is fine."""
    photo = product_photo((96, 64))
    bases = {
        "jpg": save(photo, "JPEG"),
        "progressive.jpg": save(photo, "JPEG", progressive=True),
        "cmyk.jpg": save(photo.convert("CMYK"), "JPEG"),
        "png": save(photo, "PNG"),
        "trns.png": _palette_with_transparency(photo),
        "i16.png": _sixteen_bit(photo, "PNG"),
        "gif": _animated("GIF", (96, 64)),
        "webp": save(photo, "WEBP"),
        "animated.webp": _animated("WEBP", (96, 64)),
        "tif": save(photo, "TIFF", compression="tiff_lzw"),
        "bmp": save(photo, "BMP"),
        "exif.jpg": oriented(photo, 6, "JPEG"),
    }
    items = []
    for extension, data in bases.items():
        for index in range(per_base):
            items.append(CorpusImage(f"mutated-{index}.{extension}", mutate(data, rng), ANY))
    return items


def build_corpus(seed: int = 0) -> list[CorpusImage]:
    """All corpus images, deterministic for a given seed."""
    rng = random.Random(seed)
    return [
        *format_variants(),
        *orientation_variants(),
        *size_variants(),
        *colour_variants(rng),
        *wrong_extensions(),
        *not_images(rng),
        *truncations(),
        *oversized(),
        *mutations(rng),
    ]
