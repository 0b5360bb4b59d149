"""Reference images: every photo a shop may hold becomes an exact-size reference, or a clear error."""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from sora_products.references import (
    ERROR_CODES,
    ReferenceImage,
    ReferenceImageError,
    build_reference,
    fit_box,
    hash_source,
)
from sora_products.references import build as build_module
from sora_products.references.compose import to_rgb
from sora_products.references.decode import open_photo
from sora_products.references.sources import CHUNK_SIZE
from tests.image_corpus import (
    ANY,
    BACKGROUND,
    MARKER,
    SECOND_MARKER,
    TEST_MAX_PIXELS,
    CorpusImage,
    build_corpus,
    cutout_photo,
    oriented,
    product_photo,
    save,
)

PROVIDER_SIZES = [(720, 1280), (1280, 720), (1024, 1792), (1792, 1024), (1920, 1080), (1080, 1920)]
CORPUS = build_corpus()


def close(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int) -> bool:
    """Channel-wise equality within a tolerance (lossy formats, resampling)."""
    return all(abs(a - b) <= tolerance for a, b in zip(actual, expected, strict=True))


def is_colour(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    """Loose match for the markers, which go through JPEG, WebP, palettes and resampling."""
    return close(pixel[:3], colour, 70)


def target_for(index: int) -> tuple[tuple[int, int], str]:
    """Spread the corpus over every provider size and both output formats."""
    return PROVIDER_SIZES[index % len(PROVIDER_SIZES)], "JPEG" if index % 3 == 2 else "PNG"


def decode_reference(reference: ReferenceImage) -> Image.Image:
    """Open the produced file and check it is what it says it is."""
    image = Image.open(io.BytesIO(reference.content))
    assert image.format == reference.image_format
    image.load()
    return image


def assert_valid_reference(reference: ReferenceImage, size: tuple[int, int], image_format: str) -> Image.Image:
    """Exact size, RGB, right type and name, content hash, and no metadata at all."""
    image = decode_reference(reference)
    assert image.size == size == (reference.width, reference.height) == reference.size
    assert image.mode == "RGB"
    assert reference.image_format == image_format
    assert reference.content_type == {"PNG": "image/png", "JPEG": "image/jpeg"}[image_format]
    assert reference.sha256 == hashlib.sha256(reference.content).hexdigest()
    extension = {"PNG": "png", "JPEG": "jpg"}[image_format]
    assert reference.filename == f"reference-{reference.sha256[:12]}.{extension}"
    leaked = set(image.info) & {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment", "Comment", "Author"}
    assert not leaked, leaked
    assert not image.getexif()
    return image


def in_box(box: tuple[int, int, int, int], fx: float, fy: float) -> tuple[int, int]:
    """A point given as fractions of the product rectangle, in frame coordinates."""
    x, y, width, height = box
    return x + min(width - 1, int(width * fx)), y + min(height - 1, int(height * fy))


def padding_samples(box: tuple[int, int, int, int], size: tuple[int, int]) -> list[tuple[int, int]]:
    """The middle of each padding band, if the product does not fill the frame."""
    x, y, width, height = box
    if width == size[0] and height < size[1] - 1:
        return [(size[0] // 2, y // 2), (size[0] // 2, (y + height + size[1]) // 2)]
    if height == size[1] and width < size[0] - 1:
        return [(x // 2, size[1] // 2), ((x + width + size[0]) // 2, size[1] // 2)]
    return []


def run(item: CorpusImage, size: tuple[int, int], image_format: str) -> ReferenceImage | ReferenceImageError:
    """build_reference on one corpus file; any exception but ReferenceImageError fails the test."""
    try:
        return build_reference(item.data, size, image_format=image_format, max_pixels=TEST_MAX_PIXELS)
    except ReferenceImageError as error:
        return error


@pytest.fixture(scope="module")
def corpus_outcomes() -> dict[str, object]:
    """Run the whole corpus once and share the outcomes with the per-file tests (its time is in bench/)."""
    return {item.name: run(item, *target_for(index)) for index, item in enumerate(CORPUS)}


# --- the corpus --------------------------------------------------------------------------------------


def test_corpus_is_big_varied_and_deterministic():
    names = [item.name for item in CORPUS]
    assert len(names) == len(set(names)), "corpus names must be unique"
    assert len(CORPUS) >= 200
    expectations = {item.expect for item in CORPUS}
    assert {"ok", ANY, "empty", "not_an_image", "corrupt", "too_large_pixels", "decompression_bomb"} <= expectations
    again = build_corpus()
    assert [hashlib.sha256(i.data).digest() for i in again] == [hashlib.sha256(i.data).digest() for i in CORPUS]


@pytest.mark.parametrize("index", range(len(CORPUS)), ids=[item.name for item in CORPUS])
def test_corpus_image(index, corpus_outcomes):
    item = CORPUS[index]
    size, image_format = target_for(index)
    outcome = corpus_outcomes[item.name]
    if isinstance(outcome, ReferenceImageError):
        assert item.expect in (outcome.code, ANY), f"{item.name}: {outcome.code} ({outcome.__cause__!r})"
        assert outcome.code in ERROR_CODES
        assert isinstance(outcome, ValueError)
        message = str(outcome)
        assert message[0].isupper() and message.endswith(".") and "; " in message
        return
    assert item.expect in ("ok", ANY), f"{item.name}: expected {item.expect}, got a reference"
    image = assert_valid_reference(outcome, size, image_format)
    if item.expect == ANY:
        return
    assert outcome.source_size == item.source_size
    box = fit_box(*outcome.source_size, *size)
    tolerance = 12 if image_format == "JPEG" else 8
    for point in padding_samples(box, size) if item.border else []:
        assert close(image.getpixel(point), item.border, tolerance), (point, image.getpixel(point), item.border)
    if item.markers:
        assert is_colour(image.getpixel(in_box(box, 0.14, 0.14)), MARKER)
        assert is_colour(image.getpixel(in_box(box, 0.86, 0.14)), SECOND_MARKER)


def test_animated_files_use_their_first_frame(corpus_outcomes):
    animated = [item for item in CORPUS if "animated" in item.tags]
    assert len(animated) == 3
    for item in animated:
        image = decode_reference(corpus_outcomes[item.name])
        assert close(image.getpixel((2, 2)), BACKGROUND, 8), item.name


def test_corpus_files_work_from_disk_under_lying_names(tmp_path):
    for item in [i for i in CORPUS if "wrong-extension" in i.tags]:
        path = tmp_path / item.name
        path.write_bytes(item.data)
        assert build_reference(path, (720, 1280)).size == (720, 1280)
        assert build_reference(str(path), (720, 1280)).source_size == item.source_size


# --- orientation, transparency, background ------------------------------------------------------------


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_puts_the_marker_top_left(orientation, image_format):
    upright = product_photo((400, 240))
    reference = build_reference(oriented(upright, orientation, image_format), (720, 1280))
    assert reference.source_size == (400, 240)
    image = decode_reference(reference)
    box = fit_box(400, 240, 720, 1280)
    assert is_colour(image.getpixel(in_box(box, 0.14, 0.14)), MARKER)
    assert is_colour(image.getpixel(in_box(box, 0.86, 0.14)), SECOND_MARKER)
    assert close(image.getpixel(in_box(box, 0.14, 0.86)), BACKGROUND, 12)


def test_transparency_is_composited_on_white_not_on_the_hidden_colour():
    reference = build_reference(save(cutout_photo((300, 200), hidden=(0, 0, 0)), "PNG"), (1280, 720))
    image = decode_reference(reference)
    box = fit_box(300, 200, 1280, 720)
    assert image.getpixel((5, 5)) == (255, 255, 255)  # padding: the photo's (white) edge
    assert close(image.getpixel(in_box(box, 0.02, 0.5)), (255, 255, 255), 2)  # transparent, hidden black
    assert close(image.getpixel(in_box(box, 0.5, 0.885)), (127, 127, 255), 3)  # 50 % blue over white
    assert close(image.getpixel(in_box(box, 0.5, 0.5)), (30, 60, 150), 3)  # opaque product


def test_background_matches_a_noisy_border_by_median():
    image = product_photo((600, 400), background=(90, 140, 60))
    noise = Image.effect_noise((600, 400), 40).convert("RGB")
    noisy = Image.blend(image, noise, 0.15)
    data = save(noisy, "JPEG", quality=85)
    border = Image.open(io.BytesIO(data)).convert("RGB").crop((0, 0, 600, 8)).resize((1, 1), Image.Resampling.BOX)
    result = decode_reference(build_reference(data, (720, 1280)))
    assert close(result.getpixel((360, 100)), border.getpixel((0, 0)), 10)
    assert close(result.getpixel((360, 1200)), result.getpixel((360, 100)), 10)


def test_each_padding_band_continues_its_own_edge():
    sweep = Image.new("RGB", (800, 500), (250, 250, 250))
    ImageDraw.Draw(sweep).rectangle((0, 300, 800, 500), fill=(120, 110, 100))  # a floor
    image = decode_reference(build_reference(save(sweep, "PNG"), (720, 1280)))
    assert image.getpixel((360, 10)) == (250, 250, 250)
    assert image.getpixel((360, 1270)) == (120, 110, 100)


def test_sixteen_bit_greys_are_scaled_not_clipped():
    grey = Image.new("I;16", (64, 64), 32768)
    image = decode_reference(build_reference(save(grey, "PNG"), (720, 1280)))
    assert close(image.getpixel((360, 640)), (128, 128, 128), 1)


def test_cmyk_jpegs_keep_their_colours_with_or_without_the_adobe_marker():
    photo = product_photo((300, 200))
    expected = decode_reference(build_reference(save(photo, "PNG"), (720, 1280)))
    for name in ("cmyk-adobe-inverted.jpg", "cmyk-marker-stripped.jpg", "cmyk.tif"):
        item = next(i for i in CORPUS if i.name == name)
        image = decode_reference(build_reference(item.data, (720, 1280)))
        for point in ((5, 5), (360, 640), in_box(fit_box(300, 200, 720, 1280), 0.14, 0.14)):
            assert close(image.getpixel(point), expected.getpixel(point), 12), (name, point)


def test_embedded_colour_profiles_are_applied(monkeypatch):
    from PIL import ImageCms

    calls = []
    original = ImageCms.profileToProfile

    def spy(image, *args, **kwargs):
        calls.append(image.mode)
        return original(image, *args, **kwargs)

    monkeypatch.setattr(ImageCms, "profileToProfile", spy)
    for name in ("metadata.jpg", "icc-rgba.png"):
        item = next(i for i in CORPUS if i.name == name)
        image = decode_reference(build_reference(item.data, (720, 1280)))
        assert close(image.getpixel((5, 5)), item.border, 6)
    assert calls == ["RGB", "RGB"]


def test_metadata_never_reaches_the_output(corpus_outcomes):
    for name in ("metadata.jpg", "metadata.png"):
        item = next(i for i in CORPUS if i.name == name)
        assert b"ShopCam" in item.data
        for image_format in ("PNG", "JPEG"):
            content = build_reference(item.data, (720, 1280), image_format=image_format).content
            for secret in (b"ShopCam", b"Exif", b"secret", b"supplier", b"internal note", b"iCCP", b"ICC_PROFILE"):
                assert secret not in content, (name, image_format, secret)


# --- geometry --------------------------------------------------------------------------------------


def check_fit(src_w: int, src_h: int, dst_w: int, dst_h: int) -> None:
    """The fitting invariants: inside the frame, one side fills it, aspect kept within 1 px, centred."""
    x, y, width, height = fit_box(src_w, src_h, dst_w, dst_h)
    assert 0 <= x and 0 <= y and 1 <= width and 1 <= height
    assert x + width <= dst_w and y + height <= dst_h
    # One side fills the frame and the other is the exact scaled length within 1 px.
    width_binds = width == dst_w and abs(height * src_w - src_h * width) <= src_w
    height_binds = height == dst_h and abs(width * src_h - src_w * height) <= src_h
    assert width_binds or height_binds
    assert abs(x - (dst_w - width - x)) <= 1 and abs(y - (dst_h - height - y)) <= 1
    # Never cropped into: the scale used is min(W/w, H/h), so the other side is no larger than exact.
    scale = min(dst_w / src_w, dst_h / src_h)
    assert width <= src_w * scale + 1 and height <= src_h * scale + 1


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 6000), st.integers(1, 6000), st.sampled_from(PROVIDER_SIZES))
def test_fit_box_properties_for_provider_sizes(src_w, src_h, target):
    check_fit(src_w, src_h, *target)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 10_000), st.integers(1, 10_000), st.integers(1, 8192), st.integers(1, 8192))
def test_fit_box_properties_for_any_sizes(src_w, src_h, dst_w, dst_h):
    check_fit(src_w, src_h, dst_w, dst_h)


def test_fit_box_examples():
    assert fit_box(6000, 4000, 720, 1280) == (0, 400, 720, 480)
    assert fit_box(720, 1280, 720, 1280) == (0, 0, 720, 1280)
    assert fit_box(1, 1, 720, 1280) == (0, 280, 720, 720)
    assert fit_box(6000, 1, 720, 1280) == (0, 639, 720, 1)
    with pytest.raises(ValueError):
        fit_box(0, 10, 720, 1280)


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 80), st.integers(1, 80), st.sampled_from(PROVIDER_SIZES), st.sampled_from(["PNG", "JPEG"]))
def test_any_small_photo_becomes_an_exact_size_reference(width, height, target, image_format):
    data = save(product_photo((width, height)), "PNG")
    assert_valid_reference(build_reference(data, target, image_format=image_format), target, image_format)


