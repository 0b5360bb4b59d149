"""The fal image-to-video endpoints the emulator serves, and how each one validates its input.

Field names, choices and defaults follow the reference's B.6 table (fal-js ``endpoints.ts``); a bad field is a 422
whose ``loc`` names it, in pydantic's words, as fal's apps answer. Unknown extra fields are ignored, as there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .fal_errors import FalError, field_error, invalid_input

SHORT_SIDE = {"480p": 480, "720p": 720, "1080p": 1080}
SEEDANCE_RATIOS = ("21:9", "16:9", "4:3", "1:1", "3:4", "9:16")
FOLLOW_RATIOS = ("9:16", "16:9", "1:1")  # when the ratio follows the image
MB = 1024 * 1024


@dataclass(frozen=True)
class Durations:
    """Either literal choices (strings on the wire, mapped to seconds) or an integer range."""

    default: Any
    choices: dict[str, int] | None = None
    low: int = 0
    high: int = 0

    def seconds(self, value: Any, errors: list[dict[str, Any]]) -> int:
        """The clip length for this value, or 0 with an error appended."""
        if self.choices is not None:
            if isinstance(value, str) and value in self.choices:
                return self.choices[value]
            errors.append(literal_error("duration", value, list(self.choices)))
            return 0
        number = integer("duration", value, errors)
        if number is None:
            return 0
        if number < self.low:
            errors.append(bound_error("duration", value, "greater_than_equal", "ge", self.low))
        elif number > self.high:
            errors.append(bound_error("duration", value, "less_than_equal", "le", self.high))
        else:
            return number
        return 0


@dataclass(frozen=True)
class FalModel:
    """One endpoint: where its image goes, which ratios, durations and resolutions it takes, what it returns."""

    endpoint: str
    image_field: str
    durations: Durations
    ratios: tuple[str, ...] = ()  # accepted aspect_ratio values besides "auto"; empty: no such field
    auto_ratios: tuple[str, ...] = FOLLOW_RATIOS  # candidates when the ratio follows the image
    resolutions: tuple[str, ...] = ()  # empty: no such field, the clip is made at fixed_resolution
    default_resolution: str = "720p"
    audio_flag: bool = True
    prompt_required: bool = True
    seed_in_output: bool = False
    frame_facts_in_output: bool = False  # Wan's video object also has width, height, fps, duration
    min_image_side: int = 0
    max_image_bytes: int = 30 * MB


@dataclass
class FalInput:
    """A validated request: what to render and what to echo in the output."""

    model: FalModel
    prompt: str
    image_url: str
    seconds: int
    resolution: str
    aspect_ratio: str  # "auto" or a ratio; "auto" is settled from the image
    seed: int | None = None
    extras: dict[str, Any] = field(default_factory=dict)


def _veo(endpoint: str) -> FalModel:
    """Veo 3.1 and Veo 3.1 Fast take the same input (the price differs)."""
    return FalModel(
        endpoint,
        image_field="image_url",
        durations=Durations("8s", {"4s": 4, "6s": 6, "8s": 8}),
        ratios=("16:9", "9:16"),
        auto_ratios=("16:9", "9:16"),
        resolutions=("720p", "1080p"),
        min_image_side=720,
        max_image_bytes=8 * MB,
    )


MODELS: dict[str, FalModel] = {
    model.endpoint: model
    for model in (
        _veo("fal-ai/veo3.1/image-to-video"),
        _veo("fal-ai/veo3.1/fast/image-to-video"),
        FalModel(
            "fal-ai/kling-video/v3/pro/image-to-video",
            image_field="start_image_url",
            durations=Durations("5", {str(n): n for n in range(3, 16)}),
            default_resolution="1080p",
            prompt_required=False,
            max_image_bytes=10 * MB,
        ),
        FalModel(
            "bytedance/seedance-2.0/image-to-video",
            image_field="image_url",
            durations=Durations("auto", {"auto": 5, **{str(n): n for n in range(4, 16)}}),
            ratios=SEEDANCE_RATIOS,
            auto_ratios=SEEDANCE_RATIOS,
            resolutions=("480p", "720p", "1080p"),
            seed_in_output=True,
        ),
        FalModel(
            "fal-ai/wan/v2.7/image-to-video",
            image_field="image_url",
            durations=Durations(5, low=2, high=15),
            resolutions=("720p", "1080p"),
            default_resolution="1080p",
            audio_flag=False,
            seed_in_output=True,
            frame_facts_in_output=True,
            max_image_bytes=20 * MB,
        ),
    )
}


def find_model(model_id: str) -> FalModel:
    """The endpoint for a submit path, or fal's 404 for an application it does not know."""
    model = MODELS.get(model_id)
    if model is None:
        raise FalError(404, f"Application '{model_id}' not found; the emulator serves {', '.join(sorted(MODELS))}.")
    return model


