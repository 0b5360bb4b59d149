"""Reference images: any product photo a shop holds -> an exact-size RGB PNG/JPEG for a video provider.

Providers speaking the OpenAI ``input_reference`` protocol reject a reference whose pixel size differs
from the requested video size, so the photo is fitted whole (never stretched or cropped), centred and
padded with its own edge colour. Pipeline: byte checks -> header pixel check -> frame 0 -> JPEG draft
decode -> EXIF orientation -> 8-bit sRGB, transparency on white -> resize -> pad -> fresh encode.
"""

from .build import DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, ReferenceImage, build_reference
from .decode import ACCEPTED_FORMATS
from .errors import ERROR_CODES, ReferenceImageError
from .geometry import fit_box
from .sources import hash_source

__all__ = [
    "ACCEPTED_FORMATS",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PIXELS",
    "ERROR_CODES",
    "ReferenceImage",
    "ReferenceImageError",
    "build_reference",
    "fit_box",
    "hash_source",
]