# --- draft decoding ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_jpeg() -> bytes:
    """A 6000x4000 JPEG (flat content, so it encodes quickly)."""
    return save(product_photo((6000, 4000)), "JPEG", quality=80)


def test_large_jpeg_is_decoded_at_reduced_scale(big_jpeg):
    photo = open_photo(io.BytesIO(big_jpeg), (720, 1280), 40_000_000)
    assert photo.source_size == (6000, 4000)
    assert photo.box == (0, 400, 720, 480)
    assert photo.image.size == (750, 500)  # 1/8 DCT scaling, still at least the fitted box
    reference = build_reference(big_jpeg, (720, 1280))
    assert reference.source_size == (6000, 4000)
    image = decode_reference(reference)
    assert is_colour(image.getpixel(in_box(photo.box, 0.14, 0.14)), MARKER)


def test_draft_respects_exif_rotation():
    stored = product_photo((4000, 3000)).transpose(Image.Transpose.ROTATE_90)  # upright 4000x3000
    exif = Image.Exif()
    exif[0x0112] = 6
    photo = open_photo(io.BytesIO(save(stored, "JPEG", exif=exif)), (1280, 720), 40_000_000)
    assert photo.source_size == (4000, 3000)
    assert photo.box == (160, 0, 960, 720)
    assert photo.image.size[0] >= 960 and photo.image.size[1] >= 720
    assert photo.image.size[0] < 4000


