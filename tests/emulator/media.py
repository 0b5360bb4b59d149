"""Looking inside downloaded media: MP4 boxes, stream facts and the mean colour of a frame."""

from __future__ import annotations

import io
import struct

import av
import numpy as np


def top_level_boxes(data: bytes) -> list[str]:
    """The MP4's top-level box types in file order (moov must precede mdat for progressive playback)."""
    boxes, offset = [], 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        elif size == 0:
            size = len(data) - offset
        boxes.append(kind.decode("latin-1"))
        offset += size
    return boxes


def describe(data: bytes) -> dict:
    """Codec, size, pixel format, duration and audio codec of an MP4 held in memory."""
    with av.open(io.BytesIO(data)) as container:
        video = container.streams.video[0]
        audio = container.streams.audio[0] if container.streams.audio else None
        return {
            "codec": video.codec_context.name,
            "width": video.codec_context.width,
            "height": video.codec_context.height,
            "pix_fmt": video.codec_context.pix_fmt,
            "duration": container.duration / 1_000_000,
            "audio": audio.codec_context.name if audio else None,
            "audio_rate": audio.codec_context.sample_rate if audio else None,
        }


def mean_colour(data: bytes, at_fraction: float = 0.5) -> np.ndarray:
    """Mean RGB of the decoded frame closest to a point in the clip."""
    with av.open(io.BytesIO(data)) as container:
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    frame = frames[min(len(frames) - 1, int(len(frames) * at_fraction))]
    return frame.reshape(-1, 3).mean(axis=0)
