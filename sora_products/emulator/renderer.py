"""Real, browser-playable clips: H.264 yuv420p + AAC in an MP4 with the moov atom first, plus a WebP
thumbnail and a JPEG spritesheet, written to a job's directory."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import av
from PIL import Image

from .artwork import Camera, backdrop, emulated_mark, shift_hue, tint
from .soundtrack import SAMPLE_RATE, ambient
from .store import RenderSpec

VIDEO_FILE = "video.mp4"
THUMBNAIL_FILE = "thumbnail.webp"
SPRITESHEET_FILE = "spritesheet.jpg"
AUDIO_CHUNK = 1024
SPRITE_TILES = 10
SPRITE_COLUMNS = 5


class RenderCancelled(Exception):
    """The job went away (deleted, reset, emulator stopped) while it was rendering."""


@dataclass(frozen=True)
class RenderSettings:
    """How hard to work: frame rate, x264 preset and quality, encoder threads."""

    fps: int = 24
    preset: str = "veryfast"
    crf: int = 23
    threads: int = 1

    @classmethod
    def for_mode(cls, *, fast: bool, fps: int | None = None, threads: int = 1) -> RenderSettings:
        """Normal quality, or fast mode (6 fps, ultrafast) for tests; size and duration never change."""
        if fast:
            return cls(fps=fps or 6, preset="ultrafast", crf=28, threads=threads)
        return cls(fps=fps or 24, threads=threads)


@dataclass(frozen=True)
class RenderResult:
    """Where the files went and how long the render took."""

    video: str
    thumbnail: str
    spritesheet: str
    frames: int
    seconds: float


def source_picture(spec: RenderSpec) -> Image.Image:
    """The first frame: the reference image (or a backdrop drawn from the prompt), tinted for remixes."""
    if spec.reference_path:
        with Image.open(spec.reference_path) as image:
            image.load()
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                # a cut-out product photo stands on white, not on black
                rgba = image.convert("RGBA")
                picture = Image.new("RGB", rgba.size, (255, 255, 255))
                picture.paste(rgba, mask=rgba.getchannel("A"))
            else:
                picture = image.convert("RGB")
        if picture.size != (spec.width, spec.height):
            picture = picture.resize((spec.width, spec.height), Image.Resampling.LANCZOS)
    else:
        picture = backdrop(spec.width, spec.height, spec.backdrop_prompt)
    return shift_hue(tint(picture, spec.tint_prompts), spec.hue_shift)


def render(
    spec: RenderSpec, directory: str, settings: RenderSettings, should_stop: Callable[[], bool] | None = None
) -> RenderResult:
    """Render the clip and its stills into directory; files appear atomically (written, then renamed).

    should_stop is checked before every frame; when it says yes the render raises RenderCancelled."""
    started = time.perf_counter()
    os.makedirs(directory, exist_ok=True)
    source = source_picture(spec)
    mark = emulated_mark(spec.width)
    margin = max(8, spec.width // 40)
    # Top right: the storefront puts its AI label top left and its buttons bottom right.
    mark_at = (spec.width - mark.width - margin, margin)
    camera = Camera(spec.width, spec.height, spec.motion_seed or spec.backdrop_prompt)
    frame_count = max(1, round(spec.seconds * settings.fps))
    sprite_every = max(1, frame_count // SPRITE_TILES)
    thumbnail_index = frame_count // 2
    stills: list[Image.Image] = []
    thumbnail: Image.Image | None = None

    video_path = os.path.join(directory, VIDEO_FILE)
    partial = video_path + ".part"
    samples = ambient(spec.seconds, spec.motion_seed or spec.backdrop_prompt)
    with av.open(partial, "w", format="mp4", options={"movflags": "+faststart"}) as container:
        video = container.add_stream("libx264", rate=settings.fps)
        video.width, video.height, video.pix_fmt = spec.width, spec.height, "yuv420p"
        video.codec_context.options = {"preset": settings.preset, "crf": str(settings.crf)}
        video.codec_context.thread_count = settings.threads
        audio = container.add_stream("aac", rate=SAMPLE_RATE, layout="stereo")
        audio.codec_context.options = {}
        sent = 0
        for index in range(frame_count):
            if should_stop is not None and should_stop():
                raise RenderCancelled(directory)
            picture = camera.frame(source, index / max(1, frame_count - 1))
            picture.paste(mark, mark_at, mark)
            if index % sprite_every == 0 and len(stills) < SPRITE_TILES:
                stills.append(picture.reduce(4))
            if index == thumbnail_index:
                thumbnail = picture
            frame = av.VideoFrame.from_image(picture)
            frame.pts = index
            frame.time_base = Fraction(1, settings.fps)
            container.mux(video.encode(frame))
            sent = _send_audio(container, audio, samples, sent, until=(index + 1) / settings.fps)
        _send_audio(container, audio, samples, sent, until=spec.seconds + 1)
        container.mux(video.encode(None))
        container.mux(audio.encode(None))
    os.replace(partial, video_path)

    thumbnail_path = _save(thumbnail or source, directory, THUMBNAIL_FILE, "WEBP", quality=80)
    sprite_path = _save(spritesheet(stills), directory, SPRITESHEET_FILE, "JPEG", quality=82)
    return RenderResult(video_path, thumbnail_path, sprite_path, frame_count, time.perf_counter() - started)


def _send_audio(container, stream, samples, sent: int, until: float) -> int:
    """Encode audio up to the time `until` so the muxer gets audio and video interleaved."""
    limit = min(samples.shape[1], int(until * SAMPLE_RATE))
    while sent < limit:
        chunk = samples[:, sent : sent + AUDIO_CHUNK]
        frame = av.AudioFrame.from_ndarray(chunk.copy(order="C"), format="fltp", layout="stereo")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = sent
        frame.time_base = Fraction(1, SAMPLE_RATE)
        container.mux(stream.encode(frame))
        sent += chunk.shape[1]
    return sent


def spritesheet(stills: list[Image.Image]) -> Image.Image:
    """Frames laid out in a grid, left to right, top to bottom."""
    columns = min(SPRITE_COLUMNS, len(stills))
    rows = -(-len(stills) // columns)
    tile_w, tile_h = stills[0].size
    sheet = Image.new("RGB", (tile_w * columns, tile_h * rows), (0, 0, 0))
    for index, still in enumerate(stills):
        sheet.paste(still, ((index % columns) * tile_w, (index // columns) * tile_h))
    return sheet


def _save(image: Image.Image, directory: str, name: str, fmt: str, **options) -> str:
    """Write an image atomically."""
    path = os.path.join(directory, name)
    image.save(path + ".part", fmt, **options)
    os.replace(path + ".part", path)
    return path
