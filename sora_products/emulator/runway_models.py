"""Which Runway models the emulator renders and what each accepts (ratio, duration, audio, prompt), per the SDK's types.

The rules are read from ``runwayml`` 5.24.0 (``types/image_to_video_create_params.py`` and
``video_to_video_create_params.py``); duration ranges the types leave open (Kling, Seedance) come from the
providers' published limits. A request that breaks a rule is refused with a 400 whose sentence names the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import ApiError

GEN4_RATIOS = ("1280:720", "720:1280", "1104:832", "960:960", "832:1104", "1584:672")
VEO_RATIOS = ("1280:720", "720:1280", "1080:1920", "1920:1080")
KLING_PRO_RATIOS = ("1920:1080", "1080:1920", "1440:1440")
KLING_STANDARD_RATIOS = ("1280:720", "720:1280", "960:960")
SEEDANCE_RATIOS = (
    "992:432", "864:496", "752:560", "640:640", "560:752", "496:864", "1470:630", "1280:720", "1112:834", "960:960",
    "834:1112", "720:1280", "2206:946", "1920:1080", "1664:1248", "1440:1440", "1248:1664", "1080:1920", "3840:1646",
    "3840:2160", "3840:2880", "3840:3840", "2880:3840", "2160:3840",
)  # fmt: skip
AUTO_SECONDS = 5  # what the emulator renders for Seedance's duration "auto"
MAX_SOURCE_SECONDS = 15  # video_to_video output follows the input video, up to this


@dataclass(frozen=True)
class ModelRules:
    """What one model accepts on one endpoint."""

    name: str
    ratios: tuple[str, ...] = ()  # empty: any W:H (Aleph follows its input)
    durations: tuple[int, ...] = ()  # accepted seconds; empty: no duration field (the input's length)
    default_duration: int | None = None  # None with durations: duration is required
    ratio_required: bool = True
    prompt_required: bool = False
    max_prompt: int = 1000
    audio: bool = False  # accepts the audio field
    auto_duration: bool = False  # accepts duration "auto"
    positions: tuple[str, ...] = ("first",)  # promptImage positions it takes
    video_field: str = ""  # video_to_video: which field carries the input video


IMAGE_MODELS = {
    rules.name: rules
    for rules in (
        ModelRules("gen4.5", GEN4_RATIOS, tuple(range(2, 11)), None, prompt_required=True),
        ModelRules("gen4_turbo", GEN4_RATIOS, (5, 10), 10),
        ModelRules("veo3.1", VEO_RATIOS, (4, 6, 8), 8, audio=True, positions=("first", "last")),
        ModelRules("veo3.1_fast", VEO_RATIOS, (4, 6, 8), 8, audio=True, positions=("first", "last")),
        ModelRules(
            "kling3.0_pro", KLING_PRO_RATIOS, tuple(range(3, 16)), 5, ratio_required=False, audio=True,
            positions=("first", "last"),
        ),
        ModelRules(
            "kling3.0_standard", KLING_STANDARD_RATIOS, tuple(range(3, 16)), 5, ratio_required=False, audio=True,
            positions=("first", "last"),
        ),
        ModelRules(
            "seedance2", SEEDANCE_RATIOS, tuple(range(4, 16)), AUTO_SECONDS, ratio_required=False, max_prompt=3500,
            audio=True, auto_duration=True, positions=("first", "last"),
        ),
    )
}  # fmt: skip
VIDEO_MODELS = {
    rules.name: rules
    for rules in (
        ModelRules("aleph2", ratio_required=False, video_field="videoUri"),
        ModelRules("klingO3_pro", ratio_required=False, prompt_required=True, video_field="promptVideo"),
        ModelRules("klingO3_standard", ratio_required=False, prompt_required=True, video_field="promptVideo"),
        ModelRules(
            "seedance2", SEEDANCE_RATIOS, tuple(range(4, 16)), None, ratio_required=False, max_prompt=3500,
            audio=True, auto_duration=True, video_field="promptVideo",
        ),
    )
}  # fmt: skip


@dataclass(frozen=True)
class TaskRequest:
    """A create request that passed the model's rules; ratio and seconds may still follow the input media."""

    model: str
    prompt: str
    ratio: str | None
    seconds: int | None
    audio: bool
    seed: int | None
    inputs: tuple[str, ...]  # image URIs, first frame first (image_to_video), or the one video URI


