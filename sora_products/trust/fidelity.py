"""Does the product in the clip still look like the product in the photo? Colour and first-frame scores.

The reference image tells where the product is: whatever differs from its backdrop (each row's edge
colour). A handful of frames are decoded across the clip, scaled down to a few ten thousand pixels,
and the product's mean CIELAB colour in each (found the same way, near where the product was) is
compared with the photo's by CIEDE2000. Decoding
stops after the last sampled frame and nothing larger than one decoded frame is ever held, so the check
costs well under a second and a few MB whatever the clip.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import IO, Any

import numpy as np
from PIL import Image

from .colour import colour_name, delta_e_2000, lab_to_hex, srgb_to_lab

ANALYSIS_PIXELS = 180 * 320
"""Frames and reference are scaled to about this many pixels: colour needs no detail."""

BACKDROP_DELTA = 10.0
"""A pixel this far (CIE76, plain distance in CIELAB: cheap, and enough to tell backdrop from product) from
the backdrop of its row belongs to the product."""

MATCH_DELTA = 8.0
"""A product pixel of the first frame within this of the reference pixel still matches it."""

EDGE_SHARE = 0.03
MOTION_MARGIN = 0.08
MIN_PRODUCT_SHARE = 0.02


class ClipUnreadable(Exception):
    """The clip has no decodable video stream; the check cannot say anything about it."""


@dataclass(frozen=True)
class FidelityScores:
    """What the check found; ``delta_e`` is the median over the sampled frames, ``worst`` the largest."""

    delta_e: float
    worst_delta_e: float
    first_frame_match: float
    frames: int
    photo_colour: str
    video_colour: str
    photo_colour_name: str
    video_colour_name: str
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        """The scores as the JSON stored on the video."""
        return asdict(self)


def analysis_size(width: int, height: int) -> tuple[int, int]:
    """The picture's shape scaled to about ANALYSIS_PIXELS."""
    scale = min(1.0, (ANALYSIS_PIXELS / max(1, width * height)) ** 0.5)
    return max(8, round(width * scale)), max(8, round(height * scale))


def backdrop_rows(lab: np.ndarray) -> np.ndarray:
    """The backdrop behind each row: the median of the left and right edge strips of that row.

    Studio backdrops are vertical sweeps and the reference's padding continues its edges, so a row's
    two ends say what the backdrop is across it."""
    h, w = lab.shape[:2]
    t = max(1, round(w * EDGE_SHARE))
    edges = np.concatenate([lab[:, :t], lab[:, -t:]], axis=1)
    return np.median(edges, axis=1)[:, None, :]


def product_mask(lab: np.ndarray, backdrop: np.ndarray) -> np.ndarray:
    """Pixels unlike their row's backdrop; the middle half of the picture when that finds next to nothing."""
    mask = np.linalg.norm(lab - backdrop, axis=-1) > BACKDROP_DELTA
    if mask.mean() < MIN_PRODUCT_SHARE:
        h, w = mask.shape
        mask = np.zeros_like(mask)
        mask[h // 4 : h - h // 4, w // 4 : w - w // 4] = True
    return mask


def around(mask: np.ndarray, margin: float = MOTION_MARGIN) -> np.ndarray:
    """The product's bounding box in the reference, widened by how far a camera move may carry it.

    Outside it a frame's badges and watermarks (the emulator's, a provider's) are not the product."""
    rows, columns = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    h, w = mask.shape
    dy, dx = round(h * margin), round(w * margin)
    region = np.zeros_like(mask)
    region[max(0, rows[0] - dy) : rows[-1] + dy + 1, max(0, columns[0] - dx) : columns[-1] + dx + 1] = True
    return region


def product_colour(lab: np.ndarray, backdrop: np.ndarray, region: np.ndarray) -> np.ndarray:
    """The product's mean L*, a*, b* in a frame.

    The product is found against the reference's backdrop, which a drifted clip keeps (it is mostly
    neutral) while the product's colour moves."""
    mask = product_mask(lab, backdrop) & region
    return lab[mask].mean(axis=0) if mask.any() else lab[region].mean(axis=0)


def to_lab(image: Image.Image, size: tuple[int, int]) -> np.ndarray:
    """A picture as CIELAB at the analysis size."""
    return srgb_to_lab(np.asarray(image.convert("RGB").resize(size, Image.Resampling.BOX)))


def sample_frames(clip: str | IO[bytes], count: int, size: tuple[int, int]) -> list[np.ndarray]:
    """``count`` frames spread evenly over the clip's time (the first always), as small RGB arrays.

    Only reference frames are decoded, without the deblocking filter: colour needs neither the
    B-frames between them nor smooth block edges, and decoding costs less than half as much."""
    import av  # imported on first use: most processes (web servers) never decode a frame

    try:
        container = av.open(clip, "r")
    except (av.error.FFmpegError, OSError) as exc:
        raise ClipUnreadable(str(exc)) from exc
    with container:
        if not container.streams.video:
            raise ClipUnreadable("no video stream")
        stream = container.streams.video[0]
        stream.thread_type = "NONE"  # one core: the worker's other jobs keep theirs
        stream.codec_context.options = {"skip_loop_filter": "all"}
        stream.codec_context.skip_frame = "NONREF"
        if stream.duration is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration:
            duration = container.duration / 1_000_000
        else:  # neither says: count the frames, or sample the first seconds rather than frame 0 only
            duration = float(stream.frames / stream.average_rate) if stream.frames and stream.average_rate else 8.0
        wanted = [i * duration / max(1, count - 1) for i in range(count)] if count > 1 else [0.0]
        frames: list[np.ndarray] = []
        last = None
        try:
            for frame in container.decode(stream):
                last = frame
                while len(frames) < len(wanted) and (frame.time or 0.0) + 1e-3 >= wanted[len(frames)]:
                    frames.append(frame.to_ndarray(width=size[0], height=size[1], format="rgb24"))
                if len(frames) == len(wanted):
                    break
        except av.error.FFmpegError as exc:
            if last is None:
                raise ClipUnreadable(str(exc)) from exc
        if last is None:
            raise ClipUnreadable("no frame could be decoded")
        while len(frames) < len(wanted):  # the clip ends before the last wanted time: its last frame
            frames.append(last.to_ndarray(width=size[0], height=size[1], format="rgb24"))
    return frames


def check_clip(clip: str | IO[bytes], reference: Image.Image, *, frames: int = 6) -> FidelityScores:
    """Score how far the product's colour in the clip drifted from the reference image's."""
    started = time.perf_counter()
    size = analysis_size(*reference.size)
    reference_lab = to_lab(reference, size)
    backdrop = backdrop_rows(reference_lab)
    mask = product_mask(reference_lab, backdrop)
    photo = reference_lab[mask].mean(axis=0)
    sampled = [srgb_to_lab(rgb) for rgb in sample_frames(clip, max(1, frames), size)]
    region = around(mask)
    colours = np.array([product_colour(lab, backdrop, region) for lab in sampled])
    distances = delta_e_2000(colours, photo[None, :])
    worst = int(np.argmax(distances))
    first = delta_e_2000(sampled[0][mask], reference_lab[mask])
    return FidelityScores(
        delta_e=round(float(np.median(distances)), 2),
        worst_delta_e=round(float(distances[worst]), 2),
        first_frame_match=round(float((first <= MATCH_DELTA).mean()), 3),
        frames=len(sampled),
        photo_colour=lab_to_hex(photo),
        video_colour=lab_to_hex(colours[worst]),
        photo_colour_name=colour_name(photo),
        video_colour_name=colour_name(colours[worst]),
        seconds=round(time.perf_counter() - started, 3),
    )