def test_huge_non_jpeg_photos_are_shrunk_before_conversion(monkeypatch):
    seen = []
    original = build_module.to_rgb

    def spy(image):
        seen.append((image.mode, image.size))
        return original(image)

    monkeypatch.setattr(build_module, "to_rgb", spy)
    data = save(Image.new("I;16", (4400, 3300), 20000), "PNG", compress_level=1)
    image = decode_reference(build_reference(data, (720, 1280)))
    box = fit_box(4400, 3300, 720, 1280)
    assert seen == [("I", (2200, 1650))]  # whole-factor reduce, still >= 3x the box
    assert close(image.getpixel((360, 640)), (78, 78, 78), 1)
    assert box[2] * 3 <= 2200


# --- sources ---------------------------------------------------------------------------------------


class ReadOnlyStream:
    """A stream that can only read, like a socket or a streaming storage body."""

    def __init__(self, data: bytes):
        self._buffer = io.BytesIO(data)
        self.reads: list[int] = []

    def read(self, size: int = -1) -> bytes:
        self.reads.append(size)
        return self._buffer.read(size)


def test_every_kind_of_source(tmp_path):
    from django.core.files import File
    from django.core.files.base import ContentFile

    data = save(product_photo((300, 200)), "JPEG")
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    with path.open("rb") as handle:
        handle.seek(100)
        sources = [data, bytearray(data), memoryview(data), path, str(path), handle, ContentFile(data, "a.jpg")]
        sources += [ReadOnlyStream(data)]
        expected = build_reference(data, (720, 1280)).sha256
        for source in sources:
            assert build_reference(source, (720, 1280)).sha256 == expected, type(source)
        assert handle.tell() == 0  # rewound for the next reader
    django_file = File(path.open("rb"), name=str(path))
    django_file.close()
    assert build_reference(django_file, (720, 1280)).sha256 == expected  # a closed Django file reopens...
    assert django_file.closed  # ...and is closed again, so no file handle leaks
    assert hash_source(django_file) == hashlib.sha256(data).hexdigest()
    assert django_file.closed