def validate_image_request(body: dict[str, Any]) -> TaskRequest:
    """Check a POST /v1/image_to_video body against its model's rules."""
    rules = _rules(body, IMAGE_MODELS, "image_to_video")
    return _validated(body, rules, _prompt_images(body.get("promptImage"), rules))


def validate_video_request(body: dict[str, Any]) -> TaskRequest:
    """Check a POST /v1/video_to_video body against its model's rules."""
    rules = _rules(body, VIDEO_MODELS, "video_to_video")
    value = body.get(rules.video_field)
    if value is None or value == "":
        raise ApiError(
            400, f"Missing required field '{rules.video_field}' for {rules.name}: send an HTTPS URL or a data URI of "
            "the video to edit.",
        )  # fmt: skip
    if not isinstance(value, str):
        raise ApiError(400, f"Invalid '{rules.video_field}': expected a URL string, got {_kind(value)}.")
    return _validated(body, rules, (value,))


def ratio_size(ratio: str) -> tuple[int, int]:
    """'720:1280' -> (720, 1280): Runway's ratios are the output's pixel size."""
    width, height = ratio.split(":")
    return int(width), int(height)


def closest_ratio(ratios: tuple[str, ...], width: int, height: int) -> str:
    """The model's ratio nearest the input's shape (models whose output 'follows the first frame')."""
    return min(ratios, key=lambda ratio: abs(_aspect(ratio) - width / height))


def _rules(body: dict[str, Any], models: dict[str, ModelRules], endpoint: str) -> ModelRules:
    model = body.get("model")
    names = ", ".join(models)
    if model is None or model == "":
        raise ApiError(400, f"Missing required field 'model'; {endpoint} accepts: {names}.")
    if not isinstance(model, str) or model not in models:
        raise ApiError(
            400, f"Invalid 'model': '{model}' is not a model the emulator renders on {endpoint}; use one of: {names}."
        )
    return models[model]


def _validated(body: dict[str, Any], rules: ModelRules, inputs: tuple[str, ...]) -> TaskRequest:
    return TaskRequest(
        model=rules.name,
        prompt=_prompt_text(body.get("promptText"), rules),
        ratio=_ratio(body.get("ratio"), rules),
        seconds=_duration(body.get("duration"), rules),
        audio=_audio(body, rules),
        seed=_seed(body.get("seed")),
        inputs=inputs,
    )


def _prompt_text(value: Any, rules: ModelRules) -> str:
    if value is None:
        if rules.prompt_required:
            raise ApiError(
                400, f"Missing required field 'promptText' for {rules.name}: describe what should appear in the video."
            )
        return ""
    if not isinstance(value, str) or not value.strip():
        raise ApiError(400, f"Invalid 'promptText': expected a non-empty string, got {_kind(value)}.")
    if len(value.encode("utf-16-le")) // 2 > rules.max_prompt:
        raise ApiError(
            400, f"Invalid 'promptText': {rules.name} takes at most {rules.max_prompt} characters; shorten the prompt."
        )
    return value