def validate(model: FalModel, body: Any) -> FalInput:
    """Check every field at once (pydantic reports them all) and return what to render."""
    if not isinstance(body, dict):
        raise invalid_input(
            [
                field_error(
                    None, "Input should be a valid dictionary or object to extract fields from", "model_attributes_type"
                )
            ]
        )
    errors: list[dict[str, Any]] = []
    prompt = text("prompt", body.get("prompt"), errors, required=model.prompt_required)
    image_url = text(model.image_field, body.get(model.image_field), errors, required=True)
    seconds = model.durations.seconds(body.get("duration", model.durations.default), errors)
    resolution = model.default_resolution
    if model.resolutions:
        resolution = choice("resolution", body.get("resolution", model.default_resolution), model.resolutions, errors)
    aspect_ratio = "auto"
    if model.ratios:
        aspect_ratio = choice("aspect_ratio", body.get("aspect_ratio", "auto"), ("auto", *model.ratios), errors)
    extras: dict[str, Any] = {}
    if model.audio_flag:
        extras["generate_audio"] = boolean("generate_audio", body.get("generate_audio", True), errors)
    seed = integer("seed", body["seed"], errors) if body.get("seed") is not None else None
    if errors:
        raise invalid_input(errors)
    return FalInput(model, prompt, image_url, seconds, resolution, aspect_ratio, seed, extras)


def frame_size(ratio: str, resolution: str) -> tuple[int, int]:
    """Width and height for a ratio at a resolution: the short side is the resolution, both sides even."""
    short = SHORT_SIDE[resolution]
    wide, tall = (int(part) for part in ratio.split(":"))
    if wide >= tall:
        return _even(short * wide / tall), short
    return short, _even(short * tall / wide)


def nearest_ratio(width: int, height: int, candidates: tuple[str, ...]) -> str:
    """The candidate ratio closest to the image's own (compared on a log scale, so 2:1 and 1:2 are as far from 1:1)."""
    own = math.log(width / height)

    def distance(ratio: str) -> float:
        wide, tall = (int(part) for part in ratio.split(":"))
        return abs(math.log(wide / tall) - own)

    return min(candidates, key=distance)


def literal_error(name: str, value: Any, choices: list[str]) -> dict[str, Any]:
    """pydantic's literal_error: Input should be 'a', 'b' or 'c'."""
    quoted = [f"'{choice}'" for choice in choices]
    expected = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return field_error(name, f"Input should be {expected}", "literal_error", value=value, ctx={"expected": expected})


def bound_error(name: str, value: Any, kind: str, key: str, limit: int) -> dict[str, Any]:
    """pydantic's greater_than_equal / less_than_equal."""
    words = "greater than or equal to" if key == "ge" else "less than or equal to"
    return field_error(name, f"Input should be {words} {limit}", kind, value=value, ctx={key: limit})


def text(name: str, value: Any, errors: list[dict[str, Any]], *, required: bool) -> str:
    """A required or optional string field."""
    if value is None:
        if required:
            errors.append(field_error(name, "Field required", "missing"))
        return ""
    if not isinstance(value, str):
        errors.append(field_error(name, "Input should be a valid string", "string_type", value=value))
        return ""
    return value


def choice(name: str, value: Any, choices: tuple[str, ...], errors: list[dict[str, Any]]) -> str:
    """A Literal[...] string field."""
    if isinstance(value, str) and value in choices:
        return value
    errors.append(literal_error(name, value, list(choices)))
    return choices[0]


def boolean(name: str, value: Any, errors: list[dict[str, Any]]) -> bool:
    """A bool field, accepting what pydantic's lax mode accepts (true/false, 0/1, 'yes'/'no', ...)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in _BOOL_WORDS:
        return _BOOL_WORDS[value.lower()]
    errors.append(field_error(name, "Input should be a valid boolean", "bool_type", value=value))
    return False


def integer(name: str, value: Any, errors: list[dict[str, Any]]) -> int | None:
    """An int field; digit strings and whole floats are accepted, as in pydantic's lax mode."""
    if isinstance(value, bool):
        errors.append(field_error(name, "Input should be a valid integer", "int_type", value=value))
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            errors.append(
                field_error(
                    name, "Input should be a valid integer, unable to parse string as an integer", "int_parsing",
                    value=value,
                )
            )  # fmt: skip
            return None
    errors.append(field_error(name, "Input should be a valid integer", "int_type", value=value))
    return None


_BOOL_WORDS = {
    "true": True, "false": False, "1": True, "0": False, "yes": True, "no": False,
    "on": True, "off": False, "y": True, "n": False, "t": True, "f": False,
}  # fmt: skip


def _even(side: float) -> int:
    return max(2, int(round(side / 2)) * 2)