def test_django_fieldfile_from_storage(tmp_path):
    from django.core.files.storage import FileSystemStorage
    from django.db.models import FileField
    from django.db.models.fields.files import FieldFile

    data = save(product_photo((300, 200)), "WEBP")
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("products/photo.jpg", io.BytesIO(data))
    field_file = FieldFile(None, FileField(storage=storage), name)
    reference = build_reference(field_file, (1280, 720), image_format="JPEG")
    assert reference.source_size == (300, 200)
    assert field_file.closed
    assert hash_source(field_file) == hashlib.sha256(data).hexdigest()
    with field_file.open("rb"):
        assert build_reference(field_file, (1280, 720), image_format="JPEG").sha256 == reference.sha256
        assert not field_file.closed and field_file.tell() == 0
    missing = FieldFile(None, FileField(storage=storage), "products/gone.jpg")
    with pytest.raises(ReferenceImageError) as caught:
        build_reference(missing, (1280, 720))
    assert caught.value.code == "unreadable"


@pytest.mark.parametrize("kind", ["bytes", "path", "stream", "read-only"])
def test_byte_cap_is_checked_before_decoding(kind, tmp_path):
    data = save(product_photo((300, 200)), "PNG")
    path = tmp_path / "photo.png"
    path.write_bytes(data)
    source = {"bytes": data, "path": path, "stream": io.BytesIO(data), "read-only": ReadOnlyStream(data)}[kind]
    with pytest.raises(ReferenceImageError) as caught:
        build_reference(source, (720, 1280), max_bytes=1000)
    assert caught.value.code == "too_large_bytes"
    assert "MB, above the 0.000954 MB limit; upload a smaller file." in str(caught.value)