def _ratio(value: Any, rules: ModelRules) -> str | None:
    if value is None:
        if rules.ratio_required:
            raise ApiError(
                400, f"Missing required field 'ratio' for {rules.name}; use one of: {', '.join(rules.ratios)}."
            )
        return None
    if rules.ratios:
        if value not in rules.ratios:
            raise ApiError(
                400, f"Invalid 'ratio' for {rules.name}: '{value}'. Supported ratios: {', '.join(rules.ratios)}."
            )
        return str(value)
    try:
        width, height = ratio_size(str(value))
    except ValueError:
        width = height = 0
    if not (64 <= width <= 3840 and 64 <= height <= 3840 and width % 2 == 0 and height % 2 == 0):
        raise ApiError(
            400, f"Invalid 'ratio' for {rules.name}: '{value}'. Give the output size as even WIDTH:HEIGHT (1280:720)."
        )
    return f"{width}:{height}"


def _duration(value: Any, rules: ModelRules) -> int | None:
    if not rules.durations:
        if value is not None:
            raise ApiError(
                400, f"Invalid field 'duration': {rules.name} keeps the input video's length; remove 'duration'."
            )
        return None
    if value is None:
        if rules.default_duration is None and not rules.video_field:
            raise ApiError(400, f"Missing required field 'duration' for {rules.name}: {_durations(rules)}.")
        return rules.default_duration
    if value == "auto" and rules.auto_duration:
        return AUTO_SECONDS
    if isinstance(value, bool) or not isinstance(value, int) or value not in rules.durations:
        raise ApiError(400, f"Invalid 'duration' for {rules.name}: {value!r}. {_durations(rules)}.")
    return value


def _durations(rules: ModelRules) -> str:
    values = rules.durations
    if len(values) > 3 and values == tuple(range(values[0], values[-1] + 1)):
        text = f"It must be an integer from {values[0]} to {values[-1]}"
    else:
        text = "It must be " + ", ".join(str(v) for v in values[:-1]) + f" or {values[-1]}"
    return text + (', or "auto"' if rules.auto_duration else "")


def _audio(body: dict[str, Any], rules: ModelRules) -> bool:
    if "audio" not in body:
        return rules.audio  # models with sound make it unless told not to
    if not rules.audio:
        raise ApiError(400, f"Invalid field 'audio': {rules.name} does not take an audio setting; remove 'audio'.")
    if not isinstance(body["audio"], bool):
        raise ApiError(400, f"Invalid 'audio': expected true or false, got {_kind(body['audio'])}.")
    return body["audio"]


def _seed(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 4294967295:
        raise ApiError(400, f"Invalid 'seed': expected an integer from 0 to 4294967295, got {value!r}.")
    return value


def _prompt_images(value: Any, rules: ModelRules) -> tuple[str, ...]:
    """promptImage as a URI string or [{uri, position}]; returns the URIs, first frame first."""
    if value is None or value == "" or value == []:
        raise ApiError(
            400, f"Missing required field 'promptImage' for {rules.name}: send an HTTPS URL or a data URI of the "
            "first frame.",
        )  # fmt: skip
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or len(value) > len(rules.positions):
        raise ApiError(
            400, f"Invalid 'promptImage': expected a URI or a list of up to {len(rules.positions)} "
            "{uri, position} objects.",
        )  # fmt: skip
    by_position: dict[str, str] = {}
    for index, item in enumerate(value):
        uri = item.get("uri") if isinstance(item, dict) else None
        position = item.get("position") if isinstance(item, dict) else None
        if not isinstance(uri, str) or not uri:
            raise ApiError(400, f"Invalid 'promptImage[{index}].uri': expected a URI string.")
        if position not in rules.positions or position in by_position:
            raise ApiError(
                400, f"Invalid 'promptImage[{index}].position' for {rules.name}: {position!r}; each of "
                f"{', '.join(rules.positions)} may appear once.",
            )  # fmt: skip
        by_position[position] = uri
    if "first" not in by_position:
        raise ApiError(400, f"Invalid 'promptImage': {rules.name} needs a first frame (position 'first').")
    return tuple(by_position[p] for p in rules.positions if p in by_position)


def _aspect(ratio: str) -> float:
    width, height = ratio_size(ratio)
    return width / height


def _kind(value: Any) -> str:
    return "null" if value is None else f"{type(value).__name__} {value!r}"[:80]