def test_empty_sources(tmp_path):
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    for source in (b"", path, io.BytesIO(), ReadOnlyStream(b"")):
        with pytest.raises(ReferenceImageError) as caught:
            build_reference(source, (720, 1280))
        assert caught.value.code == "empty"
        assert str(caught.value) == "The product image file is empty; upload the photo again."


class FailingStream(io.RawIOBase):
    """Storage that dies mid-read."""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return 5000 if whence == io.SEEK_END else 0

    def tell(self) -> int:
        return 0

    def read(self, size: int = -1) -> bytes:
        raise OSError("connection reset by storage")


def test_storage_failures_are_unreadable_not_corrupt(tmp_path):
    for source in (tmp_path / "missing.png", tmp_path, FailingStream()):
        with pytest.raises(ReferenceImageError) as caught:
            build_reference(source, (720, 1280))
        assert caught.value.code == "unreadable"
    with pytest.raises(ReferenceImageError) as caught:
        hash_source(tmp_path / "missing.png")
    assert caught.value.code == "unreadable"


def test_hash_source_streams_in_chunks(tmp_path):
    from django.core.files import File

    data = os.urandom(3 * CHUNK_SIZE + 123)
    digest = hashlib.sha256(data).hexdigest()
    path = tmp_path / "photo.bin"
    path.write_bytes(data)
    stream = ReadOnlyStream(data)
    assert hash_source(stream) == digest
    assert len(stream.reads) >= 4 and max(stream.reads) <= CHUNK_SIZE
    with path.open("rb") as handle:
        handle.read(10)
        assert hash_source(handle) == digest
        assert handle.tell() == 0
    assert hash_source(data) == hash_source(path) == hash_source(str(path)) == digest
    with path.open("rb") as handle:
        assert hash_source(File(handle)) == digest


# --- errors ----------------------------------------------------------------------------------------


def test_pixel_cap_message_names_the_size_and_limit():
    from tests.image_corpus import png_with_header_size

    with pytest.raises(ReferenceImageError) as caught:
        build_reference(png_with_header_size(7000, 7000), (720, 1280))
    error = caught.value
    assert error.code == "too_large_pixels"
    assert str(error) == "The product image is 7000x7000 px, above the 40-megapixel limit; upload a smaller image."
    assert error.params == {"width": 7000, "height": 7000, "limit": "40"}


def test_bomb_message_names_the_declared_size_and_warnings_stay_local():
    from tests.image_corpus import png_with_header_size

    filters_before = list(warnings.filters)
    limit_before = Image.MAX_IMAGE_PIXELS
    for side, code in ((10_000, "decompression_bomb"), (30_000, "decompression_bomb")):
        with pytest.raises(ReferenceImageError) as caught:
            build_reference(png_with_header_size(side, side), (720, 1280), max_pixels=10**9)
        assert caught.value.code == code
        assert f"declares {side * side // 1_000_000} megapixels" in str(caught.value)
    assert warnings.filters == filters_before
    assert Image.MAX_IMAGE_PIXELS == limit_before


def test_byte_cap_message():
    with pytest.raises(ReferenceImageError) as caught:
        build_reference(b"x" * (3 * 1024 * 1024), (720, 1280), max_bytes=2 * 1024 * 1024)
    assert str(caught.value) == "The product image file is 3 MB, above the 2 MB limit; upload a smaller file."
    with pytest.raises(ReferenceImageError) as caught:
        build_reference(b"x" * 65_432_100, (720, 1280))
    assert str(caught.value) == "The product image file is 62.4 MB, above the 50 MB limit; upload a smaller file."


@pytest.mark.parametrize("code", sorted(ERROR_CODES))
def test_every_code_has_a_sentence_and_pickles(code):
    params = {
        "too_large_pixels": {"width": 1, "height": 2, "limit": "40"},
        "too_large_bytes": {"size": "60.0", "limit": "50"},
        "unsupported_mode": {"mode": "XYZ"},
    }.get(code)
    error = ReferenceImageError(code, params=params)
    message = str(error)
    assert message.startswith("The product image") and message.endswith(".") and "; " in message
    assert "%(" not in message
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, str(copy), copy.params) == (code, message, error.params)
    with pytest.raises(ValueError):
        ReferenceImageError("no_such_code")


def test_messages_follow_the_active_language():
    from django.utils import translation

    error = ReferenceImageError("empty")
    with translation.override("ja"):
        assert str(error)  # the catalogue may not translate it yet; it must still render
    with translation.override("en"):
        assert str(error) == "The product image file is empty; upload the photo again."


def test_works_without_django_settings():
    code = (
        "from sora_products.references import build_reference, ReferenceImageError\n"
        "try:\n    build_reference(b'<html>', (720, 1280))\n"
        "except ReferenceImageError as e:\n    print(e.code, '|', e)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=Path(__file__).parent.parent
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("not_an_image | The product image file is not a picture")


class UnconvertibleImage:
    """Stands in for an image in a mode Pillow cannot convert (no real file produces one today)."""

    mode = "XYZ;7"
    info: dict = {}

    def convert(self, mode):
        raise ValueError("conversion not supported")


def test_unconvertible_mode_is_reported_as_such():
    with pytest.raises(ReferenceImageError) as caught:
        to_rgb(UnconvertibleImage())  # type: ignore[arg-type]
    assert caught.value.code == "unsupported_mode"
    assert "(XYZ;7)" in str(caught.value)


@pytest.mark.parametrize(
    ("raised", "code"),
    [(MemoryError(), "too_large_pixels"), (SyntaxError("x"), "corrupt"), (KeyError("x"), "corrupt")],
)
def test_unexpected_failures_inside_decoding_become_codes(monkeypatch, raised, code):
    def explode(*args, **kwargs):
        raise raised

    monkeypatch.setattr(build_module, "open_photo", explode)
    with pytest.raises(ReferenceImageError) as caught:
        build_reference(save(product_photo((10, 10)), "PNG"), (720, 1280))
    assert caught.value.code == code
    assert caught.value.__cause__ is raised


def test_interrupts_are_not_swallowed(monkeypatch):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "open_photo", interrupt)
    with pytest.raises(KeyboardInterrupt):
        build_reference(save(product_photo((10, 10)), "PNG"), (720, 1280))


@pytest.mark.parametrize("size", [(0, 720), (720,), "720x1280", (720.0, 1280), (9000, 720), None, (True, 720)])
def test_bad_sizes_are_caller_errors(size):
    with pytest.raises(ValueError) as caught:
        build_reference(b"anything", size)
    assert not isinstance(caught.value, ReferenceImageError)


def test_formats_and_limits_are_validated():
    data = save(product_photo((30, 20)), "PNG")
    assert build_reference(data, (720, 1280), image_format="jpg").content_type == "image/jpeg"
    assert build_reference(data, (720, 1280), image_format="png").filename.endswith(".png")
    for bad in ({"image_format": "GIF"}, {"max_pixels": 0}, {"max_bytes": -1}):
        with pytest.raises(ValueError) as caught:
            build_reference(data, (720, 1280), **bad)
        assert not isinstance(caught.value, ReferenceImageError)


def test_reference_image_is_frozen_and_uploadable():
    reference = build_reference(save(product_photo((30, 20)), "PNG"), (720, 1280))
    with pytest.raises(AttributeError):
        reference.width = 1  # type: ignore[misc]
    assert reference.as_upload() == (reference.filename, reference.content, "image/png")
    assert "content=" not in repr(reference)
